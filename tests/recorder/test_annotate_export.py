"""Annotations are appended, never rewritten; exports keep every step, thought, feedback and
annotation, and load back with the official SDKs' typed message models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import TypeAdapter

from recorder.annotate import annotate, latest_annotations, review
from recorder.export import export_trajectory
from recorder.runner import solve
from recorder.stats import stats
from recorder.storage import load_trajectory
from sandbox.errors import TrajectoryError
from scenarios import load_bundled


@pytest.fixture
def recording(tmp_path: Path) -> Path:
    return solve(load_bundled("refunds-through-api-faults"), out=tmp_path / "t.jsonl").path


def test_annotations_append_and_the_latest_per_annotator_wins(recording: Path) -> None:
    before = recording.read_bytes()
    annotate(recording, step=1, label="failure", annotator="ana", comment="garbled body")
    annotate(recording, step=1, label="partial", annotator="ana")
    annotate(recording, step=1, label="failure", annotator="ben")
    after = recording.read_bytes()
    assert after.startswith(before)  # recorded lines are untouched
    trajectory = load_trajectory(recording)
    assert len(trajectory.annotations) == 3  # all kept (provenance)
    latest = latest_annotations(trajectory)
    assert latest[("ana", 1)].label == "partial" and latest[("ben", 1)].label == "failure"
    assert trajectory.status == "unreviewed"
    review(recording, approve=False, reason="missed the stale read", reviewer="qa")
    review(recording, approve=True, reason="", reviewer="qa")
    assert load_trajectory(recording).status == "approved"


def test_bad_annotations_are_refused_with_reasons(recording: Path) -> None:
    with pytest.raises(TrajectoryError, match="no step 99"):
        annotate(recording, step=99, label="success")
    with pytest.raises(TrajectoryError, match="label must be"):
        annotate(recording, step=0, label="great")
    with pytest.raises(TrajectoryError, match="needs a reason"):
        review(recording, approve=False, reason=" ")
    torn = recording.with_name("torn.jsonl")
    torn.write_text(recording.read_text() + '{"kind": "step", "ind')
    with pytest.raises(TrajectoryError, match="torn"):
        annotate(torn, step=0, label="success")


def test_openai_export_round_trips_and_validates(recording: Path) -> None:
    from openai.types.chat import ChatCompletionMessageParam, ChatCompletionToolParam

    annotate(recording, step=2, label="success", annotator="ana")
    trajectory = load_trajectory(recording)
    example = json.loads(json.dumps(export_trajectory(trajectory, "openai")))
    messages = TypeAdapter(list[ChatCompletionMessageParam]).validate_python(example["messages"])
    TypeAdapter(list[ChatCompletionToolParam]).validate_python(example["tools"])
    assert messages[0]["role"] == "user" and messages[0]["content"] == trajectory.header.task
    calls = [m for m in example["messages"] if m["role"] == "assistant"]
    results = [m for m in example["messages"] if m["role"] == "tool"]
    assert len(calls) == len(results) == len(trajectory.steps)
    for step, call, result in zip(trajectory.steps, calls, results, strict=True):
        function = call["tool_calls"][0]["function"]
        assert function["name"] == step.call.tool
        assert json.loads(function["arguments"]) == step.call.arguments
        assert call["content"] == step.call.thought
        assert result["tool_call_id"] == call["tool_calls"][0]["id"]
        assert result["content"] == step.observation
    meta = example["metadata"]
    assert [s["feedback"] for s in meta["steps"]] == [
        s.feedback.model_dump(mode="json") for s in trajectory.steps
    ]
    assert any(s["feedback"]["fault"] for s in meta["steps"])
    assert meta["annotations"][0]["label"] == "success"
    assert "feedback" not in json.dumps(example["messages"])  # ground truth stays out


def test_anthropic_export_validates_and_marks_failed_results(recording: Path) -> None:
    from anthropic.types import MessageParam, ToolParam

    trajectory = load_trajectory(recording)
    example = export_trajectory(trajectory, "anthropic")
    TypeAdapter(list[MessageParam]).validate_python(example["messages"])
    TypeAdapter(list[ToolParam]).validate_python(example["tools"])
    results = [
        block
        for message in example["messages"]
        if message["role"] == "user"
        for block in message["content"]
        if block["type"] == "tool_result"
    ]
    assert [r["is_error"] for r in results] == [
        s.feedback.status == "failure" for s in trajectory.steps
    ]
    uses = [
        block
        for message in example["messages"]
        if message["role"] == "assistant"
        for block in message["content"]
        if block["type"] == "tool_use"
    ]
    assert [u["input"] for u in uses] == [s.call.arguments for s in trajectory.steps]


def test_sharegpt_export_alternates_and_keeps_thoughts_in_metadata(recording: Path) -> None:
    trajectory = load_trajectory(recording)
    example = export_trajectory(trajectory, "sharegpt")
    roles = [turn["from"] for turn in example["conversations"]]
    assert roles[0] == "human" and roles[-1] == "function_call"
    assert roles[1::2] == ["function_call"] * len(roles[1::2])
    assert roles[2::2] == ["observation"] * len(roles[2::2])
    tools = json.loads(example["tools"])
    assert {t["name"] for t in tools} >= {"shop_refund_order", "submit"}
    thoughts = [s["thought"] for s in example["metadata"]["steps"]]
    assert thoughts == [s.call.thought for s in trajectory.steps]


def test_stats_count_faults_labels_and_reasoning(tmp_path: Path, recording: Path) -> None:
    other = solve(load_bundled("organise-downloads"), out=tmp_path / "o.jsonl").path
    annotate(recording, step=1, label="failure", annotator="ana")
    report = stats([load_trajectory(recording), load_trajectory(other)])
    trajectory = load_trajectory(recording)
    faulted = sum(1 for s in trajectory.steps if s.feedback.fault)
    assert report["episodes"] == 2 and report["complete"] == 2
    assert sum(report["fault_coverage"].values()) == faulted
    assert set(report["fault_coverage"]) <= {
        "malformed_body",
        "not_found",
        "stale_data",
        "http_503",
        "rate_limit",
        "timeout",
    }
    assert report["labels"] == {"failure": 1}
    total = len(trajectory.steps) + len(load_trajectory(other).steps)
    assert report["steps"] == total
    with_thought = sum(
        bool(s.call.thought) for t in (recording, other) for s in load_trajectory(t).steps
    )
    assert report["steps_with_reasoning"] == round(with_thought / total, 4)


def test_atif_export_validates_with_the_atif_models(recording: Path) -> None:
    from atif import Trajectory as Atif

    trajectory = load_trajectory(recording)
    document = Atif.model_validate(export_trajectory(trajectory, "atif"))
    assert document.schema_version == "ATIF-v1.8"
    agent_steps = [s for s in document.steps if s.source == "agent"]
    assert len(agent_steps) == len(trajectory.steps)
    for recorded, exported in zip(trajectory.steps, agent_steps, strict=True):
        assert exported.tool_calls[0].function_name == recorded.call.tool
        assert exported.tool_calls[0].arguments == recorded.call.arguments
        assert exported.reasoning_content == recorded.call.thought
        result = exported.observation.results[0]
        assert result.content == recorded.observation
        assert result.extra["feedback"] == recorded.feedback.model_dump(mode="json")


def test_parquet_tables_round_trip(tmp_path: Path, recording: Path) -> None:
    import pyarrow.parquet as pq

    from recorder.export.parquet import write_parquet

    trajectory = load_trajectory(recording)
    episodes_path, feedback_path = write_parquet([(trajectory, 1.0)], tmp_path / "d.parquet")
    episodes = pq.read_table(episodes_path).to_pylist()
    steps = pq.read_table(feedback_path).to_pylist()
    assert [e["trajectory_id"] for e in episodes] == [trajectory.header.trajectory_id]
    assert episodes[0]["score"] == 1.0
    assert len(json.loads(episodes[0]["messages"])) == 1 + 2 * len(trajectory.steps)
    assert [row["observation"] for row in steps] == [s.observation for s in trajectory.steps]
    assert [row["fault"] for row in steps] == [s.feedback.fault for s in trajectory.steps]
    assert [row["expected_recovery"] for row in steps] == [
        s.feedback.expected_recovery for s in trajectory.steps
    ]
    assert steps[1]["previous_observation"] == trajectory.steps[0].observation


def test_exports_load_with_hugging_face_datasets(
    tmp_path: Path, recording: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")  # local files only: never the hub
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    datasets = pytest.importorskip("datasets")
    from recorder.export.parquet import write_parquet

    trajectory = load_trajectory(recording)
    episodes_path, feedback_path = write_parquet([(trajectory, None)], tmp_path / "d.parquet")
    jsonl = tmp_path / "openai.jsonl"
    jsonl.write_text(json.dumps(export_trajectory(trajectory, "openai")) + "\n")
    cache = str(tmp_path / "hf-cache")
    episodes = datasets.load_dataset(
        "parquet", data_files=str(episodes_path), split="train", cache_dir=cache
    )
    steps = datasets.load_dataset(
        "parquet", data_files=str(feedback_path), split="train", cache_dir=cache
    )
    chats = datasets.load_dataset("json", data_files=str(jsonl), split="train", cache_dir=cache)
    assert episodes[0]["trajectory_id"] == trajectory.header.trajectory_id
    assert steps.num_rows == len(trajectory.steps)
    assert steps["observation"] == [s.observation for s in trajectory.steps]
    assert len(chats[0]["messages"]) == 1 + 2 * len(trajectory.steps)
