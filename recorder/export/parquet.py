"""Parquet tables (Hugging Face ``datasets`` loads them as they are): one row per episode, and
a second table of environment-feedback pairs, one row per step. Needs ``pyarrow`` (the
``export`` extra).

Both tables have a fixed schema, so a column that happens to be empty in one export (no
thoughts, no faults) has the same type as in the next. A table with no rows is refused:
``datasets`` cannot load one (``ArrowInvalid: BatchSize must be greater than 0``).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from recorder.export.formats import to_openai
from recorder.storage import Trajectory
from sandbox.errors import SandboxError

EPISODE_COLUMNS: dict[str, str] = {
    "trajectory_id": "string",
    "scenario_id": "string",
    "content_hash": "string",
    "seed": "int64",
    "actor": "string",
    "outcome": "string",
    "score": "float64",
    "status": "string",
    "task": "string",
    "answer": "string",
    "num_steps": "int64",
    "messages": "string",
    "tools": "string",
    "metadata": "string",
}

FEEDBACK_COLUMNS: dict[str, str] = {
    "trajectory_id": "string",
    "scenario_id": "string",
    "step": "int64",
    "previous_observation": "string",
    "tool": "string",
    "arguments": "string",
    "thought": "string",
    "observation": "string",
    "status": "string",
    "error_type": "string",
    "error_message": "string",
    "http_status": "int64",
    "fault": "string",
    "expected_recovery": "string",
    "retry_after": "float64",
    "changes": "string",
    "sim_time": "string",
    "wall_ms": "float64",
}


def episode_row(trajectory: Trajectory, score: float | None) -> dict[str, Any]:
    example = to_openai(trajectory, score)
    meta = example["metadata"]
    return {
        "trajectory_id": meta["trajectory_id"],
        "scenario_id": meta["scenario_id"],
        "content_hash": meta["content_hash"],
        "seed": meta["seed"],
        "actor": meta["actor"],
        "outcome": meta["outcome"],
        "score": meta["score"],
        "status": meta["status"],
        "task": trajectory.header.task,
        "answer": meta["answer"],
        "num_steps": len(trajectory.steps),
        "messages": json.dumps(example["messages"], ensure_ascii=False),
        "tools": json.dumps(example["tools"], ensure_ascii=False),
        "metadata": json.dumps(meta, ensure_ascii=False),
    }


def feedback_rows(trajectory: Trajectory) -> list[dict[str, Any]]:
    """The environment-feedback pairs: what the actor saw and did, and what really happened."""
    rows = []
    previous = trajectory.header.task
    for step in trajectory.steps:
        feedback = step.feedback
        rows.append(
            {
                "trajectory_id": trajectory.header.trajectory_id,
                "scenario_id": trajectory.header.scenario_id,
                "step": step.index,
                "previous_observation": previous,
                "tool": step.call.tool,
                "arguments": json.dumps(step.call.arguments, ensure_ascii=False, sort_keys=True),
                "thought": step.call.thought,
                "observation": step.observation,
                "status": feedback.status,
                "error_type": feedback.error.type if feedback.error else None,
                "error_message": feedback.error.message if feedback.error else None,
                "http_status": feedback.error.http_status if feedback.error else None,
                "fault": feedback.fault,
                "expected_recovery": feedback.expected_recovery,
                "retry_after": feedback.retry_after,
                "changes": json.dumps([c.model_dump() for c in feedback.changes]),
                "sim_time": step.sim_time,
                "wall_ms": step.wall_ms,
            }
        )
        previous = step.observation
    return rows


def feedback_path_for(out: Path) -> Path:
    """Where the feedback table of the episodes table ``out`` goes."""
    return out.with_name(f"{out.stem}.feedback.parquet")


def _table(rows: list[dict[str, Any]], columns: dict[str, str]) -> Any:
    import pyarrow as pa

    schema = pa.schema([(name, pa.type_for_alias(kind)) for name, kind in columns.items()])
    return pa.Table.from_pylist(rows, schema=schema)


def _write_atomic(table: Any, path: Path) -> Path:
    """Write ``table`` to a temporary file beside ``path``; the caller renames it."""
    import pyarrow.parquet as pq

    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(descriptor)
    try:
        pq.write_table(table, name)
    except BaseException:
        os.unlink(name)
        raise
    return Path(name)


def write_parquet(items: list[tuple[Trajectory, float | None]], out: Path) -> tuple[Path, Path]:
    """``out`` (episodes) and ``<out stem>.feedback.parquet`` (one row per step), each written
    to a temporary file and renamed into place, so a failed export leaves no partial table."""
    if not items:
        raise SandboxError(
            f"{out}: no episodes to export; a parquet table with no rows cannot be loaded "
            "(datasets: BatchSize must be greater than 0), so nothing was written"
        )
    rows = [row for t, _ in items for row in feedback_rows(t)]
    if not rows:
        raise SandboxError(
            f"{out}: the episodes have no steps; an empty feedback table cannot be loaded "
            "(datasets: BatchSize must be greater than 0), so nothing was written"
        )
    episodes = _table([episode_row(t, score) for t, score in items], EPISODE_COLUMNS)
    steps = _table(rows, FEEDBACK_COLUMNS)
    feedback_path = feedback_path_for(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = [_write_atomic(episodes, out)]
    try:
        temporary.append(_write_atomic(steps, feedback_path))
    except BaseException:
        temporary[0].unlink(missing_ok=True)
        raise
    os.replace(temporary[0], out)
    os.replace(temporary[1], feedback_path)
    return out, feedback_path
