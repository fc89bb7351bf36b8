"""The disk quota's arithmetic and messages: how much of a write fits, and what ENOSPC says.

A write past the quota stores what fits, as a real disk does, then fails: the file gets the
first bytes of the content (text is cut on a character, never inside one). Replacing a file
frees its old bytes first, as a shell's ``>`` truncates before it writes.
"""

from __future__ import annotations


def quota_room(quota: int | None, used: int, freed: int) -> int | None:
    """Bytes a write may store under ``quota`` (None: no quota), after the ``freed`` bytes of
    the content it replaces are released."""
    return None if quota is None else max(quota - used + freed, 0)


def fitting_length(data: bytes, room: int, *, text: bool) -> int:
    """How many leading bytes of ``data`` fit in ``room``; for UTF-8 ``text`` the cut backs off
    to a character boundary."""
    if len(data) <= room:
        return len(data)
    cut = room
    while text and cut > 0 and data[cut] & 0xC0 == 0x80:  # a continuation byte
        cut -= 1
    return cut


def refusal(quota: int | None, used: int, needed: int) -> str:
    """ENOSPC's message when nothing was written."""
    free = max((quota or 0) - used, 0)
    short = f"needs {needed} more bytes" if needed > 0 else "already over the quota"
    return (
        f"no space left on device ({short}, {free} free of a {quota}-byte quota); nothing was "
        "written; delete something first"
    )


def cut_note(quota: int | None, written: int, asked: int, *, appended: bool) -> str:
    """ENOSPC's message when only the first ``written`` of ``asked`` bytes were stored."""
    where = (
        f"only the first {written} bytes were appended; delete something, then append the "
        f"remaining {asked - written}"
        if appended
        else f"the file holds only the first {written} bytes of the new content; delete "
        "something, then write it again"
    )
    return (
        f"no space left on device: wrote {written} of {asked} bytes before the {quota}-byte "
        f"quota was full; {where}"
    )
