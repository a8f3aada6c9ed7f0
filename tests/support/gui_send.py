"""Run the real desktop app, send one message, and print the reply as the window shows it.

`python tests/support/gui_send.py PROMPT` starts Chinwag the way `chinwag` does (the real
composition root, store, plugins and default model; QT_QPA_PLATFORM=offscreen in tests),
types PROMPT into a new conversation and sends it. After every frame it writes to stdout
the text the reply view gained in that frame, so a test reading stdout knows what was on
screen and when. It quits when the reply ends.
"""

from __future__ import annotations

import sys


def main(prompt: str) -> int:
    from PySide6.QtWidgets import QApplication

    from chinwag.ui.app.main import launch
    from chinwag.ui.conversation.pane import LIVE_ID

    app = QApplication(sys.argv[:1])
    window = launch(app)
    shown = 0

    def after_frame() -> None:  # connected after the pane's own drain: sees this frame's text
        nonlocal shown
        text = window.pane.view.live_text(LIVE_ID)
        if len(text) > shown:
            sys.stdout.write(text[shown:])
            sys.stdout.flush()
            shown = len(text)

    def on_streaming(streaming: bool) -> None:
        if not streaming:
            app.quit()

    def send() -> None:  # once the window is attached, as a person would
        pane = window.pane
        pane.frame_timer.timeout.connect(after_frame)
        pane.streaming_changed.connect(on_streaming)
        pane.composer.setPlainText(prompt)
        pane.send()

    window.ready.connect(send)
    try:
        return app.exec()
    finally:
        window.close()
        window.services.close()


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
