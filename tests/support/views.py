"""A message view on screen (offscreen in tests), the way the conversation pane shows one."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from chinwag.core.conversations.records import ConversationRecords
from chinwag.core.store import Store
from chinwag.ui.conversation.message_view import MessageView


def shown_view(
    qtbot: QtBot, store: Store, conversation_id: str, width: int = 700, height: int = 500
) -> MessageView:
    view = MessageView(ConversationRecords(store))
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show_conversation(conversation_id)
    view.show()
    qtbot.waitExposed(view)
    return view
