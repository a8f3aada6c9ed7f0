"""The message composer: multi-line text plus images dropped or pasted onto it."""

from __future__ import annotations

import base64
from collections.abc import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QPlainTextEdit, QSizePolicy, QWidget

from chinwag.core.types import ContentPart, ImagePart, TextPart

MAX_IMAGE_SIDE = 2048
ESTIMATE_DELAY_MS = 300  # after typing pauses


def image_part(image: QImage) -> ImagePart:
    if max(image.width(), image.height()) > MAX_IMAGE_SIDE:
        image = image.scaled(
            MAX_IMAGE_SIDE,
            MAX_IMAGE_SIDE,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; only str works
    return ImagePart(media_type="image/png", data=base64.b64encode(bytes(data.data())).decode())


class Composer(QPlainTextEdit):
    """Enter sends and Shift+Enter breaks the line, or the other way round (a setting)."""

    send_requested = Signal()
    attachments_changed = Signal(int)

    def __init__(self, enter_sends: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enter_sends = enter_sends
        self.images: list[ImagePart] = []
        self.setAccessibleName(self.tr("Message"))
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 14)
        self.update_placeholder()
        # The prompt's estimated tokens and cost, drawn in the corner; the pane supplies
        # the estimator (draft text -> label), the core computes it.
        self.estimator: Callable[[str], str] | None = None
        self.estimate_text = ""
        self._estimate_timer = QTimer(self)
        self._estimate_timer.setSingleShot(True)
        self._estimate_timer.setInterval(ESTIMATE_DELAY_MS)
        self._estimate_timer.timeout.connect(self.update_estimate)
        self.textChanged.connect(self._estimate_timer.start)

    def update_estimate(self) -> None:
        text = self.toPlainText().strip()
        try:
            estimate = self.estimator(text) if self.estimator and text else ""
        except Exception:  # an estimate is a hint: never in the way of typing
            estimate = ""
        if estimate != self.estimate_text:
            self.estimate_text = estimate
            self.setToolTip(estimate)
            self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.estimate_text:
            return
        painter = QPainter(self.viewport())
        painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        area = self.viewport().rect().adjusted(4, 2, -6, -4)
        flags = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom
        painter.drawText(area, flags, self.estimate_text)
        painter.end()

    def update_placeholder(self) -> None:
        if self.enter_sends:
            text = self.tr("Message (Enter sends, Shift+Enter new line; drop or paste images)")
        else:
            text = self.tr("Message (Ctrl+Enter sends, Enter new line; drop or paste images)")
        self.setPlaceholderText(text)

    def has_content(self) -> bool:
        return bool(self.toPlainText().strip() or self.images)

    def content(self) -> list[ContentPart]:
        parts: list[ContentPart] = []
        text = self.toPlainText().strip()
        if text:
            parts.append(TextPart(text=text))
        parts += self.images
        return parts

    def reset(self) -> None:
        self.clear()
        self.images = []
        self.attachments_changed.emit(0)

    def attach(self, image: QImage) -> None:
        if image.isNull():
            return
        self.images.append(image_part(image))
        self.attachments_changed.emit(len(self.images))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            modifiers = event.modifiers()
            shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
            ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
            if (self.enter_sends and not shift) or (not self.enter_sends and ctrl):
                self.send_requested.emit()
                return
            self.insertPlainText("\n")
            return
        super().keyPressEvent(event)

    # Images arrive by paste and by drag and drop through the same two hooks.
    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return (
            source.hasImage() or _image_files(source) != [] or super().canInsertFromMimeData(source)
        )

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasImage():
            self.attach(QImage(source.imageData()))
            return
        files = _image_files(source)
        if files:
            for path in files:
                self.attach(QImage(path))
            return
        super().insertFromMimeData(source)


def _image_files(source: QMimeData) -> list[str]:
    if not source.hasUrls():
        return []
    suffixes = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp")
    return [
        url.toLocalFile()
        for url in source.urls()
        if url.isLocalFile() and url.toLocalFile().lower().endswith(suffixes)
    ]
