"""Recording: what is on disk, when, and how a torn file reads back."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from recorder import Recorder, load_trajectory, run_actions, solve
from recorder.records import Header, StepRecord, header_line, step_line
from sandbox.errors import TrajectoryError
from scenarios import env_for, load_bundled
from scenarios.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_solution_recording_has_header_steps_and_end(bundled: Scenario, tmp_path: Path) -> None:
    result = solve(bundled, out=tmp_path / "t.jsonl")
    lines = _lines(result.path)
    assert [line["kind"] for line in lines] == ["header"] + ["step"] * result.steps + ["end"]
    header = lines[0]
    assert header["scenario_id"] == bundled.id
    assert header["content_hash"] == bundled.content_hash
    assert header["seed"] == bundled.seed
    assert header["actor"].startswith("reference:")
    assert {tool["function"]["name"] for tool in header["tools"]} >= {"submit"}
    assert lines[-1] == {
        "kind": "end",
        "outcome": "terminated",
        "score": 1.0,
        "answer": lines[-2]["call"]["arguments"]["answer"],
        "steps": result.steps,
    }
    first_call = next(iter(bundled.solutions.values()))[0]
    assert lines[1]["call"]["tool"] == first_call.tool
    assert lines[1]["call"]["thought"] == first_call.thought
    assert lines[1]["wall_ms"] >= 0


def test_step_is_on_disk_before_step_returns(bundled: Scenario, tmp_path: Path) -> None:
    path = tmp_path / "live.jsonl"
    env = Recorder(env_for(bundled), path)
    env.reset()
    calls = next(iter(bundled.solutions.values()))
    for number, call in enumerate(calls[: min(3, len(calls) - 1)], start=1):  # not the submit
        env.step(call)
        assert len(path.read_text().splitlines()) == 1 + number
    env.close()
    assert _lines(path)[-1]["outcome"] == "abandoned"


def test_episode_durability_writes_everything_by_the_end(bundled: Scenario, tmp_path: Path) -> None:
    calls = next(iter(bundled.solutions.values()))
    result = run_actions(bundled, calls, out=tmp_path / "e.jsonl", durability="episode")
    loaded = load_trajectory(result.path)
    assert len(loaded.steps) == len(calls) and loaded.end is not None


def test_a_killed_process_loses_no_written_step(tmp_path: Path) -> None:
    """Step durability: a process killed mid-episode (no close, no end line) leaves every step
    it returned on file."""
    path = tmp_path / "killed.jsonl"
    script = (
        "import os, sys\n"
        "from recorder import Recorder\n"
        "from scenarios import env_for, load_bundled\n"
        "scenario = load_bundled('organise-downloads')\n"
        "env = Recorder(env_for(scenario), sys.argv[1])\n"
        "env.reset()\n"
        "for call in scenario.solutions['one-by-one'][:3]:\n"
        "    env.step(call)\n"
        "os._exit(9)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(path)], cwd=ROOT, timeout=120)
    assert done.returncode == 9
    loaded = load_trajectory(path)
    assert len(loaded.steps) == 3 and loaded.end is None and loaded.torn_tail is None


def test_episode_durability_writes_each_episode_whole_when_it_ends(
    bundled: Scenario, tmp_path: Path
) -> None:
    env = Recorder(env_for(bundled), tmp_path / "e.jsonl", durability="episode")
    calls = next(iter(bundled.solutions.values()))
    for _ in range(2):
        env.reset()
        for call in calls[:-1]:
            env.step(call)
        assert not env.paths[-1].exists()  # the episode is the unit: nothing mid-episode
        env.step(calls[-1])
    env.close()  # waits for the background writes
    for path in env.paths:
        loaded = load_trajectory(path)
        assert len(loaded.steps) == len(calls) and loaded.end is not None
        assert loaded.end.score == 1.0 and loaded.torn_tail is None


def test_step_line_is_the_step_record(bundled: Scenario) -> None:
    env = env_for(bundled)
    env.reset()
    for call in next(iter(bundled.solutions.values())):
        *_, info = env.step(call)
        step = info["step"]
        line = step_line(step, 1.25, None if step.index % 2 else 30.5)
        expected = StepRecord(**{**step.__dict__, "wall_ms": 1.25})
        expected.active_ms = None if step.index % 2 else 30.5
        assert StepRecord.model_validate_json(line) == expected
        assert json.loads(line).keys() == json.loads(expected.model_dump_json()).keys()


def test_header_line_is_the_header(bundled: Scenario, tmp_path: Path) -> None:
    result = solve(bundled, out=tmp_path / "t.jsonl")
    header = load_trajectory(result.path).header
    written = json.loads(result.path.read_text().splitlines()[0])
    fields = [name for name in Header.model_fields if name != "tools"]
    assert list(written) == [*fields, "tools"]  # every field, in order, the long schemas last
    assert Header.model_validate_json(header_line(header)) == header
    extra = Header.model_validate({**header.model_dump(), "reviewer_note": "kept"})
    assert json.loads(header_line(extra))["reviewer_note"] == "kept"
    schemas = env_for(bundled).toolset.openai_schemas_json
    assert Header.model_validate_json(header_line(header, schemas)) == header


def test_folder_output_gets_one_file_per_episode(bundled: Scenario, tmp_path: Path) -> None:
    env = Recorder(env_for(bundled), tmp_path / "runs", actor="rl")
    for _ in range(2):
        env.reset()
        env.step({"tool": "submit", "arguments": {"answer": "x"}})
    env.close()
    assert len(env.paths) == 2 and all(p.parent == tmp_path / "runs" for p in env.paths)
    assert all(load_trajectory(p).end.outcome == "terminated" for p in env.paths)


@pytest.mark.parametrize("durability", ["step", "episode"])
def test_a_folder_removed_between_episodes_is_made_again(tmp_path: Path, durability: str) -> None:
    env = Recorder(
        env_for(load_bundled("organise-downloads")),
        tmp_path / "runs",
        durability=durability,
        actor="rl",
    )
    for seed in (3, 4):
        env.reset(seed=seed)
        env.step({"tool": "submit", "arguments": {"answer": "x"}})
        env.close()  # the first episode's file is on disk before its folder goes
        if seed == 3:
            shutil.rmtree(tmp_path / "runs")
    loaded = load_trajectory(env.paths[-1])
    assert loaded.end is not None and loaded.header.seed == 4 and loaded.header.actor == "rl"
    assert not env.paths[0].exists()


def test_second_episode_to_a_file_path_gets_a_suffix(bundled: Scenario, tmp_path: Path) -> None:
    env = Recorder(env_for(bundled), tmp_path / "t.jsonl")
    env.reset()
    env.reset()
    env.close()
    assert [p.name for p in env.paths] == ["t.jsonl", "t-2.jsonl"]
    assert load_trajectory(env.paths[0]).end.outcome == "abandoned"


def test_bad_actions_are_recorded_as_failed_steps(bundled: Scenario, tmp_path: Path) -> None:
    actions = ["not json", '{"tool": "nope"}', '{"tool": "submit", "arguments": {"answer": "a"}}']
    result = run_actions(bundled, actions, out=tmp_path / "bad.jsonl")
    loaded = load_trajectory(result.path)
    types = [step.feedback.error.type if step.feedback.error else None for step in loaded.steps]
    assert types == ["invalid_json", "unknown_tool", None]
    assert result.finished


def test_unfinished_run_is_scored_and_marked(bundled: Scenario, tmp_path: Path) -> None:
    result = run_actions(bundled, [], out=tmp_path / "none.jsonl")
    assert not result.finished and result.steps == 0
    assert load_trajectory(result.path).end.outcome == "abandoned"


def test_torn_last_line_is_reported_not_dropped(bundled: Scenario, tmp_path: Path) -> None:
    result = solve(bundled, out=tmp_path / "t.jsonl")
    text = result.path.read_text()
    torn = tmp_path / "torn.jsonl"
    torn.write_text(text[: text.rindex("\n", 0, len(text) - 1) + 1] + '{"kind": "end", "outc')
    loaded = load_trajectory(torn)
    assert loaded.torn_tail == '{"kind": "end", "outc'
    assert loaded.end is None and len(loaded.steps) == result.steps


def test_bad_line_in_the_middle_is_an_error(bundled: Scenario, tmp_path: Path) -> None:
    result = solve(bundled, out=tmp_path / "t.jsonl")
    lines = result.path.read_text().splitlines(keepends=True)
    lines[1] = "garbage\n"
    broken = tmp_path / "broken.jsonl"
    broken.write_text("".join(lines))
    with pytest.raises(TrajectoryError, match=r"broken.jsonl:2: not a trajectory record"):
        load_trajectory(broken)


def test_file_without_header_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "empty.jsonl"
    path.write_text("")
    with pytest.raises(TrajectoryError, match="no header line"):
        load_trajectory(path)


def test_unknown_solution_name_is_a_clear_error(bundled: Scenario, tmp_path: Path) -> None:
    from sandbox.errors import ScenarioError

    with pytest.raises(ScenarioError, match="has no solution 'nope'; it has:"):
        solve(bundled, "nope", out=tmp_path / "x.jsonl")
