"""Read and write trajectory files.

Writing: each line is flushed (and fsynced, in ``step`` durability) before the step returns.
Reading: a torn last line — a crash mid-write — is reported, never silently dropped or fatal;
a bad line anywhere else is an error naming the line.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Literal

from pydantic import BaseModel, ValidationError

from recorder.records import RECORD, Annotation, End, Header, Review, StepRecord
from sandbox.errors import TrajectoryError
from sandbox.types import Step

Durability = Literal["step", "episode"]


class TrajectoryWriter:
    """Appends records to a JSONL file; ``step`` durability fsyncs every line."""

    def __init__(self, path: Path, durability: Durability = "step") -> None:
        if durability not in ("step", "episode"):
            raise ValueError(f"durability must be 'step' or 'episode', not {durability!r}")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.durability = durability
        # O_APPEND: every line lands at the end even if an annotation was appended meanwhile
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644)
        self._file: IO[str] | None = open(descriptor, "a", encoding="utf-8")  # noqa: SIM115

    def write(self, record: BaseModel) -> None:
        if self._file is None:
            raise TrajectoryError(f"{self.path}: writer is closed")
        self._file.write(record.model_dump_json(exclude_none=False) + "\n")
        if self.durability == "step":
            self._sync()

    def _sync(self) -> None:
        assert self._file is not None
        self._file.flush()
        os.fsync(self._file.fileno())

    def close(self) -> None:
        if self._file is not None:
            self._sync()
            self._file.close()
            self._file = None


@dataclass
class Trajectory:
    """A loaded recording. ``torn_tail`` holds the text of a torn last line, if any."""

    path: Path
    header: Header
    steps: list[Step] = field(default_factory=list)
    end: End | None = None
    torn_tail: str | None = None
    annotations: list[Annotation] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.end is not None

    @property
    def status(self) -> str:
        """``approved`` / ``rejected`` (the latest review), or ``unreviewed``."""
        return self.reviews[-1].verdict if self.reviews else "unreviewed"


def load_trajectory(path: str | Path) -> Trajectory:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise TrajectoryError(f"{path}: cannot read trajectory: {error.strerror}") from None
    lines = text.split("\n")
    torn: str | None = None
    if lines and lines[-1] == "":
        lines.pop()
    elif lines:
        torn = lines.pop()  # no final newline: the last write never finished
    header: Header | None = None
    steps: list[Step] = []
    end: End | None = None
    annotations: list[Annotation] = []
    reviews: list[Review] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = RECORD.validate_python(json.loads(line))
        except (ValueError, ValidationError) as error:
            if number == len(lines) and torn is None:
                torn = line  # complete line but unreadable: treat as torn tail too
                break
            raise TrajectoryError(f"{path}:{number}: not a trajectory record: {error}") from None
        if isinstance(record, Header):
            if header is not None:
                raise TrajectoryError(f"{path}:{number}: a second header line")
            header = record
        elif header is None:
            raise TrajectoryError(f"{path}:{number}: {record.kind} line before the header")
        elif isinstance(record, StepRecord):
            if record.index != len(steps):
                raise TrajectoryError(
                    f"{path}:{number}: step index {record.index}, expected {len(steps)}"
                )
            steps.append(record)
        elif isinstance(record, End):
            end = record
        elif isinstance(record, Annotation):
            annotations.append(record)
        elif isinstance(record, Review):
            reviews.append(record)
    if header is None:
        raise TrajectoryError(f"{path}: no header line; is this a trajectory file?")
    return Trajectory(
        path=path,
        header=header,
        steps=steps,
        end=end,
        torn_tail=torn,
        annotations=annotations,
        reviews=reviews,
    )
