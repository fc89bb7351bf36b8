"""What an error page says, in a line: for the step's feedback (``the page answered 404: …``).

The page's own words, in this order: the items (or the text) of its alert, else the first
plain line of its content (not a heading, not a control, not in a banner, navigation, footer or
dialog), else its title.
"""

from __future__ import annotations

from sandbox.browser.page import MARKER, Page

FRAME = ("banner:", "navigation", "footer:", "dialog", "complementary:", "status:")
MAX_ITEMS = 5


def _blocks(lines: list[str]) -> list[tuple[str, list[str]]]:
    """Top-level lines grouped as (landmark header or "", the lines under it)."""
    blocks: list[tuple[str, list[str]]] = []
    for line in lines:
        if not line.startswith(" ") and line.endswith(":") and not line.startswith("form "):
            blocks.append((line, []))
        elif line.startswith(" ") and blocks and blocks[-1][0]:
            blocks[-1][1].append(line.strip())
        else:
            blocks.append(("", [line.strip()]))
    return blocks


def summary(page: Page) -> str:
    blocks = _blocks(page.lines)
    for header, lines in blocks:
        if header == "alert:":
            items = [line[2:] for line in lines if line.startswith("- ")]
            text = items[:MAX_ITEMS] if items else [MARKER.sub("", line) for line in lines]
            return "; ".join(part.strip() for part in text if part.strip())
    for header, lines in blocks:
        if header.startswith(FRAME):
            continue
        for line in lines:
            if line and not line.startswith(("#", "form ")) and not MARKER.search(line):
                return line
    return page.title
