"""Resident memory (RSS) after one reply through litellm, against its floor.

Each figure comes from its own fresh process:
- python: a bare interpreter;
- pyside_window: a bare PySide6 window shown (offscreen), the floor of the desktop app;
- litellm_import: an interpreter after `import litellm` (its own cost is this minus python);
- chinwag_after_reply: Chinwag's core (store, plugins, catalog, ChatService) after one reply
  through litellm to the local llama.cpp server running in *another* process, so the model's
  own memory is not counted;
- chinwag_after_reply_local_model: the same with the built-in provider, llama.cpp and the
  model in-process as in the app (for reference: the model and its KV cache are in it).
- app_window_*: the real app (`ui.main.launch`, offscreen) with a 1,000-message
  conversation open, idle 3 s after it is ready; then a message typed (which starts the
  warm-up) and sent in a new conversation, after its reply: to the server in another
  process (app_window_after_reply, the goal's figure), and to the built-in model loaded
  in-process as the app does with no key (for reference).
Goals: idle with a window and a conversation open, under 120 MB; after one reply,
no more than floor + litellm's import cost + 50 MB.
"""

from __future__ import annotations

from typing import Any

from benchmarks._common import emit, run_child, start_local_server

RSS = """
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
"""

PYTHON = RSS + "import json; print(json.dumps({'mb': rss()}))"

PYSIDE = (
    RSS
    + """
import json
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
w = QWidget(); w.resize(800, 600); w.show()
for _ in range(20):
    app.processEvents()
print(json.dumps({'mb': rss()}))
"""
)

IDLE_GOAL_MB = 120

WINDOW = (
    RSS
    + """
import json, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from chinwag.core.types import Conversation, Message, Role
from chinwag.core.store import Store
from chinwag.core.system import paths
store = Store(paths.database_path())
c = store.create_conversation(Conversation(title="A thousand messages"))
for i in range(1000):
    role = Role.USER if i % 2 == 0 else Role.ASSISTANT
    store.add_message(Message.of_text(c.id, role, f"Message {{i}}. " + "Some words. " * 40))
short = {{"max_output_tokens": 32, "temperature": 0}}
remote = {base_url!r} and "bench/local"  # else the default: the built-in model, in-process
new = store.create_conversation(Conversation(title="New", model=remote, model_settings=short))
store.close()
from chinwag.ui.app.main import launch
app = QApplication(sys.argv)
window = launch(app)
figures = {{}}
def use_remote():
    from benchmarks._llm import bench_provider
    window.services.plugins.providers["bench"] = bench_provider({base_url!r}, {key!r})
    window.services.settings.default_model = remote  # so the warm-up loads no local model
def replied(streaming):
    if not streaming:
        figures["after_reply_mb"] = rss()
        print(json.dumps(figures), flush=True)
        app.quit()
def warmed():
    window.warm_up_thread.join(300)
    figures["after_warm_up_mb"] = rss()
    window.pane.streaming_changed.connect(replied)
    window.pane.send()
def idle():
    figures["idle_mb"] = rss()
    figures["litellm_imported_when_idle"] = "litellm" in sys.modules
    window.pane.open(window.services.store.get_conversation(new.id))
    window.pane.composer.setPlainText("Tell me about the sea.")  # starts the warm-up
    QTimer.singleShot(0, warmed)
def ready():
    if remote:
        use_remote()
    window.conversations.select(c.id)
    window.pane.open(window.services.store.get_conversation(c.id))
    QTimer.singleShot({idle_ms}, idle)
window.ready.connect(ready)
app.exec()
"""
)

LITELLM = RSS + "import json, litellm; print(json.dumps({'mb': rss()}))"

AFTER_REPLY = (
    RSS
    + """
import json, tempfile
from pathlib import Path
from chinwag.core.llm.catalog import Catalog
from chinwag.core.conversations.chat import ChatService
from chinwag.core.system.keys import KeyStore
from chinwag.core.types import Conversation
from benchmarks._llm import bench_provider
from chinwag.app import calls_for
from chinwag.core.system.settings import Settings
from chinwag.core.store import Store
from chinwag.plugins import load_plugins

plugins = load_plugins()
store = Store(Path(tempfile.mkdtemp()) / "chinwag.db")
providers = dict(plugins.providers)
if {remote!r}:
    providers["bench"] = bench_provider({base_url!r}, {key!r})
catalog = Catalog(providers, KeyStore(), Settings())
chat = ChatService(store, catalog, calls_for(store, Settings(), catalog, plugins.backend))
handle = "bench/local" if {remote!r} else catalog.default_handle()
settings = {{"max_output_tokens": 32}}
c = store.create_conversation(Conversation(model=handle, model_settings=settings))
before = rss()
reply = chat.send(c.id, "Tell me about the sea.")
assert reply.text, reply.error
print(json.dumps({{"mb": rss(), "before_reply_mb": before, "status": reply.status.value}}))
"""
)


def main() -> None:
    server, base_url, key = start_local_server()
    python = run_child(PYTHON)["mb"]
    pyside = run_child(PYSIDE, env={"QT_QPA_PLATFORM": "offscreen"})["mb"]
    litellm = run_child(LITELLM)["mb"]
    offscreen = {"QT_QPA_PLATFORM": "offscreen"}
    window = run_child(WINDOW.format(idle_ms=3000, base_url=base_url, key=key), env=offscreen)
    remote = run_child(AFTER_REPLY.format(remote=True, base_url=base_url, key=key))
    server.stop()
    local = run_child(AFTER_REPLY.format(remote=False, base_url="", key=""))
    window_local = run_child(WINDOW.format(idle_ms=3000, base_url="", key=""), env=offscreen)
    litellm_cost = litellm - python
    goal = pyside + litellm_cost + 50
    result: dict[str, Any] = {
        "benchmark": "memory",
        "rss_mb": {
            "python": round(python, 1),
            "pyside_window": round(pyside, 1),
            "litellm_import": round(litellm, 1),
            "chinwag_before_reply": round(remote["before_reply_mb"], 1),
            "chinwag_after_reply": round(remote["mb"], 1),
            "chinwag_after_reply_local_model": round(local["mb"], 1),
            "app_window_idle": round(window["idle_mb"], 1),
            "app_window_after_reply": round(window["after_reply_mb"], 1),
            "app_window_after_reply_local_model": round(window_local["after_reply_mb"], 1),
        },
        "litellm_imported_while_idle": window["litellm_imported_when_idle"],
        "goal_idle_mb": IDLE_GOAL_MB,
        "idle_met": window["idle_mb"] < IDLE_GOAL_MB,
        "litellm_import_cost_mb": round(litellm_cost, 1),
        "goal_after_reply_mb": round(goal, 1),
        "after_reply_met": window["after_reply_mb"] <= goal,
    }
    emit(result)


if __name__ == "__main__":
    main()
