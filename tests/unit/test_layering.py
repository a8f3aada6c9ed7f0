"""What each entry point imports when it starts: lazy imports keep it quick.

The static rules (the core never imports Qt, ...) are import-linter contracts
(tests/unit/test_architecture.py); these check what is imported at run time.
"""

import subprocess
import sys


def test_the_cli_starts_without_qt_or_litellm() -> None:
    """`chinwag <subcommand>` is headless and quick: the GUI and litellm load only when used."""
    code = (
        "import sys, chinwag.cli.dispatch\n"
        "print(sorted({n.split('.')[0] for n in sys.modules} & {'PySide6', 'litellm'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_the_window_shows_before_the_core_is_imported() -> None:
    """What `chinwag` imports to put the main window on screen: PySide6 and the window's
    frame, not pydantic, the store, the plugins or litellm (they load after the first paint)."""
    code = (
        "import sys, chinwag.cli, chinwag.ui.app.main\n"
        "heavy = ('pydantic', 'litellm', 'pluggy', 'sqlite3', 'chinwag.app',\n"
        "         'chinwag.core.conversations.chat')\n"
        "print(sorted(n for n in heavy if n in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
