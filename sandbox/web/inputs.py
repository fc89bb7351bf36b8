"""Reading what a request asks for — a scenario, a seed, a recording — with errors that say what
was wrong and what was expected (the page answers 400/404 with the message, never a 500)."""

from __future__ import annotations

from pathlib import Path

from scenarios.library import bundled_ids, load_bundled
from scenarios.schema import Scenario


class BadInput(ValueError):
    """A request the workbench cannot act on; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def scenario(text: str) -> Scenario:
    """A bundled scenario by id."""
    text = text.strip()
    ids = bundled_ids()
    if not text:
        raise BadInput("no scenario chosen: pick one of the bundled scenarios")
    if text not in ids:
        near = [i for i in ids if text.lower() in i or i.startswith(text.lower()[:4])][:5]
        hint = f"; did you mean {', '.join(near)}?" if near else ""
        raise BadInput(
            f"no bundled scenario {text!r}: expected one of the {len(ids)} ids listed on the "
            f"queue page{hint}",
            status=404,
        )
    return load_bundled(text)


def seed(text: str) -> int | None:
    """An optional whole-number seed (blank: the scenario's own)."""
    text = text.strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        raise BadInput(
            f"seed must be a whole number such as 7 (or blank for the scenario's), not {text!r}"
        ) from None


def recording(data: Path, relative: str) -> Path:
    """A ``.jsonl`` recording under the data folder (never outside it)."""
    if not relative.strip():
        raise BadInput("no recording named: expected ?path=<annotator>/<file>.jsonl")
    path = (data / relative).resolve()
    if data.resolve() not in path.parents or not path.is_file():
        raise BadInput(f"no recording {relative!r} in {data}", status=404)
    if path.suffix != ".jsonl":
        raise BadInput(
            f"{relative!r} is not a recording: expected a .jsonl trajectory file "
            "(see the Recordings page)",
            status=404,
        )
    return path
