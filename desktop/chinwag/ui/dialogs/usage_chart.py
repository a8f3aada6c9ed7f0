"""A horizontal bar chart drawn with QPainter (PySide6-Essentials has no QtCharts)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

BAR_HEIGHT = 18
GAP = 6
LABEL_WIDTH = 0.34  # of the widget's width


class BarChart(QWidget):
    """One bar per (label, value, shown text); bars scale to the largest value."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[tuple[str, float, str]] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setAccessibleName(self.tr("Usage chart"))

    def set_bars(self, bars: list[tuple[str, float, str]]) -> None:
        self.bars = bars
        self.setAccessibleDescription("; ".join(f"{label}: {text}" for label, _, text in bars))
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(420, max(1, len(self.bars)) * (BAR_HEIGHT + GAP) + GAP)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if not self.bars:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No calls yet"))
            return
        largest = max(value for _, value, _ in self.bars) or 1.0
        label_width = self.width() * LABEL_WIDTH
        text_width = 110
        room = max(1.0, self.width() - label_width - text_width - 2 * GAP)
        metrics = painter.fontMetrics()
        for row, (label, value, text) in enumerate(self.bars):
            top = GAP + row * (BAR_HEIGHT + GAP)
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            shown = metrics.elidedText(label, Qt.TextElideMode.ElideMiddle, int(label_width) - GAP)
            label_box = QRectF(0, top, label_width - GAP, BAR_HEIGHT)
            painter.drawText(label_box, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                             shown)  # fmt: skip
            width = max(1.0, room * value / largest) if value > 0 else 0.0
            painter.fillRect(QRectF(label_width, top, width, BAR_HEIGHT),
                             palette.color(QPalette.ColorRole.Highlight))  # fmt: skip
            text_box = QRectF(label_width + width + GAP, top, text_width, BAR_HEIGHT)
            painter.drawText(text_box, Qt.AlignmentFlag.AlignVCenter, text)
