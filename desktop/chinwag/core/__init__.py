"""The domain, headless: no Qt may be imported from here (import-linter contracts).

conversations/ is the front door every front end calls; llm/ makes model calls; usage/
prices and meters them; store/ keeps the history; system/ is the machine (paths,
settings, keys, logs).
"""

from chinwag.core import old_paths

old_paths.install()
