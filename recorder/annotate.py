"""Annotations and reviews are appended to the trajectory file, never written over it: a
recorded step is never rewritten, every judgement stays in the file (provenance), and views
take the latest annotation per annotator and step."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from pydantic import BaseModel

from recorder.records import Annotation, Review
from recorder.storage import Trajectory, load_trajectory
from sandbox.errors import TrajectoryError


def _now() -> str:
    return datetime.now(UTC).isoformat()


def append_record(path: str | Path, record: BaseModel) -> None:
    """Append one line (flushed and fsynced) to a readable, whole trajectory file."""
    path = Path(path)
    trajectory = load_trajectory(path)
    if trajectory.torn_tail is not None:
        raise TrajectoryError(
            f"{path}: the last line is torn (a crash mid-write); appending would bury it. "
            "Copy the file and repair it first"
        )
    with path.open("a", encoding="utf-8") as handle:
        handle.write(record.model_dump_json() + "\n")
        handle.flush()
        os.fsync(handle.fileno())


def annotate(
    path: str | Path,
    *,
    step: int,
    label: str | None = None,
    annotator: str = "unknown",
    next_action: str | None = None,
    comment: str | None = None,
) -> Annotation:
    """Append a judgement of one step; the step must exist."""
    trajectory = load_trajectory(path)
    if not 0 <= step < len(trajectory.steps):
        raise TrajectoryError(
            f"{path}: no step {step}; the trajectory has steps 0 to {len(trajectory.steps) - 1}"
        )
    if label is not None and label not in ("success", "partial", "failure"):
        raise TrajectoryError(f"label must be success, partial or failure, not {label!r}")
    if label is None and not (comment or next_action):
        raise TrajectoryError("an annotation needs a label, a comment or a next-action note")
    record = Annotation(
        step=step,
        label=label,  # type: ignore[arg-type]
        annotator=annotator,
        next_action=next_action,
        comment=comment,
        created=_now(),
    )
    append_record(path, record)
    return record


def review(path: str | Path, *, approve: bool, reason: str, reviewer: str = "unknown") -> Review:
    """Append a reviewer's verdict on the whole trajectory."""
    if not approve and not reason.strip():
        raise TrajectoryError("a rejection needs a reason the annotator can act on")
    record = Review(
        verdict="approved" if approve else "rejected",
        reason=reason,
        reviewer=reviewer,
        created=_now(),
    )
    append_record(path, record)
    return record


def latest_annotations(trajectory: Trajectory) -> dict[tuple[str, int], Annotation]:
    """The annotation that counts per (annotator, step): the latest one written."""
    latest: dict[tuple[str, int], Annotation] = {}
    for annotation in trajectory.annotations:
        latest[(annotation.annotator, annotation.step)] = annotation
    return latest
