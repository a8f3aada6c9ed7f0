"""The composer: Enter/Shift+Enter (configurable), images by paste or drop, send gating."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QColor, QImage
from pytestqt.qtbot import QtBot

from chinwag.core.types import ImagePart, TextPart
from chinwag.ui.conversation.composer import Composer


def test_enter_sends_and_shift_enter_breaks_the_line(qtbot: QtBot) -> None:
    composer = Composer(enter_sends=True)
    qtbot.addWidget(composer)
    sent: list[bool] = []
    composer.send_requested.connect(lambda: sent.append(True))
    qtbot.keyClicks(composer, "one")
    qtbot.keyClick(composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(composer, "two")
    assert composer.toPlainText() == "one\ntwo" and sent == []
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    assert sent == [True]


def test_the_other_way_round_when_configured(qtbot: QtBot) -> None:
    composer = Composer(enter_sends=False)
    qtbot.addWidget(composer)
    sent: list[bool] = []
    composer.send_requested.connect(lambda: sent.append(True))
    qtbot.keyClicks(composer, "one")
    qtbot.keyClick(composer, Qt.Key.Key_Return)
    assert composer.toPlainText() == "one\n" and sent == []
    qtbot.keyClick(composer, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert sent == [True]


def test_pasted_and_dropped_images_become_parts(qtbot: QtBot, tmp_path: Path) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    assert not composer.has_content()
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor("red"))
    pasted = QMimeData()
    pasted.setImageData(image)
    composer.insertFromMimeData(pasted)  # what Ctrl+V and a drop both call
    assert composer.has_content()  # an image alone is worth sending
    file = tmp_path / "photo.png"
    image.save(str(file))
    dropped = QMimeData()
    dropped.setUrls([QUrl.fromLocalFile(str(file))])
    assert composer.canInsertFromMimeData(dropped)
    composer.insertFromMimeData(dropped)
    qtbot.keyClicks(composer, "what is this?")
    parts = composer.content()
    assert isinstance(parts[0], TextPart) and parts[0].text == "what is this?"
    assert [type(p) for p in parts[1:]] == [ImagePart, ImagePart]
    assert QImage.fromData(__import__("base64").b64decode(parts[1].data)).width() == 40
    composer.reset()
    assert not composer.has_content()
