"""The chat formats: OpenAI messages with tool_calls, Anthropic tool_use/tool_result blocks,
and LLaMA-Factory's ShareGPT ``conversations``."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from recorder.export.atif import to_atif
from recorder.export.common import arguments_json, call_id, metadata, openai_tools
from recorder.storage import Trajectory

Exporter = Callable[[Trajectory, float | None], dict[str, Any]]


def to_openai(trajectory: Trajectory, score: float | None = None) -> dict[str, Any]:
    """``{"messages", "tools", "metadata"}`` — what TRL's SFTTrainer and the OpenAI
    fine-tuning API read; the actor's reasoning is the assistant's content before its call."""
    messages: list[dict[str, Any]] = [{"role": "user", "content": trajectory.header.task}]
    for step in trajectory.steps:
        messages.append(
            {
                "role": "assistant",
                "content": step.call.thought,
                "tool_calls": [
                    {
                        "id": call_id(step),
                        "type": "function",
                        "function": {"name": step.call.tool, "arguments": arguments_json(step)},
                    }
                ],
            }
        )
        messages.append(
            {"role": "tool", "tool_call_id": call_id(step), "content": step.observation}
        )
    return {
        "messages": messages,
        "tools": openai_tools(trajectory),
        "metadata": metadata(trajectory, score),
    }


def to_anthropic(trajectory: Trajectory, score: float | None = None) -> dict[str, Any]:
    """Messages API shape: ``tool_use`` blocks (after a text block with the reasoning) and
    ``tool_result`` blocks in the next user turn, with ``is_error`` from the ground truth."""
    messages: list[dict[str, Any]] = [
        {"role": "user", "content": [{"type": "text", "text": trajectory.header.task}]}
    ]
    for step in trajectory.steps:
        blocks: list[dict[str, Any]] = []
        if step.call.thought:
            blocks.append({"type": "text", "text": step.call.thought})
        blocks.append(
            {
                "type": "tool_use",
                "id": call_id(step),
                "name": step.call.tool,
                "input": step.call.arguments,
            }
        )
        messages.append({"role": "assistant", "content": blocks})
        result = {
            "type": "tool_result",
            "tool_use_id": call_id(step),
            "content": step.observation,
            "is_error": step.feedback.status == "failure",
        }
        messages.append({"role": "user", "content": [result]})
    tools = [
        {
            "name": tool["function"]["name"],
            "description": tool["function"].get("description", ""),
            "input_schema": tool["function"]["parameters"],
        }
        for tool in openai_tools(trajectory)
    ]
    return {"messages": messages, "tools": tools, "metadata": metadata(trajectory, score)}


def to_sharegpt(trajectory: Trajectory, score: float | None = None) -> dict[str, Any]:
    """LLaMA-Factory's ShareGPT layout: human, then function_call / observation pairs; the
    last turn is the model's (its final call). The format has no place for reasoning, so the
    thoughts are in ``metadata``."""
    turns: list[dict[str, str]] = [{"from": "human", "value": trajectory.header.task}]
    for step in trajectory.steps:
        call = {"name": step.call.tool, "arguments": step.call.arguments}
        turns.append({"from": "function_call", "value": json.dumps(call, ensure_ascii=False)})
        turns.append({"from": "observation", "value": step.observation})
    if len(turns) > 1 and turns[-1]["from"] == "observation":
        turns.pop()  # a conversation ends with the model's turn
    tools = [tool["function"] for tool in openai_tools(trajectory)]
    return {
        "conversations": turns,
        "tools": json.dumps(tools, ensure_ascii=False),
        "metadata": metadata(trajectory, score),
    }


FORMATS: dict[str, Exporter] = {
    "openai": to_openai,
    "anthropic": to_anthropic,
    "sharegpt": to_sharegpt,
    "atif": to_atif,
}


def export_trajectory(trajectory: Trajectory, fmt: str, score: float | None = None) -> dict:
    try:
        exporter = FORMATS[fmt]
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}") from None
    return exporter(trajectory, score)
