"""ATIF (Harbor's Agent Trajectory Interchange Format, v1.8): one trajectory document per
recording — the task as the user step, then one agent step per call with the reasoning in
``reasoning_content``, the call in ``tool_calls`` and the observation in ``observation``; the
ground truth rides in ``extra`` fields (per result and at the root)."""

from __future__ import annotations

from typing import Any

import sandbox
from recorder.export.common import call_id, metadata, openai_tools
from recorder.storage import Trajectory

# 1.8 over 1.7 only adds audio content parts (AudioSource); nothing here changes shape.
SCHEMA_VERSION = "ATIF-v1.8"


def to_atif(trajectory: Trajectory, score: float | None = None) -> dict[str, Any]:
    header = trajectory.header
    steps: list[dict[str, Any]] = [
        {"step_id": 1, "timestamp": header.created, "source": "user", "message": header.task}
    ]
    for step in trajectory.steps:
        agent_step: dict[str, Any] = {
            "step_id": len(steps) + 1,
            "source": "agent",
            "message": "",
            "tool_calls": [
                {
                    "tool_call_id": call_id(step),
                    "function_name": step.call.tool,
                    "arguments": step.call.arguments,
                }
            ],
            "observation": {
                "results": [
                    {
                        "source_call_id": call_id(step),
                        "content": step.observation,
                        "extra": {"feedback": step.feedback.model_dump(mode="json")},
                    }
                ]
            },
            "extra": {"sim_time": step.sim_time},
        }
        if step.call.thought:
            agent_step["reasoning_content"] = step.call.thought
        steps.append(agent_step)
    return {
        "schema_version": SCHEMA_VERSION,
        "session_id": header.trajectory_id,
        "trajectory_id": header.trajectory_id,
        "agent": {
            "name": header.actor,
            "version": sandbox.__version__,
            "tool_definitions": openai_tools(trajectory),
        },
        "steps": steps,
        "final_metrics": {"total_steps": len(steps)},
        "extra": metadata(trajectory, score),
    }
