"""A long page in parts of bounded size, and bounded snippets around a found text.

A part holds at most ``LINES_PER_PART`` lines and about ``CHARS_PER_PART`` characters; a line
longer than ``MAX_LINE`` (a long paragraph, a text without line breaks) is cut into pieces at
spaces, each piece indented like the line it came from, so no part is ever one huge line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LINES_PER_PART = 80
CHARS_PER_PART = 6000
MAX_LINE = 500
SNIPPET = 80  # characters of context either side of a match
_INDENT = re.compile(r"^\s*")


def wrap(line: str, limit: int = MAX_LINE) -> list[str]:
    """``line`` as pieces of at most ``limit`` characters, cut at a space where there is one."""
    if len(line) <= limit:
        return [line]
    indent = _INDENT.match(line)[0]  # type: ignore[index]
    pieces: list[str] = []
    rest = line
    while len(rest) > limit:
        cut = rest.rfind(" ", len(indent) + 1, limit + 1)
        if cut <= len(indent):
            cut = limit
        pieces.append(rest[:cut].rstrip())
        rest = indent + rest[cut:].lstrip()
    pieces.append(rest)
    return pieces


@dataclass(frozen=True)
class Parts:
    parts: list[list[str]]
    first_part: list[int]  # for each line given, the part (1-based) its first piece is in


def split(lines: list[str], per_part: int = LINES_PER_PART) -> Parts:
    """Cut ``lines`` into parts of at most ``per_part`` lines and about ``CHARS_PER_PART``
    characters (a part always takes at least one piece)."""
    parts: list[list[str]] = [[]]
    size = 0
    first_part: list[int] = []
    for line in lines:
        for index, piece in enumerate(wrap(line)):
            current = parts[-1]
            if current and (len(current) >= per_part or size + len(piece) > CHARS_PER_PART):
                parts.append([])
                current, size = parts[-1], 0
            current.append(piece)
            size += len(piece) + 1
            if index == 0:
                first_part.append(len(parts))
    return Parts(parts, first_part)


def snippet(line: str, needle: str, context: int = SNIPPET) -> str:
    """The line around its first match of ``needle`` (lower-case), with … where it was cut."""
    text = line.strip()
    at = text.lower().find(needle)
    if at < 0 or len(text) <= 2 * context + len(needle):
        return text
    start, end = max(0, at - context), min(len(text), at + len(needle) + context)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
