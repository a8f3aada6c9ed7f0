"""Take the README screenshots: a conversation with a real reply from the local model
plus a stored code/table answer, light and dark, and the settings dialog.

Run under Xvfb: xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"

SAMPLE = """Here is a small function that reads a CSV file and sums a column:

```python
import csv

def total(path: str, column: str) -> float:
    \"\"\"Sum one numeric column of a CSV file.\"\"\"
    with open(path, newline="") as handle:
        return sum(float(row[column]) for row in csv.DictReader(handle))

print(total("sales.csv", "amount"))  # 1234.5
```

And how the options compare:

| Approach | Memory | Speed |
|----------|--------|-------|
| `csv` module | low | fast |
| pandas | high | fastest for big files |
| plain `split(",")` | low | breaks on quoted commas |

See the [csv documentation](https://docs.python.org/3/library/csv.html) for dialects.
"""


def main() -> int:
    home = Path(tempfile.mkdtemp(prefix="chinwag-shots-"))
    os.environ["CHINWAG_HOME"] = str(home)
    os.environ.setdefault("CHINWAG_MODELS_PATH", str(REPO / ".cache" / "models"))
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from chinwag.app import build
    from chinwag.core import settings as settings_file
    from chinwag.core.models import Conversation, Message, Role, Usage
    from chinwag.ui import theme
    from chinwag.ui.main_window import MainWindow

    app = QApplication(sys.argv)
    services = build()
    store = services.store
    for title in ("Trip to Lisbon", "Budget for March", "Rust lifetimes, again"):
        c = store.create_conversation(Conversation(title=title))
        store.add_message(Message.of_text(c.id, Role.USER, f"Notes about {title.lower()}"))
    conversation = store.create_conversation(Conversation(title="Summing a CSV column"))
    store.add_message(
        Message.of_text(conversation.id, Role.USER, "How do I sum a column of a CSV in Python?")
    )
    store.add_message(
        Message.of_text(
            conversation.id, Role.ASSISTANT, SAFE := SAMPLE,
            model="local/SmolLM2-135M-Instruct.Q4_1",
            usage=Usage(prompt_tokens=38, completion_tokens=212), cost=0.0, latency_ms=2140,
            reasoning="The user wants a short, standard-library answer.",
        )
    )  # fmt: skip
    del SAFE

    def wait(ms: int) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    theme.apply(app, services.settings)
    window = MainWindow(services)
    window.resize(1200, 780)
    window.show()
    window.conversations.select(conversation.id)
    window.pane.open(store.get_conversation(conversation.id))
    wait(300)
    # a real, long reply from the local model
    window.pane.composer.setPlainText(
        "Write a long explanation of how a CSV reader handles quoted fields."
    )
    window.pane.send()
    for _ in range(1800):
        if not window.pane.streaming:
            break
        wait(100)
    window.pane.stop()  # a reply still running after three minutes is kept as it stands
    while window.pane.streaming:
        wait(100)
    wait(300)
    for name in ("light", "dark"):
        services.settings.theme = name  # type: ignore[assignment]
        theme.apply(app, services.settings)
        wait(300)
        window.grab().save(str(OUT / f"main-{name}.png"))
        bar = window.pane.view.verticalScrollBar()
        bar.setValue(int(bar.maximum() * 0.0))
        wait(200)
        window.grab().save(str(OUT / f"main-{name}-top.png"))
    services.settings.theme = "light"
    theme.apply(app, services.settings)
    dialog = window.open_settings()
    dialog.resize(900, 600)
    wait(300)
    dialog.grab().save(str(OUT / "settings-provider.png"))
    dialog.show_page(dialog.pages_list.item(dialog.pages_list.count() - 1).text())
    wait(200)
    dialog.grab().save(str(OUT / "settings-plugins.png"))
    settings_file.save(services.settings)
    window.close()
    services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
