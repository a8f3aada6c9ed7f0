"""The conversation view: virtualized, no widget per message.

The view knows every message only by id and an estimated height (from
`ConversationRecords.outline`, one cheap query). It renders a message to a QTextDocument when
the message first scrolls into view, keeps the few hundred most recent renders, and
replaces the estimate with the real height then. Opening 10,000 messages therefore costs
one query and the rendering of one screenful.

One widget, over 400 lines on purpose: layout, painting, selection and links all work on
the same row geometry (ids, offsets, heights, renders), which a split would have to share
through a second object on every paint and mouse move, the paths benchmarks/ui_* measure.
"""

from __future__ import annotations

import bisect
import itertools
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QContextMenuEvent,
    QDesktopServices,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextDocument,
)
from PySide6.QtWidgets import QAbstractScrollArea, QMenu, QWidget

from chinwag.core.conversations.branches import VersionInfo
from chinwag.core.conversations.records import ConversationRecords
from chinwag.core.types import Message, Role
from chinwag.ui.render.markdown import (
    ACTION_SCHEME,
    SAFE_SCHEMES,
    Decor,
    Rendered,
    mark_copied,
    render,
)
from chinwag.ui.render.selection import Selection, whole, word_at
from chinwag.ui.render.streaming import StreamingRender

CACHE_SIZE = 300
GAP = 6
MARGIN = 12


@dataclass
class _Frame:
    """What one paint needs of the view, read once."""

    width: int
    height: int
    text_width: int
    palette: QPalette
    context: QAbstractTextDocumentLayout.PaintContext


class MessageView(QAbstractScrollArea):
    # action ("retry", "continue", "regenerate", "edit", "version/prev", "version/next"), id
    action_requested = Signal(str, str)
    link_opened = Signal(QUrl)

    def __init__(
        self,
        records: ConversationRecords,
        parent: QWidget | None = None,
        versions: Callable[[str], VersionInfo] | None = None,
    ) -> None:
        super().__init__(parent)
        self.records = records
        self.versions = versions
        self._summaries: dict[str, str] = {}  # last evicted message id -> compaction summary
        self._open_summaries: set[str] = set()
        self.setAccessibleName(self.tr("Conversation"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self.verticalScrollBar().setSingleStep(24)
        self.ids: list[str] = []
        self._heights: list[int] = []
        self._exact: list[bool] = []
        self._offsets: list[int] = [0]
        self._messages: OrderedDict[str, Message] = OrderedDict()
        self._renders: OrderedDict[str, Rendered] = OrderedDict()
        self._live: dict[str, StreamingRender] = {}
        self._expanded: set[str] = set()
        self._pressed: str | None = None
        self._selection: Selection | None = None
        self._selecting = False  # a left-button drag that started on text, not on a link
        self._follow = True

    # -- content --------------------------------------------------------------------------

    def show_conversation(self, conversation_id: str | None) -> None:
        outline = self.records.outline(conversation_id) if conversation_id else []
        self.ids = [row[0] for row in outline]
        compactions = self.records.compactions(conversation_id) if conversation_id else []
        self._summaries = {c.last_evicted_id: c.summary for c in compactions}
        self._open_summaries.clear()
        self._heights = self._estimates(outline)
        self._exact = [False] * len(self.ids)
        self._messages.clear()
        self._renders.clear()
        self._live.clear()
        self._expanded.clear()
        self._selection = None
        self._follow = True
        self._relayout()

    def restyle(self) -> None:
        """Palette or font changed: render again, streaming replies included."""
        self._renders.clear()
        for message_id, live in list(self._live.items()):
            restyled = StreamingRender(
                live.message, self.palette(), self._text_width(), self.font()
            )
            restyled.append(live.text)
            self._live[message_id] = restyled
        self._exact = [False] * len(self.ids)
        self.viewport().update()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self.restyle()

    def append_message(self, message: Message) -> None:
        """A message the store already holds: the user's, or a reply about to stream."""
        self.ids.append(message.id)
        self._heights.append(40)
        self._exact.append(False)
        self._remember(message)
        self._relayout()

    def start_stream(self, message: Message) -> None:
        self.append_message(message)
        self._live[message.id] = StreamingRender(
            message, self.palette(), self._text_width(), self.font()
        )

    def stream_text(self, message_id: str, text: str) -> None:
        """Append streamed text: only this message's tail is laid out again."""
        live = self._live.get(message_id)
        if live is None or not text:
            return
        live.append(text)
        row = len(self.ids) - 1 if self.ids and self.ids[-1] == message_id else None
        if row is None:
            row = self.ids.index(message_id)
        self._set_height(row, self._height_of(live.rendered))
        self._relayout()

    def settle(
        self, conversation_id: str, placeholders: set[str], leaf_id: str | None = None
    ) -> None:
        """Swap the rows shown before the store had them (the prompt, the live reply) for
        the stored messages, without reloading the rest of the conversation: found by
        walking up from the branch's new `leaf_id`, a few lookups, not a walk of it all."""
        first = next((i for i, mid in enumerate(self.ids) if mid in placeholders), None)
        if first is None:
            return
        del self.ids[first:], self._heights[first:], self._exact[first:]
        stored = self._path_to(leaf_id) if leaf_id is not None else None
        if stored is None:
            stored = self.records.messages(conversation_id, offset=first)
        for message_id in placeholders:
            self._messages.pop(message_id, None)
            self._renders.pop(message_id, None)
            self._live.pop(message_id, None)
        for message in stored:
            self.ids.append(message.id)
            self._heights.append(40)
            self._exact.append(False)
            self._remember(message)
        self._offsets = []
        self._relayout()

    def follow(self, conversation_id: str, changed: set[str], leaf_id: str | None) -> None:
        """The store changed under this conversation (another writer): append the new
        messages and render the changed ones again. New messages are found by walking up
        from the new leaf to the last one shown, so a 10,000-message conversation costs a
        few lookups; only a switched branch reloads the outline."""
        added = self._path_to(leaf_id)
        if added is None:
            self.show_conversation(conversation_id)
            return
        estimates = self._estimates(
            [(m.id, len(m.text) + len(m.reasoning), m.text.count("\n")) for m in added]
        )
        for message, estimate in zip(added, estimates, strict=True):
            self.ids.append(message.id)
            self._heights.append(estimate)
            self._exact.append(False)
            self._remember(message)
        for message_id in changed & set(self.ids):
            self.refresh_message(message_id)
        self._offsets = []
        self._relayout()

    def _path_to(self, leaf_id: str | None, limit: int = 200) -> list[Message] | None:
        """The messages after the last shown one up to `leaf_id`, oldest first; None when
        the leaf is not below the last shown message (another branch, or too far)."""
        last = self.ids[-1] if self.ids else None
        found: list[Message] = []
        current = leaf_id
        while current != last:
            if current is None or len(found) >= limit:
                return None
            try:
                message = self.records.message(current)
            except KeyError:
                return None
            found.append(message)
            current = message.parent_id
        return found[::-1]

    def refresh_message(self, message_id: str) -> None:
        self._messages.pop(message_id, None)
        self._renders.pop(message_id, None)
        if message_id in self.ids:
            self._exact[self.ids.index(message_id)] = False
        self.viewport().update()

    def message(self, message_id: str) -> Message:
        if message_id not in self._messages:
            self._remember(self.records.message(message_id))
        self._messages.move_to_end(message_id)
        return self._messages[message_id]

    def last_reply_text(self) -> str | None:
        for message_id in reversed(self.ids):
            live = self._live.get(message_id)
            if live is not None:
                return live.text
            message = self.message(message_id)
            if message.role == Role.ASSISTANT and message.text:
                return message.text
        return None

    def live_text(self, message_id: str) -> str:
        live = self._live.get(message_id)
        return live.text if live else ""

    def document_of(self, message_id: str) -> QTextDocument:
        """What the view shows of a message (rendered now if it was not yet)."""
        return self._rendered(self.ids.index(message_id)).document

    def rendered_ids(self) -> list[str]:
        """The messages rendered and kept: a screenful or so, never the whole history."""
        return list(self._renders)

    def top_of(self, message_id: str) -> int:
        """Where a message starts, in viewport coordinates."""
        return self._offsets[self.ids.index(message_id)] - self.verticalScrollBar().value()

    def _remember(self, message: Message) -> None:
        self._messages[message.id] = message
        while len(self._messages) > CACHE_SIZE:
            self._messages.popitem(last=False)

    # -- geometry -------------------------------------------------------------------------

    def _text_width(self) -> int:
        return max(200, self.viewport().width() - 2 * MARGIN)

    def _estimates(self, outline: list[tuple[str, int, int]]) -> list[int]:
        """Heights of messages not rendered yet, from their characters and line breaks:
        one list comprehension of integer arithmetic (10,000 rows in about 2 ms), so the
        scrollbar spans the whole conversation from the first paint."""
        metrics = self.fontMetrics()
        per_line = max(20, self._text_width() // max(1, metrics.averageCharWidth()))
        spacing = metrics.lineSpacing()
        # (rows + 3) lines: the text's rows plus header and footer; 24: margins and gap
        return [(lines + 4 + chars // per_line) * spacing + 24 for _, chars, lines in outline]

    def _height_of(self, rendered: Rendered) -> int:
        return int(rendered.document.size().height()) + GAP

    def _set_height(self, row: int, height: int) -> None:
        grown = height - self._heights[row]
        if grown:
            self._heights[row] = height
            if row == len(self._heights) - 1 and len(self._offsets) == row + 2:
                self._offsets[-1] += grown  # a streaming reply at the end moves no other row
            else:
                self._offsets = []
        self._exact[row] = True

    def _relayout(self, repaint: bool = True) -> None:
        if not self._offsets or len(self._offsets) != len(self._heights) + 1:
            self._offsets = [0, *itertools.accumulate(self._heights)]
        bar = self.verticalScrollBar()
        bar.setPageStep(self.viewport().height())
        bar.setRange(0, max(0, self._offsets[-1] - self.viewport().height()))
        if self._follow:
            bar.setValue(bar.maximum())  # a moved value repaints through scrollContentsBy
        if repaint:
            self.viewport().update()

    def _rendered(self, row: int) -> Rendered:
        message_id = self.ids[row]
        live = self._live.get(message_id)
        if live is not None:
            return live.rendered
        rendered = self._renders.get(message_id)
        if rendered is None:
            rendered = render(
                self.message(message_id),
                self.palette(),
                self._text_width(),
                self.font(),
                show_reasoning=message_id in self._expanded,
                decor=self._decor(message_id),
            )
            self._renders[message_id] = rendered
            while len(self._renders) > CACHE_SIZE:
                self._renders.popitem(last=False)
        self._renders.move_to_end(message_id)
        return rendered

    def _decor(self, message_id: str) -> Decor:
        version = None
        if self.versions is not None:
            try:
                info = self.versions(message_id)
            except KeyError:  # a placeholder the store does not hold yet
                info = None
            if info is not None and info.count > 1:
                version = (info.index, info.count)
        return Decor(
            version=version,
            pinned=self.message(message_id).pinned,
            summary=self._summaries.get(message_id),
            summary_open=message_id in self._open_summaries,
        )

    def _row_at(self, y: int) -> int:
        return max(0, bisect.bisect_right(self._offsets, y) - 1)

    def visible_rows(self) -> range:
        top = self.verticalScrollBar().value()
        if not self.ids:
            return range(0)
        first = self._row_at(top)
        last = self._row_at(top + self.viewport().height())
        return range(first, min(len(self.ids), last + 1))

    # -- painting -------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        if not self._offsets or len(self._offsets) != len(self._heights) + 1:
            self._relayout()
        painter = QPainter(self.viewport())
        top = self.verticalScrollBar().value()
        # what is the same for every message is read once per frame, not per message
        frame = _Frame(
            self.viewport().width(),
            self.viewport().height(),
            self._text_width(),
            self.palette(),
            QAbstractTextDocumentLayout.PaintContext(),
        )
        frame.context.palette = frame.palette
        row = self._row_at(top) if self.ids else 0
        y = self._offsets[row] - top if self.ids else 0
        changed = False
        while row < len(self.ids) and y < frame.height:
            rendered = self._rendered(row)
            real = self._height_of(rendered)
            if real != self._heights[row] or not self._exact[row]:
                changed = changed or real != self._heights[row]
                self._set_height(row, real)
            self._paint_message(painter, row, rendered, y, real, frame)
            y += real
            row += 1
        painter.end()
        if changed:
            # The rows just painted were drawn at their real heights and the rows above
            # kept theirs, so the frame on screen is already right: only the scrollbar
            # range changes, and a second paint of the same rows would double the frame.
            self._relayout(repaint=False)

    def _paint_message(
        self, painter: QPainter, row: int, rendered: Rendered, y: int, height: int, frame: _Frame
    ) -> None:
        message = self._messages.get(self.ids[row])
        if message is not None and message.role == Role.USER:
            box = QRect(MARGIN // 2, y, frame.width - MARGIN, height - GAP)
            painter.fillRect(box, frame.palette.color(QPalette.ColorRole.AlternateBase))
        painter.save()
        painter.translate(MARGIN, y)
        # only the part on screen: a long reply streaming at the bottom is not drawn whole
        top = max(0, -y)
        bottom = min(height, frame.height - y)
        clip = QRectF(0, top, frame.text_width, max(0, bottom - top))
        context = frame.context
        context.clip = clip
        selection = self._selection
        shown = selection is not None and selection.message_id == self.ids[row]
        if selection is not None and shown and not selection.empty:
            context.selections = [selection.highlight(rendered, frame.palette)]
        else:
            context.selections = []
        painter.setClipRect(clip)
        rendered.document.documentLayout().draw(painter, context)
        painter.restore()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width = self._text_width()
        for rendered in self._renders.values():
            rendered.document.setTextWidth(width)
        for live in self._live.values():
            live.set_width(width)
        self._exact = [False] * len(self.ids)
        self._relayout()

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        bar = self.verticalScrollBar()
        self._follow = bar.value() >= bar.maximum() - 4
        self.viewport().update()

    def sizeHint(self) -> QSize:
        return QSize(600, 400)

    # -- interaction ----------------------------------------------------------------------

    def anchor_at(self, point: QPoint) -> tuple[str, str] | None:
        """(message id, href) of the link under a viewport point."""
        if not self.ids:
            return None
        y = point.y() + self.verticalScrollBar().value()
        row = self._row_at(y)
        if row >= len(self.ids):
            return None
        rendered = self._rendered(row)
        local = point - QPoint(MARGIN, self._offsets[row] - self.verticalScrollBar().value())
        href = rendered.document.documentLayout().anchorAt(local)
        return (self.ids[row], href) if href else None

    def position_at(self, point: QPoint, row: int | None = None) -> tuple[int, int] | None:
        """(row, text position) under a viewport point; with `row`, the point is clamped
        to that message, so a drag past its edge selects to its start or end."""
        if not self.ids:
            return None
        top = self.verticalScrollBar().value()
        hit_row = min(self._row_at(point.y() + top), len(self.ids) - 1)
        row = hit_row if row is None else row
        rendered = self._rendered(row)
        if hit_row < row:
            return row, 0
        if hit_row > row:
            return row, max(0, rendered.document.characterCount() - 1)
        local = QPointF(point - QPoint(MARGIN, self._offsets[row] - top))
        layout = rendered.document.documentLayout()
        return row, max(0, layout.hitTest(local, Qt.HitTestAccuracy.FuzzyHit))

    def selected_text(self) -> str:
        selection = self._selection
        if selection is None or selection.empty or selection.message_id not in self.ids:
            return ""
        return selection.text(self._rendered(self.ids.index(selection.message_id)))

    def copy_selection(self) -> bool:
        text = self.selected_text()
        if text:
            QGuiApplication.clipboard().setText(text)
        return bool(text)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        if self._selecting and self._selection is not None:
            if self._selection.message_id not in self.ids:  # settled while dragging
                self._selecting = False
                return
            hit = self.position_at(point, self.ids.index(self._selection.message_id))
            if hit is not None:
                self._selection.position = hit[1]
                self.viewport().update()
            self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
            return
        link = self.anchor_at(point)
        shape = Qt.CursorShape.PointingHandCursor if link else Qt.CursorShape.IBeamCursor
        self.viewport().setCursor(shape)
        tip = link[1] if link and not link[1].startswith(ACTION_SCHEME) else ""
        self.viewport().setToolTip(tip)
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        hit = self.anchor_at(point)
        self._pressed = f"{hit[0]}\n{hit[1]}" if hit else None
        if event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self._selection = None
            at = None if hit else self.position_at(point)
            if at is not None:
                self._selection = Selection(self.ids[at[0]], at[1], at[1])
                self._selecting = True
            self.viewport().update()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        hit = self.anchor_at(event.position().toPoint())
        if hit and self._pressed == f"{hit[0]}\n{hit[1]}":
            self.activate_link(hit[0], hit[1])
        self._pressed = None
        self._selecting = False
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        at = self.position_at(event.position().toPoint())
        if at is None or event.button() != Qt.MouseButton.LeftButton:
            return
        self._selection = word_at(self._rendered(at[0]), at[1], self.ids[at[0]])
        self.viewport().update()

    def activate_link(self, message_id: str, href: str) -> None:
        """A click on a link: app actions, or http/https in the system browser; else nothing."""
        url = QUrl(href)
        scheme = url.scheme().lower()
        if scheme == ACTION_SCHEME:
            self._run_action(message_id, url.path())
        elif scheme in SAFE_SCHEMES and url.isValid():
            QDesktopServices.openUrl(url)
            self.link_opened.emit(url)

    def _run_action(self, message_id: str, action: str) -> None:
        if action.startswith("copy/"):
            row = self.ids.index(message_id)
            codes = self._rendered(row).code_blocks
            index = int(action.removeprefix("copy/"))
            if 0 <= index < len(codes):
                QGuiApplication.clipboard().setText(codes[index])
                mark_copied(self._rendered(row).document, index)
                self.viewport().update()
        elif action == "reasoning":
            self._expanded ^= {message_id}
            self.refresh_message(message_id)
        elif action == "summary":
            self._open_summaries ^= {message_id}
            self.refresh_message(message_id)
        else:
            self.action_requested.emit(action, message_id)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if not self.ids:
            return
        y = event.pos().y() + self.verticalScrollBar().value()
        message_id = self.ids[min(self._row_at(y), len(self.ids) - 1)]
        menu = QMenu(self)
        copy_selected = menu.addAction(self.tr("Copy"))
        copy_selected.setShortcut(QKeySequence.StandardKey.Copy)
        copy_selected.setEnabled(bool(self.selected_text()))
        copy = menu.addAction(self.tr("Copy message"))
        select_all = menu.addAction(self.tr("Select message text"))
        stored = message_id not in self._live and self._stored(message_id)
        pinned = stored and self.message(message_id).pinned
        pin = menu.addAction(self.tr("Unpin message") if pinned else self.tr("Pin message"))
        pin.setToolTip(self.tr("A pinned message stays in the model's context when compacting"))
        pin.setEnabled(stored)
        chosen = menu.exec(event.globalPos())
        if chosen is copy_selected:
            self.copy_selection()
        elif chosen is select_all:
            self._selection = whole(self._rendered(self.ids.index(message_id)), message_id)
            self.viewport().update()
        elif chosen is copy:
            text = self.live_text(message_id) or self.message(message_id).text
            QGuiApplication.clipboard().setText(text)
        elif chosen is pin:
            self.set_pinned(message_id, not pinned)

    def _stored(self, message_id: str) -> bool:
        try:
            self.message(message_id)
        except KeyError:
            return False
        return True

    def set_pinned(self, message_id: str, pinned: bool) -> None:
        """Pin or unpin a message and show it on the message."""
        self.records.set_pinned(message_id, pinned)
        self.refresh_message(message_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        bar = self.verticalScrollBar()
        if event.matches(QKeySequence.StandardKey.Copy):
            if not self.copy_selection():
                super().keyPressEvent(event)
        elif event.matches(QKeySequence.StandardKey.SelectAll) and self._selection is not None:
            message_id = self._selection.message_id
            if message_id in self.ids:
                self._selection = whole(self._rendered(self.ids.index(message_id)), message_id)
                self.viewport().update()
        elif event.key() == Qt.Key.Key_Home:
            bar.setValue(0)
        elif event.key() == Qt.Key.Key_End:
            bar.setValue(bar.maximum())
        else:
            super().keyPressEvent(event)
