"""How long `import litellm` takes in a fresh process (offline cost map), and proof that the
CLI's start path and the core do not import it."""

from __future__ import annotations

from benchmarks._common import emit, run_child, summary

TIME_IMPORT = """
import json, sys, time
t = time.perf_counter()
import litellm
print(json.dumps({"seconds": time.perf_counter() - t}))
"""

NOT_ON_START_PATH = """
import json, sys
import chinwag.cli, chinwag.app, chinwag.core.conversations.chat, chinwag.core.store
from chinwag.plugins import load_plugins
load_plugins()
print(json.dumps({"litellm_imported": "litellm" in sys.modules}))
"""


def main() -> None:
    seconds = [run_child(TIME_IMPORT)["seconds"] for _ in range(3)]
    start_path = run_child(NOT_ON_START_PATH)
    emit(
        {
            "benchmark": "litellm_import",
            "import_seconds": summary(seconds, 2),
            "imported_by_cli_start_and_plugins": start_path["litellm_imported"],
        }
    )


if __name__ == "__main__":
    main()
