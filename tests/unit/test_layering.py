"""The core is headless: importing all of it must not import Qt."""

import subprocess
import sys


def test_core_never_imports_qt() -> None:
    code = (
        "import pkgutil, importlib, sys, chinwag.core as core\n"
        "for m in pkgutil.walk_packages(core.__path__, 'chinwag.core.'):\n"
        "    importlib.import_module(m.name)\n"
        "import chinwag.app, chinwag.cli.dispatch, chinwag.plugins\n"
        "print(sorted(n for n in sys.modules if n.startswith('PySide6')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_showing_the_cli_does_not_import_litellm() -> None:
    code = "import chinwag.cli.dispatch, sys; print('litellm' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


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
