"""How much of one message the view lays out, so that no reply can freeze the window.

Qt's text layout is superlinear on some input (measured: a 50,000-row Markdown table takes
minutes, a 1 MB line without spaces 47 s). The view shows a bounded part of such a message
and says so; the stored message is untouched, and Copy message and Export give all of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_CHARS = 100_000  # of one message's text: ~0.1-0.2 s to lay out whatever it holds
MAX_TABLE_ROWS = 200  # per table: cells cost far more than text (500 rows ~0.3 s)
LONG_WORD = 1_000  # characters without a break: the message wraps anywhere instead

_TABLE_ROW = re.compile(r"\s{0,3}\|")
_FENCE = re.compile(r"\s{0,3}(```|~~~)")
_LONG_WORD = re.compile(rf"\S{{{LONG_WORD},}}")


@dataclass(frozen=True)
class Shown:
    text: str  # the Markdown to lay out
    hidden_chars: int = 0  # left out at the end
    hidden_rows: int = 0  # table rows left out
    wrap_anywhere: bool = False

    @property
    def note(self) -> str:
        """What the view says under a shortened message (empty when nothing was left out)."""
        parts = []
        if self.hidden_rows:
            parts.append(f"{self.hidden_rows:,} table rows")
        if self.hidden_chars:
            parts.append(f"the last {self.hidden_chars:,} characters")
        if not parts:
            return ""
        return f"Not shown: {' and '.join(parts)}. Copy message or Export has all of it."


def has_long_word(text: str) -> bool:
    return bool(_LONG_WORD.search(text))


def shown(text: str) -> Shown:
    kept = text[:MAX_CHARS]
    hidden_chars = len(text) - len(kept)
    lines, hidden_rows, run, fenced = [], 0, 0, False
    for line in kept.split("\n"):
        if _FENCE.match(line):
            fenced = not fenced
        run = run + 1 if not fenced and _TABLE_ROW.match(line) else 0
        if run > MAX_TABLE_ROWS + 2:  # the header and its separator line come first
            hidden_rows += 1
            continue
        lines.append(line)
    return Shown("\n".join(lines), hidden_chars, hidden_rows, has_long_word(kept))
