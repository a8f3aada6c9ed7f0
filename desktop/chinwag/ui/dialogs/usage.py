"""The Usage view: the ledger's totals by day, provider, model or usage id, as a chart and a
table. Figures come from the core (`usage_totals`); this only shows them."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chinwag.core.conversations.records import ConversationRecords
from chinwag.core.usage.ledger import Grouping, UsageTotals
from chinwag.ui.dialogs.usage_chart import BarChart

COLUMNS = ["", "Calls", "Prompt", "Completion", "Cost"]


class UsageDialog(QDialog):
    def __init__(self, records: ConversationRecords, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.records = records
        self.setWindowTitle(self.tr("Usage"))
        self.resize(720, 560)
        self.grouping = QComboBox()
        self.grouping.setAccessibleName(self.tr("Group by"))
        groupings = [("Day", "day"), ("Provider", "provider"), ("Model", "model"),
                     ("Usage id", "usage-id"), ("Conversation", "conversation")]  # fmt: skip
        for label, key in groupings:
            self.grouping.addItem(self.tr(label), key)
        self.measure = QComboBox()
        self.measure.setAccessibleName(self.tr("Chart"))
        for label, key in ((self.tr("Cost"), "cost"), (self.tr("Tokens"), "tokens"),
                           (self.tr("Calls"), "calls")):  # fmt: skip
            self.measure.addItem(label, key)
        self.period = QComboBox()
        self.period.setAccessibleName(self.tr("Period"))
        for label, days in ((self.tr("All time"), None), (self.tr("Last 7 days"), 7),
                            (self.tr("Last 30 days"), 30)):  # fmt: skip
            self.period.addItem(label, days)
        for combo in (self.grouping, self.measure, self.period):
            combo.currentIndexChanged.connect(self.refresh)

        self.chart = BarChart()
        scroller = QScrollArea()
        scroller.setWidgetResizable(True)
        scroller.setWidget(self.chart)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.total = QLabel()
        self.total.setAccessibleName(self.tr("Total"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        controls = QHBoxLayout()
        for text, combo in ((self.tr("Group by"), self.grouping), (self.tr("Chart"), self.measure),
                            (self.tr("Period"), self.period)):  # fmt: skip
            controls.addWidget(QLabel(text))
            controls.addWidget(combo)
        controls.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(scroller, 1)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total)
        layout.addWidget(buttons)
        self.rows: list[UsageTotals] = []
        self.refresh()

    def since(self) -> date | None:
        days = self.period.currentData()
        return None if days is None else date.today() - timedelta(days=days - 1)

    def refresh(self) -> None:
        by: Grouping = self.grouping.currentData()
        self.rows = self.records.usage_totals(by, since=self.since())
        if by == "conversation":  # people know their conversations by title
            self.rows = [row.model_copy(update={"key": self._title(row.key)}) for row in self.rows]
        measure = self.measure.currentData()
        self.chart.set_bars([_bar(row, measure) for row in self.rows])
        self.table.setHorizontalHeaderLabels([self.grouping.currentText(), *COLUMNS[1:]])
        self.table.setRowCount(len(self.rows))
        for index, row in enumerate(self.rows):
            cells = [row.key, f"{row.calls:,}", f"{row.prompt_tokens:,}",
                     f"{row.completion_tokens:,}", row.cost_text()]  # fmt: skip
            for column, text in enumerate(cells):
                self.table.setItem(index, column, QTableWidgetItem(text))
        total = UsageTotals(key="total")
        for row in self.rows:
            for name, value in row.model_dump(exclude={"key"}).items():
                setattr(total, name, getattr(total, name) + value)
        self.total.setText(
            self.tr("Total: {calls} calls, {tokens} tokens, {cost}").format(
                calls=f"{total.calls:,}", tokens=f"{total.tokens:,}", cost=total.cost_text()
            )
        )

    def _title(self, conversation_id: str) -> str:
        if conversation_id == "-":
            return self.tr("(no conversation)")
        try:
            return self.records.get(conversation_id).title or conversation_id
        except KeyError:
            return self.tr("(deleted)")


def _bar(row: UsageTotals, measure: str) -> tuple[str, float, str]:
    if measure == "tokens":
        return row.key, float(row.tokens), f"{row.tokens:,}"
    if measure == "calls":
        return row.key, float(row.calls), f"{row.calls:,}"
    return row.key, row.cost, row.cost_text()
