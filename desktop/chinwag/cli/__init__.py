"""`chinwag` opens the desktop app; `chinwag <subcommand>` works headless on the same core.

Which one is decided here, before anything else is imported: the window shows as soon as
PySide6 is loaded (chinwag.ui.app.main), the CLI never loads Qt (chinwag.cli.dispatch).
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else list(argv)
    if not args:
        from chinwag.ui.app.main import run

        return run()
    from chinwag.cli.dispatch import run_command

    return run_command(args)
