"""A reply's Markdown rewritten so that Qt's importer shows it as the model wrote it.

Three things CommonMark does that a chat reader does not expect, undone line by line
before `QTextDocument.setMarkdown`:

- a single newline joins two lines into one paragraph: a poem or a pasted log would lose
  its lines, so each line that another follows ends with a hard break (two spaces);
- two fenced blocks in a row become adjacent code blocks the document cannot tell apart:
  the fences alternate between ``` and ~~~, and the block format keeps which one;
- a backslash before punctuation is an escape: `$a\\,b$` would show as `$a,b$`, so math
  (`$…$`, `$$…$$`, `\\(…\\)`, `\\[…\\]`) is escaped back to its source until it is rendered.
  A `$` in prose (a price) opens no math: it needs text right after it and a closing `$`
  with text right before it and no digit after it (Pandoc's rule).

Code (fenced, indented or inline) is left exactly as written.
"""

from __future__ import annotations

import re
import string

FENCE_CHARS = ("`", "~")  # the n-th fenced block of a text uses FENCE_CHARS[n % 2]

_FENCE_OPEN = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_CODE_SPAN = re.compile(r"(`+).*?(?<!`)\1(?!`)")
# A span never runs past the next opener of its kind, so a line of openers without a
# closer costs one pass, not one pass per opener (measured: 28 s for 100,000 characters).
_MATH = re.compile(
    r"(?<![\\$])\$\$(?=\S)(?:[^$]|\$(?!\$))+?(?<=\S)\$\$"  # $$…$$ within a line
    r"|(?<![\\$])\$(?=[^\s$])[^$\n]*?(?<=[^\s\\$])\$(?![\d$])"  # $…$, not a price
    r"|(?<!\\)\\\((?:[^\\]|\\(?!\())+?\\\)"  # \(…\)
    r"|(?<!\\)\\\[(?:[^\\]|\\(?!\[))+?\\\]"  # \[…\]
)
_DISPLAY_MATH = {"$$": "$$", "\\[": "\\]"}  # a line of its own opens display math
_PUNCTUATION = frozenset(string.punctuation)
_TABLE_ROW = re.compile(r"^\s{0,3}\|")
_HARD_BREAK = "  "
_LIST_ITEM = re.compile(r"^\s*([-+*]|\d{1,9}[.)])(\s|$)")
# Starts a line that follows a hard break inside a list item: Qt's importer makes such a
# line an item of its own (a bullet, the next number), `markdown_into` makes it the
# item's continuation again and drops the mark.
CONTINUATION = "\u2060"  # WORD JOINER: zero-width, not whitespace to the parser


def prepare(text: str) -> str:
    """`text` as Markdown that Qt's importer shows as written (see the module's doc)."""
    lines = text.split("\n")
    out: list[str] = []
    fences = 0
    index = 0
    math_end: str | None = None  # the line that closes the display math we are in
    indented_code = False
    in_list = False
    while index < len(lines):
        line = lines[index]
        opening = _FENCE_OPEN.match(line)
        if opening and not (opening.group(2)[0] == "`" and "`" in opening.group(3)):
            index = _copy_fenced(lines, index, opening, FENCE_CHARS[fences % 2], out)
            fences += 1
            continue
        following = lines[index + 1] if index + 1 < len(lines) else ""
        blank = not line.strip()
        indented_code = _indent(line) >= 4 and (indented_code or not out or not out[-1].strip())
        if indented_code or blank:
            out.append(line)
            index += 1
            continue
        if math_end is not None:
            if line.strip() == math_end:
                math_end = None
            shown = _escaped(line)
        elif line.strip() in _DISPLAY_MATH:
            math_end = _DISPLAY_MATH[line.strip()]
            shown = _escaped(line)
        else:
            shown = _math_as_source(line)
        item = _LIST_ITEM.match(line)
        # a list goes on through its items' lines, and past a blank line when indented
        in_list = bool(item) or (in_list and (_indent(line) > 0 or bool(out and out[-1].strip())))
        if in_list and not item and out and out[-1].endswith(_HARD_BREAK):
            stripped = shown.lstrip(" \t")
            shown = shown[: len(shown) - len(stripped)] + CONTINUATION + stripped
        if following.strip() and not _TABLE_ROW.match(line) and not line.endswith(("  ", "\\")):
            shown += _HARD_BREAK
        out.append(shown)
        index += 1
    return "\n".join(out)


def _indent(line: str) -> int:
    expanded = line.expandtabs(4)
    return len(expanded) - len(expanded.lstrip(" "))


def _copy_fenced(
    lines: list[str], start: int, opening: re.Match[str], char: str, out: list[str]
) -> int:
    """Copy the fenced block opening at `start` with `char` fences long enough that no
    line inside closes it; return the index of the line after it."""
    indent, fence, info = opening.groups()
    closing = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}\s*$")
    end = start + 1
    while end < len(lines) and not closing.match(lines[end]):
        end += 1
    body = lines[start + 1 : end]
    inner = re.compile(rf"^ {{0,3}}({re.escape(char)}+)\s*$")
    longest = max((len(m.group(1)) for line in body if (m := inner.match(line))), default=0)
    new_fence = char * max(3, len(fence), longest + 1)
    out.append(f"{indent}{new_fence}{info}")
    out.extend(body)
    if end < len(lines):
        out.append(new_fence)
    return end + 1


def _math_as_source(line: str) -> str:
    """`line` with its math escaped, its inline code spans untouched."""
    parts: list[str] = []
    start = 0
    for span in _CODE_SPAN.finditer(line):
        parts.append(_MATH.sub(lambda m: _escaped(m.group(0)), line[start : span.start()]))
        parts.append(span.group(0))
        start = span.end()
    parts.append(_MATH.sub(lambda m: _escaped(m.group(0)), line[start:]))
    return "".join(parts)


def _escaped(text: str) -> str:
    """`text` with every ASCII punctuation character escaped: shown as written."""
    return "".join(f"\\{c}" if c in _PUNCTUATION else c for c in text)
