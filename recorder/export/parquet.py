"""Parquet tables (Hugging Face ``datasets`` loads them as they are): one row per episode, and
a second table of environment-feedback pairs, one row per step. Needs ``pyarrow`` (the
``export`` extra)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from recorder.export.formats import to_openai
from recorder.storage import Trajectory


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
            }
        )
        previous = step.observation
    return rows


def write_parquet(items: list[tuple[Trajectory, float | None]], out: Path) -> tuple[Path, Path]:
    """``out`` (episodes) and ``<out stem>.feedback.parquet`` (one row per step)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    episodes = [episode_row(t, score) for t, score in items]
    steps = [row for t, _ in items for row in feedback_rows(t)]
    feedback_path = out.with_name(f"{out.stem}.feedback.parquet")
    pq.write_table(pa.Table.from_pylist(episodes), out)
    pq.write_table(pa.Table.from_pylist(steps), feedback_path)
    return out, feedback_path
