"""Cancel requests across processes: a flag on the conversation that whoever streams into
it polls (the app, the CLI and the local API may each be the one streaming)."""

from __future__ import annotations

from chinwag.core.store.connection import Connection


class CancelRequests:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def request(self, conversation_id: str) -> bool:
        with self.connection.transaction() as db:
            found = db.execute("SELECT 1 FROM conversations WHERE id = ?", (conversation_id,))
            if found.fetchone() is None:
                raise KeyError(conversation_id)
            streaming = db.execute(
                "SELECT 1 FROM messages WHERE conversation_id = ? AND status = 'streaming'",
                (conversation_id,),
            ).fetchone()
            if streaming is None:
                return False
            db.execute(
                "UPDATE conversations SET cancel_requested = 1 WHERE id = ?", (conversation_id,)
            )
        return True

    def requested(self, conversation_id: str) -> bool:
        with self.connection.reading() as db:
            row = db.execute(
                "SELECT cancel_requested FROM conversations WHERE id = ?", (conversation_id,)
            ).fetchone()
        return bool(row and row["cancel_requested"])

    def clear(self, conversation_id: str) -> None:
        with self.connection.transaction() as db:
            db.execute(
                "UPDATE conversations SET cancel_requested = 0 WHERE id = ?", (conversation_id,)
            )
