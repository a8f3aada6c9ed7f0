"""Take the README screenshots of the real app: every reply in them is streamed by the
built-in local model through the window (no stored or invented answers), light and dark,
and the settings dialog (the OpenAI provider page, the plugins page, the local API page).

Run under Xvfb, with a keyring session for the key and token fields:
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- scripts/with_keyring.sh \
    .venv/bin/python scripts/screenshots.py [--reuse HOME]

--reuse HOME takes the shots again from the conversations an earlier run left in HOME
(printed at the end), without asking the model again.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chinwag.ui.app.main_window import MainWindow

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
ATTEMPTS = 3  # the small model does not always answer in the asked form: regenerate
SHORT, LONG = 120, 450  # max output tokens: the small model can ramble on a loaded machine

SIDE_CHATS = [
    ("Boat names", "Suggest a name for a small sailing boat."),
    ("Lisbon", "What is the capital of Portugal?"),
]
CODE_PROMPT = (
    "Write a Python function that sums a column of a CSV file. Put the code in a python code block."
)
TABLE_PROMPT = "Make a Markdown table comparing apples, bananas and cherries by colour and taste."
LONG_PROMPT = "Write a long explanation of how a CSV reader handles quoted fields."


def wait(ms: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def start(window: MainWindow, title: str, max_tokens: int) -> None:
    """A conversation like File > New, with Model settings > max output tokens set."""
    from chinwag.core.types import Conversation

    store = window.services.store
    conversation = store.create_conversation(
        Conversation(title=title, model_settings={"max_output_tokens": max_tokens})
    )
    window.pane.open(conversation)


def ask(window: MainWindow, prompt: str) -> None:
    """Type and send like a user, then wait for the local model's reply to finish."""
    pane = window.pane
    pane.composer.setPlainText(prompt)
    pane.send()
    for _ in range(2400):
        if not pane.streaming:
            break
        wait(100)
    pane.stop()  # a reply still running after four minutes is kept as it stands
    while pane.streaming:
        wait(100)
    wait(200)


def ask_until(window: MainWindow, prompt: str, mark: str) -> None:
    """Ask; while the reply lacks `mark` (a code fence, a table rule), regenerate it."""
    ask(window, prompt)
    pane = window.pane
    for _ in range(ATTEMPTS - 1):
        reply_id = pane.view.ids[-1]
        if mark in pane.view.message(reply_id).text:
            return
        pane.regenerate(reply_id)
        while pane.streaming:
            wait(100)
        wait(200)


def scroll_to_table(window: MainWindow) -> None:
    """Put the last reply holding a table (and the question before it) at the top."""
    view = window.pane.view
    rows = [i for i, m in enumerate(view.ids) if "|---" in view.message(m).text]
    if rows:
        view.verticalScrollBar().setValue(view._offsets[max(0, rows[-1] - 1)])


def main(argv: list[str]) -> int:
    reuse = argv[1] if len(argv) == 2 and argv[0] == "--reuse" else None
    home = Path(reuse) if reuse else Path(tempfile.mkdtemp(prefix="chinwag-shots-"))
    os.environ["CHINWAG_HOME"] = str(home)
    os.environ.setdefault("CHINWAG_MODELS_PATH", str(REPO / ".cache" / "models"))
    from PySide6.QtWidgets import QApplication

    from chinwag.app import build
    from chinwag.core.system import settings as settings_file
    from chinwag.ui.app import theme
    from chinwag.ui.app.main_window import MainWindow

    app = QApplication(sys.argv)
    services = build()
    services.settings.local_api_port = 0
    theme.apply(app, services.settings)
    window = MainWindow(services)
    window.resize(1200, 780)
    window.show()
    wait(300)
    if reuse:
        main_chat = max(
            services.store.list_conversations(), key=lambda c: services.store.count_messages(c.id)
        )
        window.conversations.select(main_chat.id)
        window.pane.open(main_chat)
    else:
        for title, prompt in SIDE_CHATS:
            start(window, title, SHORT)
            ask(window, prompt)
        start(window, "Summing a CSV column", LONG)
        ask_until(window, CODE_PROMPT, "```")
        ask_until(window, TABLE_PROMPT, "|---")
        ask(window, LONG_PROMPT)
    wait(1000)  # the title is written after the first reply; the list follows the store
    for name in ("light", "dark"):
        services.settings.theme = name  # type: ignore[assignment]
        theme.apply(app, services.settings)
        wait(300)
        bar = window.pane.view.verticalScrollBar()
        bar.setValue(bar.maximum())
        wait(300)
        window.grab().save(str(OUT / f"main-{name}.png"))
        scroll_to_table(window)
        wait(300)
        window.grab().save(str(OUT / f"main-{name}-top.png"))
    services.settings.theme = "light"
    theme.apply(app, services.settings)
    dialog = window.open_settings()
    dialog.resize(900, 600)
    dialog.show_page("Provider: Local (llama.cpp)")
    wait(300)
    dialog.grab().save(str(OUT / "settings-local.png"))
    dialog.show_page("Provider: OpenAI")
    wait(200)
    dialog.grab().save(str(OUT / "settings-provider.png"))
    dialog.show_page("Plugins")
    wait(200)
    dialog.grab().save(str(OUT / "settings-plugins.png"))
    dialog.show_page("Local API")
    page = dialog.local_api
    assert page is not None
    page.enabled.setChecked(True)
    for _ in range(600):
        if window.local_api.running:
            break
        wait(100)
    wait(200)
    dialog.grab().save(str(OUT / "settings-local-api.png"))
    page.enabled.setChecked(False)
    settings_file.save(services.settings)
    window.close()
    services.close()
    print(f"home: {home}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
