"""A conversation as a Markdown document for people (not importable: JSON is lossless)."""

from __future__ import annotations

from chinwag.core.conversations.export import ExportMessage, export_data
from chinwag.core.store import Store
from chinwag.core.types import MessageStatus, Role


def to_markdown(store: Store, conversation_id: str) -> str:
    """The chosen branch as a readable document, with compaction markers where they happened."""
    data = export_data(store, conversation_id)
    c = data.conversation
    by_id = {m.id: m for m in data.messages}
    path: list[ExportMessage] = []
    cursor = c.leaf_id
    while cursor is not None:
        path.append(by_id[cursor])
        cursor = by_id[cursor].parent_id
    path.reverse()
    siblings: dict[tuple[str | None, Role], list[str]] = {}
    for m in data.messages:
        siblings.setdefault((m.parent_id, m.role), []).append(m.id)
    markers = {x.last_evicted_id: x for x in data.compactions}
    lines = [f"# {c.title or 'Untitled conversation'}", ""]
    lines.append(f"- Assistant: {data.assistant.name}")
    if c.model:
        lines.append(f"- Model: {c.model}")
    lines.append(f"- Created: {c.created_at:%Y-%m-%d %H:%M} UTC")
    if c.summary:
        lines += ["", "> **Summary:** " + c.summary.replace("\n", "\n> ")]
    for m in path:
        versions = siblings[(m.parent_id, m.role)]
        version = (
            f" (version {versions.index(m.id) + 1} of {len(versions)})" if len(versions) > 1 else ""
        )
        status = "" if m.status == MessageStatus.COMPLETE else f" [{m.status.value}]"
        text = "".join(getattr(p, "text", "") for p in m.content)
        lines += ["", f"## {m.role.value.capitalize()}{version}{status}", "", text]
        if m.error:
            lines += ["", f"*Error: {m.error}*"]
        if m.id in markers:
            x = markers[m.id]
            lines += [
                "", "---", "",
                f"*Compacted here ({x.mode}): {x.num_messages_before - x.num_messages_after} "
                "messages above left the model's context; they are kept. Summary:*",
                "", "> " + x.summary.replace("\n", "\n> "), "", "---",
            ]  # fmt: skip
    return "\n".join(lines) + "\n"
