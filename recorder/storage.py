"""Read and write trajectory files.

Writing, ``step`` durability (the default, what every front door uses): each line is written
and fsynced before the step returns, so a crash loses at most the step in flight.
``episode`` durability (bulk rollouts): the episode is the unit — its lines are kept in memory
and, when it ends, a background thread writes the file whole and fsyncs it (writing, like
fsync, waits on the kernel and the disk rather than the CPU, so the next episode runs meanwhile);
a crash loses the episode in flight, never a finished one once ``wait_for_syncs()`` (called by
``Recorder.close`` and at exit) has returned.
Reading: a torn last line — a crash mid-write — is reported, never silently dropped or fatal;
a bad line anywhere else is an error naming the line.
"""

from __future__ import annotations

import atexit
import json
import os
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError

from recorder.records import RECORD, Annotation, End, Header, Review, StepRecord, step_line
from sandbox.errors import TrajectoryError
from sandbox.types import Step

Durability = Literal["step", "episode"]

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND


class _EpisodeFiles:
    """One background thread that writes finished episode files whole and fsyncs them, in
    the order they ended."""

    def __init__(self) -> None:
        self._queue: queue.Queue[tuple[Path, bytes]] = queue.Queue()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._errors: list[str] = []

    def submit(self, path: Path, data: bytes) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="trajectory-writer", daemon=True
                )
                self._thread.start()
        self._queue.put((path, data))

    def _run(self) -> None:
        while True:
            path, data = self._queue.get()
            try:
                _write_whole(path, data)
            except OSError as error:
                self._errors.append(f"{path}: {error.strerror or error}")
            finally:
                self._queue.task_done()

    def wait(self) -> None:
        """Return once every submitted episode is on disk; raise if one could not be written."""
        self._queue.join()
        errors, self._errors = self._errors, []
        if errors:
            raise TrajectoryError(
                "finished trajectories could not be written: " + "; ".join(errors)
            )


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:  # a regular file takes it whole; the loop is for the rare short write
        view = view[os.write(descriptor, view) :]


_PARENTS_MADE: set[Path] = set()


def _make_parent(path: Path) -> None:
    """Create ``path``'s folder the first time this process writes there (a bad folder fails
    at once, at the episode's start); ``_open`` recreates one removed since."""
    if path.parent not in _PARENTS_MADE:
        path.parent.mkdir(parents=True, exist_ok=True)
        _PARENTS_MADE.add(path.parent)


def _open(path: Path) -> int:
    try:
        return os.open(path, _FLAGS, 0o644)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        return os.open(path, _FLAGS, 0o644)


def _write_whole(path: Path, data: bytes) -> None:
    descriptor = _open(path)
    try:
        _write_all(descriptor, data)
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


_EPISODE_FILES = _EpisodeFiles()
atexit.register(_EPISODE_FILES.wait)


def wait_for_syncs() -> None:
    """Block until every ended episode's file is written and fsynced (``episode``
    durability)."""
    _EPISODE_FILES.wait()


Line = str | bytes | Callable[[], bytes]
"""A JSON line without its newline, or what makes it (called when the line is written)."""


class TrajectoryWriter:
    """Appends records to a JSONL file: ``step`` durability writes and fsyncs each line at
    once; ``episode`` durability keeps them and has the file written whole when it is closed
    (see the module docstring)."""

    def __init__(self, path: Path, durability: Durability = "step") -> None:
        if durability not in ("step", "episode"):
            raise ValueError(f"durability must be 'step' or 'episode', not {durability!r}")
        _make_parent(path)
        self.path = path
        self.durability = durability
        self._closed = False
        self._pending: list[Line] = []
        self._descriptor: int | None = None
        if durability == "step":
            # O_APPEND: every line lands at the end even if an annotation was appended meanwhile
            self._descriptor = _open(path)

    def write(self, record: BaseModel) -> None:
        self.write_line(record.__pydantic_serializer__.to_json(record))

    def write_line(self, line: Line) -> None:
        """Append one JSON line (``line`` without its newline). A function that makes the line
        is called at once with ``step`` durability, when the file is written with ``episode``
        durability (so an episode's lines are all dumped together, after its steps' work)."""
        if self._closed:
            raise TrajectoryError(f"{self.path}: writer is closed")
        if self._descriptor is None:
            self._pending.append(line)
            return
        _write_all(self._descriptor, _bytes(line) + b"\n")
        os.fsync(self._descriptor)

    def write_step(self, step: Step, wall_ms: float, active_ms: float | None) -> None:
        """Append a step line."""
        self.write_line(partial(step_line, step, wall_ms, active_ms))

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        if self._descriptor is not None:
            descriptor, self._descriptor = self._descriptor, None
            os.close(descriptor)  # every line was fsynced as it was written
            return
        lines, self._pending = self._pending, []
        _EPISODE_FILES.submit(self.path, b"\n".join(map(_bytes, lines)) + b"\n")


def _bytes(line: Line) -> bytes:
    if isinstance(line, bytes):
        return line
    return line.encode("utf-8") if isinstance(line, str) else line()


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
