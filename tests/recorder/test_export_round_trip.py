"""Export → load round trips, one per format: every step's thought, call, observation and
feedback, every annotation and the provenance (times, parent, version) come back out."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from recorder.annotate import annotate
from recorder.branch import branch
from recorder.export import export_trajectory
from recorder.runner import solve
from recorder.storage import Trajectory, load_trajectory
from scenarios import load_bundled

PROVENANCE = ("created", "package_version", "parent_trajectory_id", "branch_step")


@pytest.fixture(scope="module")
def trajectory(tmp_path_factory: pytest.TempPathFactory) -> Trajectory:
    """A branch (so the parent fields are set) of a recording with faults, annotated."""
    folder = tmp_path_factory.mktemp("round-trip")
    scenario = load_bundled("refunds-through-api-faults")
    parent = load_trajectory(solve(scenario, out=folder / "parent.jsonl").path)
    env = branch(parent, 3, folder / "child.jsonl")
    for call in scenario.solutions[next(iter(scenario.solutions))][3:]:
        env.step(call)
    env.close()
    path = env.paths[-1]
    annotate(path, step=1, label="failure", annotator="ana", comment="garbled body")
    annotate(path, step=2, label="success", annotator="ben", next_action="retry")
    loaded = load_trajectory(path)
    assert loaded.header.parent_trajectory_id and loaded.header.branch_step == 3
    return loaded


def _steps(meta: dict[str, Any]) -> list[dict[str, Any]]:
    return meta["steps"]


def _openai(example: dict[str, Any]) -> list[dict[str, Any]]:
    from openai.types.chat import ChatCompletionMessageParam

    TypeAdapter(list[ChatCompletionMessageParam]).validate_python(example["messages"])
    calls = [m for m in example["messages"] if m["role"] == "assistant"]
    results = [m for m in example["messages"] if m["role"] == "tool"]
    return [
        {
            "thought": call["content"],
            "tool": call["tool_calls"][0]["function"]["name"],
            "arguments": json.loads(call["tool_calls"][0]["function"]["arguments"]),
            "observation": result["content"],
        }
        for call, result in zip(calls, results, strict=True)
    ]


def _anthropic(example: dict[str, Any]) -> list[dict[str, Any]]:
    from anthropic.types import MessageParam

    TypeAdapter(list[MessageParam]).validate_python(example["messages"])
    turns = example["messages"][1:]
    found = []
    for assistant, user in zip(turns[::2], turns[1::2], strict=True):
        texts = [b["text"] for b in assistant["content"] if b["type"] == "text"]
        use = next(b for b in assistant["content"] if b["type"] == "tool_use")
        result = user["content"][0]
        found.append(
            {
                "thought": texts[0] if texts else None,
                "tool": use["name"],
                "arguments": use["input"],
                "observation": result["content"],
            }
        )
    return found


def _sharegpt(example: dict[str, Any]) -> list[dict[str, Any]]:
    turns = example["conversations"][1:]
    calls = [json.loads(t["value"]) for t in turns if t["from"] == "function_call"]
    shown = [t["value"] for t in turns if t["from"] == "observation"]
    meta = _steps(example["metadata"])
    # the conversation ends with the model's turn: the last observation lives in metadata
    assert shown == [s["observation"] for s in meta][: len(shown)]
    return [
        {
            "thought": step["thought"],
            "tool": call["name"],
            "arguments": call["arguments"],
            "observation": step["observation"],
        }
        for call, step in zip(calls, meta, strict=True)
    ]


def _atif(example: dict[str, Any]) -> list[dict[str, Any]]:
    from atif import Trajectory as Atif

    document = Atif.model_validate(example)
    return [
        {
            "thought": step.reasoning_content,
            "tool": step.tool_calls[0].function_name,
            "arguments": step.tool_calls[0].arguments,
            "observation": step.observation.results[0].content,
        }
        for step in document.steps
        if step.source == "agent"
    ]


READERS = {"openai": _openai, "anthropic": _anthropic, "sharegpt": _sharegpt, "atif": _atif}


def _metadata(fmt: str, example: dict[str, Any]) -> dict[str, Any]:
    return example["extra"] if fmt == "atif" else example["metadata"]


def _expected(trajectory: Trajectory) -> list[dict[str, Any]]:
    return [
        {
            "thought": s.call.thought,
            "tool": s.call.tool,
            "arguments": s.call.arguments,
            "observation": s.observation,
        }
        for s in trajectory.steps
    ]


def _check_metadata(meta: dict[str, Any], trajectory: Trajectory) -> None:
    steps = _steps(meta)
    assert [s["feedback"] for s in steps] == [
        s.feedback.model_dump(mode="json") for s in trajectory.steps
    ]
    assert [s["sim_time"] for s in steps] == [s.sim_time for s in trajectory.steps]
    assert [s["wall_ms"] for s in steps] == [s.wall_ms for s in trajectory.steps]
    assert all(s["wall_ms"] is not None for s in steps)
    assert [s["active_ms"] for s in steps] == [
        getattr(s, "active_ms", None) for s in trajectory.steps
    ]
    assert meta["annotations"] == [a.model_dump(mode="json") for a in trajectory.annotations]
    for name in PROVENANCE:
        assert meta[name] == getattr(trajectory.header, name), name


@pytest.mark.parametrize("fmt", sorted(READERS))
def test_every_step_and_annotation_survives_export_and_load(
    fmt: str, trajectory: Trajectory, tmp_path: Path
) -> None:
    line = json.dumps(export_trajectory(trajectory, fmt), ensure_ascii=False)
    example = json.loads(line)
    assert READERS[fmt](example) == _expected(trajectory)
    _check_metadata(_metadata(fmt, example), trajectory)


def test_parquet_round_trip_through_datasets(
    trajectory: Trajectory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    datasets = pytest.importorskip("datasets")
    from recorder.export.parquet import write_parquet

    episodes_path, feedback_path = write_parquet([(trajectory, None)], tmp_path / "d.parquet")
    cache = str(tmp_path / "cache")
    load = lambda path: datasets.load_dataset(  # noqa: E731
        "parquet", data_files=str(path), split="train", cache_dir=cache
    )
    episode, rows = load(episodes_path)[0], load(feedback_path)
    messages = json.loads(episode["messages"])
    assert _openai({"messages": messages}) == _expected(trajectory)
    _check_metadata(json.loads(episode["metadata"]), trajectory)
    assert rows["thought"] == [s.call.thought for s in trajectory.steps]
    assert [json.loads(a) for a in rows["arguments"]] == [
        s.call.arguments for s in trajectory.steps
    ]
    assert rows["observation"] == [s.observation for s in trajectory.steps]
    assert rows["status"] == [s.feedback.status for s in trajectory.steps]
    assert rows["fault"] == [s.feedback.fault for s in trajectory.steps]
    assert rows["wall_ms"] == [s.wall_ms for s in trajectory.steps]
