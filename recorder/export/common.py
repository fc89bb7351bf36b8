"""What every format shares: the call ids, the tool list and the metadata block."""

from __future__ import annotations

import json
from typing import Any

from recorder.annotate import latest_annotations
from recorder.storage import Trajectory
from sandbox.types import Step


def call_id(step: Step) -> str:
    """A stable id for the tool call of a step (the caller's own id when it gave one)."""
    return step.call.id or f"call_{step.index}"


def arguments_json(step: Step) -> str:
    return json.dumps(step.call.arguments, ensure_ascii=False, sort_keys=True)


def openai_tools(trajectory: Trajectory) -> list[dict[str, Any]]:
    """The tool definitions recorded in the header (OpenAI function-tool shape)."""
    return list(trajectory.header.tools)


def metadata(trajectory: Trajectory, score: float | None = None) -> dict[str, Any]:
    """Ground truth and provenance, kept beside the conversation (never inside it)."""
    header, end = trajectory.header, trajectory.end
    return {
        "trajectory_id": header.trajectory_id,
        "scenario_id": header.scenario_id,
        "content_hash": header.content_hash,
        "seed": header.seed,
        "fault_seed": header.fault_seed,
        "actor": header.actor,
        "created": header.created,
        "package_version": header.package_version,
        "parent_trajectory_id": header.parent_trajectory_id,
        "branch_step": header.branch_step,
        "outcome": end.outcome if end else "incomplete",
        "score": score if score is not None else (end.score if end else None),
        "answer": end.answer if end else None,
        "status": trajectory.status,
        "steps": [
            {
                "index": step.index,
                "tool": step.call.tool,
                "arguments": step.call.arguments,
                "call_id": step.call.id,
                "thought": step.call.thought,
                "observation": step.observation,
                "feedback": step.feedback.model_dump(mode="json"),
                "sim_time": step.sim_time,
                "wall_ms": step.wall_ms,
                "active_ms": getattr(step, "active_ms", None),
            }
            for step in trajectory.steps
        ],
        "annotations": [a.model_dump(mode="json") for a in trajectory.annotations],
        "latest_labels": {
            f"{annotator}:{step}": a.label
            for (annotator, step), a in latest_annotations(trajectory).items()
        },
        "reviews": [r.model_dump(mode="json") for r in trajectory.reviews],
    }
