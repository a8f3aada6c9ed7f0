"""One conversation: its messages, composer, model picker, model settings and totals.

The main window holds one; each separate conversation window holds its own, so every
pane streams independently (its own worker thread, its own frame timer).

A little over 400 lines: it is where the picker, the view, the composer and the worker
meet, and it only wires them; every rule they follow is the front door's
(services.conversations), the widgets are in modules of their own.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QThread, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from chinwag.app import Services
from chinwag.core.conversations import ConversationMark, StoreWatch
from chinwag.core.llm.catalog import UnknownModel
from chinwag.core.types import Conversation, Message, MessageStatus, Role, utcnow
from chinwag.ui.app.actions import shortcut_hint
from chinwag.ui.conversation.composer import Composer
from chinwag.ui.conversation.message_view import MessageView
from chinwag.ui.conversation.model_settings import ModelSettingsBox
from chinwag.ui.conversation.stream_worker import StreamWorker, start_worker
from chinwag.ui.dialogs.compact import CompactDialog
from chinwag.ui.dialogs.schema_form import SchemaForm

FRAME_MS = 16
LIVE_ID = "live-reply"
PENDING_ID = "pending-prompt"


class ConversationPane(QWidget):
    conversation_changed = Signal(str)  # id of a conversation created, renamed or updated
    streaming_changed = Signal(bool)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.conversation: Conversation | None = None
        self._seen_until = utcnow().isoformat()
        self._store_mark: ConversationMark | None = None
        self.watch: StoreWatch | None = None  # set by the window that follows the store
        self.chosen_model: str | None = None
        self.worker: StreamWorker | None = None
        self.thread_: QThread | None = None
        self.threads: list[QThread] = []

        self.model_picker = QComboBox()
        self.model_picker.setAccessibleName(self.tr("Model"))
        self.model_picker.setToolTip(self.tr("Model for this conversation"))
        self.model_picker.activated.connect(self._on_model_chosen)
        self.settings_button = QToolButton()
        self.settings_button.setText(self.tr("Model settings"))
        self.settings_button.setCheckable(True)
        self.settings_button.setAccessibleName(self.tr("Model settings"))
        self.settings_button.toggled.connect(self._toggle_settings)
        self.totals = QLabel()
        self.totals.setAccessibleName(self.tr("Conversation totals"))
        top = QHBoxLayout()
        top.addWidget(self.model_picker, 1)
        top.addWidget(self.settings_button)
        top.addWidget(self.totals)

        self.settings_box = ModelSettingsBox()
        self.settings_box.save_requested.connect(self.save_model_settings)

        self.view = MessageView(services.conversations, versions=services.conversations.versions)
        self.view.action_requested.connect(self._on_action)
        self.composer = Composer(services.settings.enter_sends)
        self.composer.textChanged.connect(self.update_buttons)
        self.composer.send_requested.connect(self.send)
        self.composer.attachments_changed.connect(self._on_attachments)
        self.composer.estimator = self.estimate
        self.attachments = QLabel()
        self.attachments.hide()
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setAccessibleName(self.tr("Send"))
        self.send_button.setToolTip(self.tr("Send the message (Enter)"))
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setAccessibleName(self.tr("Stop"))
        self.stop_button.setToolTip(shortcut_hint(self.tr("Stop the reply"), QKeySequence("Esc")))
        self.stop_button.clicked.connect(self.stop)
        buttons = QHBoxLayout()
        buttons.addWidget(self.attachments, 1)
        buttons.addStretch()
        buttons.addWidget(self.stop_button)
        buttons.addWidget(self.send_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.settings_box)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.composer)
        layout.addLayout(buttons)

        self.frame_timer = QTimer(self)
        self.frame_timer.setInterval(FRAME_MS)
        self.frame_timer.timeout.connect(self.drain)
        self.refresh_models()
        self.update_buttons()

    # -- conversation ---------------------------------------------------------------------

    def open(self, conversation: Conversation | None) -> None:
        if self.streaming:
            self.stop()
        self.conversation = conversation
        self._seen_until = utcnow().isoformat()  # live updates: newer writes are news
        self._store_mark = None
        if conversation is not None and self.watch is not None:  # what the view shows now
            self._store_mark = self.watch.conversation_mark(conversation.id)
        self.chosen_model = None
        self.view.show_conversation(conversation.id if conversation else None)
        self._show_model()
        self._rebuild_settings_form()
        self.update_totals()
        self.update_buttons()

    def reload(self) -> None:
        if self.conversation is not None:
            self.conversation = self.services.conversations.get(self.conversation.id)
            self.view.show_conversation(self.conversation.id)
            self.update_totals()

    def follow_store(self, watch: StoreWatch) -> None:
        """Someone wrote to the store: show what changed in this conversation. A pane that
        is streaming waits; its own reply settles it when the stream ends."""
        if self.conversation is None or self.streaming:
            return
        conversation_id = self.conversation.id
        mark = watch.conversation_mark(conversation_id)
        if mark == self._store_mark:
            return
        if mark is None:  # deleted elsewhere
            self.open(None)
            return
        changed = watch.updated_since(conversation_id, self._seen_until)
        previous, self._store_mark = self._store_mark, mark
        self._seen_until = mark.last_write or self._seen_until
        if previous is None or previous.fields != mark.fields:  # costs a walk of the branch
            self.conversation = self.services.conversations.get(conversation_id)
        self.view.follow(conversation_id, changed, mark.leaf_id)
        self.update_totals()

    def update_totals(self) -> None:
        if self.conversation is None:
            self.totals.setText("")
            return
        tokens, cost = self.services.conversations.totals(self.conversation.id)
        text = self.tr("{tokens} tokens").format(tokens=f"{tokens:,}")
        if cost is not None:
            text += f" · ${cost:.4f}"
        self.totals.setText(text)

    def estimate(self, draft: str) -> str:
        """The composer's hint: the next request's tokens and price with the model that
        will answer it."""
        conversation_id = self.conversation.id if self.conversation else None
        estimate = self.services.conversations.estimate_next(
            conversation_id, draft, self.chosen_model
        )
        return estimate.label()

    # -- models ---------------------------------------------------------------------------

    def refresh_models(self) -> None:
        self.model_picker.clear()
        for model in self.services.catalog.models():
            label = f"{model.provider.display_name} · {model.info.name}"
            self.model_picker.addItem(label, model.handle)
        for handle in self.services.routers.handles():  # several models behind one handle
            self.model_picker.addItem(f"Router · {handle.partition('/')[2]}", handle)
        self._show_model()

    def current_model(self) -> str | None:
        """The model that will answer: the front door's rule, or the picker's choice for a
        conversation not yet created; None when no model is configured anywhere."""
        conversations = self.services.conversations
        try:
            if self.conversation is not None:
                return conversations.model_of(self.conversation)
            return conversations.model_for_new(self.chosen_model)
        except UnknownModel:
            return None

    def _show_model(self) -> None:
        handle = self.current_model()
        index = self.model_picker.findData(handle) if handle else -1
        if index < 0 and handle:
            self.model_picker.addItem(handle, handle)
            index = self.model_picker.count() - 1
        self.model_picker.setCurrentIndex(index)

    def _on_model_chosen(self, index: int) -> None:
        handle = self.model_picker.itemData(index)
        if not handle:
            return
        if self.conversation is not None:
            self.conversation = self.services.conversations.update(
                self.conversation.id, model=handle, model_settings=None
            )
            self.conversation_changed.emit(self.conversation.id)
        else:
            self.chosen_model = handle
        self._rebuild_settings_form()

    def _toggle_settings(self, shown: bool) -> None:
        self.settings_box.setVisible(shown)

    @property
    def settings_form(self) -> SchemaForm | None:
        return self.settings_box.form

    def _rebuild_settings_form(self) -> None:
        handle = self.current_model()
        if handle is None:
            self.settings_box.show_problem("")
            return
        try:
            provider = self.services.calls.resolve(handle).provider
        except UnknownModel as error:
            self.settings_box.show_problem(str(error))
            return
        conversations = self.services.conversations
        values = conversations.model_settings_of(self.conversation) if self.conversation else {}
        self.settings_box.show_settings(provider.settings_type, values)

    def save_model_settings(self) -> bool:
        form = self.settings_form
        if form is None:
            return False
        edited = form.edited()
        if edited is None:
            return False
        if self.conversation is None:
            self.conversation = self._create_conversation()
        try:
            self.conversation = self.services.conversations.edit_model_settings(
                self.conversation.id, edited
            )
        except ValueError as error:  # pydantic's ValidationError: the whole set does not fit
            form.error.setText(str(error))
            form.error.show()
            return False
        form.mark_saved()
        self.conversation_changed.emit(self.conversation.id)
        return True

    # -- sending and streaming ------------------------------------------------------------

    @property
    def streaming(self) -> bool:
        return self.worker is not None

    def _create_conversation(self) -> Conversation:
        conversation = self.services.conversations.create(model=self.chosen_model)
        self.conversation = conversation
        self.view.show_conversation(conversation.id)
        return conversation

    def send(self) -> None:
        if not self.composer.has_content() or self.streaming:
            return
        content = self.composer.content()
        if self.conversation is None:
            self._create_conversation()
        assert self.conversation is not None
        self.composer.reset()
        self.view.append_message(
            Message(id=PENDING_ID, conversation_id=self.conversation.id, role=Role.USER,
                    content=content)
        )  # fmt: skip
        self._start(content)

    def _start(self, content: object) -> None:
        assert self.conversation is not None
        model = self.current_model()
        self.view.start_stream(
            Message(id=LIVE_ID, conversation_id=self.conversation.id, role=Role.ASSISTANT,
                    status=MessageStatus.STREAMING, model=model)
        )  # fmt: skip
        # Paint the prompt and the empty reply now: once the worker starts, the request's
        # set-up (reading the context, building the call) holds the interpreter, and a
        # frame painted meanwhile waits for it between Qt calls (100 ms and more).
        self.view.viewport().repaint()
        self.worker = StreamWorker(self.services.conversations, self.conversation.id, content)  # type: ignore[arg-type]
        self.worker.finished.connect(self._on_finished)
        self.thread_ = start_worker(self.worker)
        self.threads.append(self.thread_)
        self.frame_timer.start()
        self.conversation_changed.emit(self.conversation.id)
        self.streaming_changed.emit(True)
        self.update_buttons()

    def _on_action(self, action: str, message_id: str) -> None:
        if self.streaming or self.conversation is None:
            return
        if action in ("retry", "regenerate"):  # a failed reply's retry is its next version
            self.regenerate(message_id)
        elif action == "edit":
            text, ok = QInputDialog.getMultiLineText(
                self, self.tr("Edit message"), self.tr("Message:"),
                self.services.conversations.message(message_id).text,
            )  # fmt: skip
            if ok and text.strip():
                self.edit_message(message_id, text)
        elif action in ("version/prev", "version/next"):
            self.show_version(message_id, -1 if action == "version/prev" else 1)
        elif action == "continue":
            self.view.append_message(
                Message.of_text(self.conversation.id, Role.USER, self.tr("Continue."),
                                id=PENDING_ID)
            )  # fmt: skip
            self._start(self.tr("Continue."))

    def show_version(self, message_id: str, step: int) -> None:
        """Switch to the previous (-1) or next (+1) version of a message: its branch shows."""
        info = self.services.conversations.versions(message_id)
        target = info.index - 1 + step
        if self.streaming or not 0 <= target < info.count:
            return
        self.services.conversations.select_version(info.version_ids[target])
        self.reload()

    def compact_dialog(self) -> CompactDialog | None:
        """The Compact… dialog for this conversation; the view reloads once it applied."""
        if self.conversation is None or self.streaming:
            return None
        dialog = CompactDialog(self.services, self.conversation.id, self)
        dialog.accepted.connect(self._on_compacted)
        return dialog

    def compact(self) -> None:
        dialog = self.compact_dialog()
        if dialog is not None:
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.open()

    def _on_compacted(self) -> None:
        self.reload()
        if self.conversation is not None:
            self.conversation_changed.emit(self.conversation.id)

    def regenerate(self, reply_id: str) -> None:
        """A new version of a reply, streamed; the old one stays one arrow away."""
        if self.streaming:
            return
        self.services.conversations.prepare_regenerate(reply_id)
        self.reload()
        self._start(None)

    def edit_message(self, message_id: str, text: str) -> None:
        """A new version of a user message, and a new reply to it, streamed."""
        if self.streaming:
            return
        self.services.conversations.edit(message_id, text)
        self.reload()
        self._start(None)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Esc reaching the pane (from the view or the composer) stops the reply; the
        window's Stop action covers it when the shortcut system sees the key first."""
        if event.key() == Qt.Key.Key_Escape and self.streaming:
            self.stop()
            return
        super().keyPressEvent(event)

    def stop(self) -> None:
        if self.worker is not None:
            self.worker.cancel.set()

    def drain(self) -> None:
        """One frame's worth of streamed text, appended in one go."""
        if self.worker is not None:
            self.view.stream_text(LIVE_ID, self.worker.take_text())

    def _on_finished(self, _reply: object) -> None:
        self.drain()
        self.frame_timer.stop()
        self.worker = None
        if self.thread_ is not None:  # run() has returned; let its thread end before going on
            self.thread_.quit()
            self.thread_.wait(2000)
            if not self.thread_.isRunning():
                self.threads.remove(self.thread_)
            self.thread_ = None
        if self.conversation is not None:
            self.conversation = self.services.conversations.get(self.conversation.id)
            self.view.settle(self.conversation.id, {PENDING_ID, LIVE_ID}, self.conversation.leaf_id)
            self.update_totals()
        if self.conversation is not None:
            self.conversation_changed.emit(self.conversation.id)
        self.streaming_changed.emit(False)
        self.update_buttons()

    def copy_last_reply(self) -> None:
        text = self.view.last_reply_text()
        if text:
            QGuiApplication.clipboard().setText(text)

    def update_buttons(self) -> None:
        self.send_button.setEnabled(self.composer.has_content() and not self.streaming)
        self.stop_button.setEnabled(self.streaming)

    def _on_attachments(self, count: int) -> None:
        self.attachments.setVisible(count > 0)
        self.attachments.setText(self.tr("{n} image(s) attached").format(n=count))
        self.update_buttons()

    def shutdown(self) -> None:
        """Stop streaming and wait for the worker: the partial reply is saved as 'stopped'."""
        self.stop()
        for thread in self.threads:
            if thread.isRunning():
                thread.quit()
                thread.wait(5000)
