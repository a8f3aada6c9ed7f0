"""The Usage view (File > Usage…) and the composer's estimate, offscreen with pytest-qt."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from PySide6.QtGui import QColor, QPalette
from pytestqt.qtbot import QtBot

from chinwag.app import Services
from chinwag.core.types import Usage
from chinwag.core.usage.ledger import CallRecord
from chinwag.ui.app.main_window import MainWindow
from chinwag.ui.dialogs.usage import UsageDialog


def _record(provider: str, cost: float | None, days_ago: int = 0, prompt: int = 10) -> CallRecord:
    return CallRecord(
        created_at=datetime.now(UTC) - timedelta(days=days_ago),
        usage_id="chat" if provider != "anthropic" else "title",
        provider=provider,
        model=f"{provider}/m",
        usage=Usage(prompt_tokens=prompt, completion_tokens=2),
        cost=cost,
        latency_ms=10,
        outcome="ok",
    )


def test_the_usage_view_opens_from_the_menu_and_shows_the_ledger(
    qtbot: QtBot, services: Services
) -> None:
    for record in (_record("openai", 0.5), _record("openai", 0.25, days_ago=40),
                   _record("anthropic", 1.0), _record("mystery", None)):  # fmt: skip
        services.store.usage.record(record)
    window = MainWindow(services)
    qtbot.addWidget(window)
    action = next(
        a for m in window.menuBar().actions() for a in m.menu().actions() if a.text() == "Usage…"
    )
    action.trigger()
    dialog = window.findChild(UsageDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)

    dialog.grouping.setCurrentIndex(dialog.grouping.findData("provider"))
    keys = [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]
    assert keys == ["anthropic", "openai", "mystery"]  # largest spend first
    assert dialog.table.item(1, 4).text() == "$0.750000"
    assert dialog.table.item(2, 4).text() == "unknown"
    assert "4 calls" in dialog.total.text() and "1 unpriced" in dialog.total.text()
    assert [bar[0] for bar in dialog.chart.bars] == keys
    assert dialog.chart.bars[0][1] == 1.0

    dialog.period.setCurrentIndex(dialog.period.findData(30))  # the 40-day-old call leaves
    openai = next(b for b in dialog.chart.bars if b[0] == "openai")
    assert openai[2] == "$0.500000"

    dialog.grouping.setCurrentIndex(dialog.grouping.findData("conversation"))
    assert [bar[0] for bar in dialog.chart.bars] == ["(no conversation)"]
    dialog.grouping.setCurrentIndex(dialog.grouping.findData("provider"))

    dialog.measure.setCurrentIndex(dialog.measure.findData("tokens"))
    assert {b[0]: b[1] for b in dialog.chart.bars}["openai"] == 12.0

    image = dialog.chart.grab().toImage()
    highlight = dialog.chart.palette().color(QPalette.ColorRole.Highlight)
    painted = {
        QColor(image.pixel(x, y)).name()
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
    }
    assert highlight.name() in painted  # the bars are drawn


def test_the_composer_shows_an_estimate_before_sending(
    qtbot: QtBot, local_services: Services
) -> None:
    window = MainWindow(local_services)
    qtbot.addWidget(window)
    composer = window.pane.composer
    assert composer.estimate_text == ""
    composer.setPlainText("How far is the moon from the earth, roughly, in kilometres?")
    qtbot.waitUntil(lambda: composer.estimate_text != "", timeout=5000)
    assert composer.estimate_text.startswith("≈ ")
    assert "tokens · free" in composer.estimate_text  # the local model costs nothing
    composer.clear()
    qtbot.waitUntil(lambda: composer.estimate_text == "", timeout=5000)


def test_the_estimate_prices_a_known_model_and_says_when_it_cannot(services: Services) -> None:
    from chinwag.core.llm.litellm_import import import_litellm
    from chinwag.core.usage.pricing import estimate_prompt

    known = estimate_prompt(services.calls.resolve, "openai/gpt-4o", ["x" * 300])
    assert known.prompt_tokens == 104  # 300 characters / 3 + 4 per message
    rate = import_litellm().model_cost["gpt-4o"]["input_cost_per_token"]
    assert known.cost is not None and abs(known.cost - 104 * rate) < 1e-12
    assert known.label() == f"≈ 104 tokens · ${104 * rate:.4f}"
    unknown = estimate_prompt(services.calls.resolve, "openai_compatible/whatever", ["hi"])
    assert unknown.cost is None and unknown.label().endswith("price unknown")


def test_routers_can_be_picked_as_a_conversations_model(
    qtbot: QtBot, local_services: Services
) -> None:
    from chinwag.core.types import Conversation
    from chinwag.ui.conversation.pane import ConversationPane

    conversation = local_services.store.create_conversation(Conversation(title="routed"))
    pane = ConversationPane(local_services)
    qtbot.addWidget(pane)
    pane.open(conversation)
    handles = [pane.model_picker.itemData(i) for i in range(pane.model_picker.count())]
    assert "router/vision" in handles and "router/budget_fallback" in handles
    index = handles.index("router/budget_fallback")
    pane.model_picker.setCurrentIndex(index)
    pane.model_picker.activated.emit(index)
    assert local_services.store.get_conversation(conversation.id).model == "router/budget_fallback"
