"""Export a set of recordings to one file: filters, bad files skipped and reported, and the
output written to a temporary file and renamed into place (never a partial file)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from recorder.export.formats import FORMATS, export_trajectory
from recorder.rerun import rerun
from recorder.storage import Trajectory, load_trajectory
from sandbox.errors import SandboxError
from scenarios import score_episode

ALL_FORMATS: tuple[str, ...] = (*FORMATS, "parquet")
STATUSES: tuple[str, ...] = ("approved", "rejected", "unreviewed")


@dataclass
class ExportSummary:
    path: Path
    format: str
    exported: int = 0
    skipped: int = 0
    bad: list[tuple[Path, str]] = field(default_factory=list)
    feedback_path: Path | None = None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "path": str(self.path),
            "format": self.format,
            "exported": self.exported,
            "skipped": self.skipped,
            "bad": [{"path": str(path), "error": error} for path, error in self.bad],
        }
        if self.feedback_path is not None:
            data["feedback_path"] = str(self.feedback_path)
        return data


def check_options(fmt: str, status: str | None) -> None:
    if fmt not in ALL_FORMATS:
        raise SandboxError(f"unknown format {fmt!r}; formats: {', '.join(ALL_FORMATS)}")
    if status is not None and status not in STATUSES:
        raise SandboxError(f"unknown review status {status!r}; statuses: {', '.join(STATUSES)}")


def _kept(
    trajectory: Trajectory, status: str | None, min_score: float | None
) -> tuple[bool, float | None]:
    if status is not None and trajectory.status != status:
        return False, None
    if min_score is None:
        return True, None
    with rerun(trajectory) as result:
        score = score_episode(result.scenario, result.episode).overall
    return score >= min_score, score


def export_files(
    files: list[Path],
    fmt: str,
    out: Path,
    *,
    min_score: float | None = None,
    status: str | None = None,
    advance: Callable[[], None] | None = None,
) -> ExportSummary:
    """Export ``files`` as ``fmt`` to ``out``. A file that cannot be read (or re-scored) is
    listed in ``bad`` and left out; the rest are exported."""
    check_options(fmt, status)
    summary = ExportSummary(path=out, format=fmt)
    selected: list[tuple[Trajectory, float | None]] = []
    for path in files:
        if advance is not None:
            advance()
        try:
            trajectory = load_trajectory(path)
            keep, score = _kept(trajectory, status, min_score)
        except SandboxError as error:
            summary.bad.append((path, str(error)))
            continue
        if keep:
            selected.append((trajectory, score))
        else:
            summary.skipped += 1
    if fmt == "parquet":
        from recorder.export.parquet import write_parquet

        _, summary.feedback_path = write_parquet(selected, out)
    else:
        lines = [
            json.dumps(export_trajectory(t, fmt, score), ensure_ascii=False) + "\n"
            for t, score in selected
        ]
        write_text_atomic(out, "".join(lines))
    summary.exported = len(selected)
    return summary


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path`` and rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with open(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
