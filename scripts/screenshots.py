"""Take the README screenshots: a conversation with a real reply from the local model
plus a stored code/table answer, light and dark, and the settings dialog.

Run under Xvfb, with a keyring session for the key field:
  xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session -- scripts/with_keyring.sh \
    .venv/bin/python scripts/screenshots.py
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
    conversation = store.create_conversation(
        Conversation(title="Summing a CSV column", model_settings={"max_output_tokens": 200})
    )
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
    for _ in range(2400):
        if not window.pane.streaming:
            break
        wait(100)
    window.pane.stop()  # a reply still running after four minutes is kept as it stands
    while window.pane.streaming:
        wait(100)
    wait(300)
    for name in ("light", "dark"):
        services.settings.theme = name  # type: ignore[assignment]
        theme.apply(app, services.settings)
        wait(300)
        bar = window.pane.view.verticalScrollBar()
        bar.setValue(bar.maximum())
        wait(300)
        window.grab().save(str(OUT / f"main-{name}.png"))
        bar.setValue(0)
        wait(200)
        window.grab().save(str(OUT / f"main-{name}-top.png"))
    services.settings.theme = "light"
    theme.apply(app, services.settings)
    if not any(p.key_name for p in services.plugins.providers.values()):
        # no keyed provider plugin installed here: show the key field on an example page
        from chinwag.core.provider import ModelInfo, Provider

        services.plugins.providers["example"] = Provider(
            id="example",
            display_name="Example cloud (screenshot only)",
            litellm_prefix="openai",
            key_name="example",
            key_env_var="EXAMPLE_API_KEY",
            base_url="https://api.example.com/v1",
            list_models=lambda: [ModelInfo(name="example-1")],
        )
    dialog = window.open_settings()
    dialog.resize(900, 600)
    wait(300)
    dialog.grab().save(str(OUT / "settings-local.png"))
    keyed = next(p for p in dialog.provider_pages if p.provider.key_name)
    dialog.pages_list.setCurrentRow(dialog.provider_pages.index(keyed))
    wait(200)
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
