"""Read and write trajectory files.

Writing: every line reaches the operating system before the step returns, so a crash of the
process loses nothing. ``step`` durability also fsyncs every line (a power cut loses at most the
step in flight); ``episode`` durability fsyncs each file once, when its episode ends, on a
background thread — fsync waits on the disk, not on the CPU, so the next episode runs meanwhile.
``wait_for_syncs()`` (called by ``Recorder.close`` and at exit) returns once every ended
episode is on disk.
Reading: a torn last line — a crash mid-write — is reported, never silently dropped or fatal;
a bad line anywhere else is an error naming the line.
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from recorder.records import RECORD, Annotation, End, Header, Review, StepRecord
from sandbox.errors import TrajectoryError
from sandbox.types import Step

Durability = Literal["step", "episode"]


class _Syncer:
    """One background thread that fsyncs and closes finished episode files, oldest first."""

    def __init__(self) -> None:
        self._queue: queue.Queue[int] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._error: OSError | None = None

    def submit(self, descriptor: int) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="trajectory-fsync", daemon=True
                )
                self._thread.start()
        self._queue.put(descriptor)

    def _run(self) -> None:
        while True:
            descriptor = self._queue.get()
            try:
                _sync_and_close(descriptor)
            except OSError as error:
                self._error = error
            finally:
                self._queue.task_done()

    def wait(self) -> None:
        """Return once every submitted file is synced; re-raise a failed sync."""
        self._queue.join()
        error, self._error = self._error, None
        if error is not None:
            raise TrajectoryError(f"a finished trajectory could not be synced: {error}")


def _sync_and_close(descriptor: int) -> None:
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


_SYNCER = _Syncer()
atexit.register(_SYNCER.wait)


def wait_for_syncs() -> None:
    """Block until every ended episode's file is fsynced (``episode`` durability)."""
    _SYNCER.wait()


class TrajectoryWriter:
    """Appends lines to a JSONL file with one ``write`` system call each (never buffered in
    the process); ``step`` durability fsyncs every line, ``episode`` durability the file once
    it is closed, in the background."""

    def __init__(self, path: Path, durability: Durability = "step") -> None:
        if durability not in ("step", "episode"):
            raise ValueError(f"durability must be 'step' or 'episode', not {durability!r}")
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.durability = durability
        # O_APPEND: every line lands at the end even if an annotation was appended meanwhile
        self._descriptor: int | None = os.open(
            path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o644
        )

    def write(self, record: BaseModel) -> None:
        self.write_line(record.model_dump_json(exclude_none=False))

    def write_line(self, line: str) -> None:
        """Append one JSON line (``line`` without its newline)."""
        if self._descriptor is None:
            raise TrajectoryError(f"{self.path}: writer is closed")
        data = (line + "\n").encode("utf-8")
        while data:  # a regular file takes it whole; the loop is for the rare short write
            data = data[os.write(self._descriptor, data) :]
        if self.durability == "step":
            os.fsync(self._descriptor)

    def close(self) -> None:
        if self._descriptor is None:
            return
        descriptor, self._descriptor = self._descriptor, None
        if self.durability == "episode":
            _SYNCER.submit(descriptor)
        else:
            _sync_and_close(descriptor)


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
