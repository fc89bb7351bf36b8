"""Branching: restore the world after step K and finish another way."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recorder import load_trajectory, solve
from recorder.branch import branch
from recorder.replay import verify
from sandbox.cli.app import app
from sandbox.errors import TrajectoryError
from scenarios.schema import Scenario


def test_branch_at_every_k_then_finishing_scores_one(bundled: Scenario, tmp_path: Path) -> None:
    names = list(bundled.solutions)
    parent = load_trajectory(solve(bundled, names[0], out=tmp_path / "parent.jsonl").path)
    calls = bundled.solutions[names[0]]
    for k in range(len(calls)):  # the last call is submit: branch before it at the latest
        env = branch(parent, k, tmp_path / f"b{k}.jsonl")
        reward = 0.0
        for call in calls[k:]:
            _, reward, terminated, _, _ = env.step(call)
        env.close()
        assert terminated and reward == 1.0, f"branch at {k}"
        child = load_trajectory(env.paths[-1])
        assert child.header.parent_trajectory_id == parent.header.trajectory_id
        assert child.header.branch_step == k
        assert [s.observation for s in child.steps[:k]] == [s.observation for s in parent.steps[:k]]
        assert verify(child).identical


def test_branch_out_of_range_is_a_clear_error(bundled: Scenario, tmp_path: Path) -> None:
    parent = load_trajectory(solve(bundled, out=tmp_path / "p.jsonl").path)
    with pytest.raises(TrajectoryError, match="cannot branch at step 999"):
        branch(parent, 999, tmp_path / "x.jsonl")
    last = len(parent.steps) - 1  # the last step (submit) ended the episode
    with pytest.raises(TrajectoryError, match=rf"use 0\.\.{last}\b") as refused:
        branch(parent, len(parent.steps), tmp_path / "y.jsonl")
    assert "cannot branch at step" in str(refused.value) and not (tmp_path / "y.jsonl").exists()
    branch(parent, last, tmp_path / "z.jsonl").close()  # the range named is valid


def test_cli_branch_with_actions(bundled: Scenario, tmp_path: Path) -> None:
    parent = solve(bundled, out=tmp_path / "p.jsonl").path
    actions = tmp_path / "a.jsonl"
    actions.write_text('{"tool": "submit", "arguments": {"answer": "stopping early"}}\n')
    result = CliRunner().invoke(
        app,
        [
            "branch",
            str(parent),
            "--at",
            "1",
            "--out",
            str(tmp_path / "b.jsonl"),
            "--actions",
            str(actions),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["steps"] == 2 and data["finished"] and data["branch_step"] == 1
    assert data["score"] < 1.0


def test_cli_branch_needs_exactly_one_source(bundled: Scenario, tmp_path: Path) -> None:
    parent = solve(bundled, out=tmp_path / "p.jsonl").path
    result = CliRunner().invoke(app, ["branch", str(parent), "--at", "1", "--out", "x.jsonl"])
    assert result.exit_code == 2 and "exactly one of --actions FILE or --play" in result.stderr


def test_branch_without_out_returns_an_unrecorded_env_after_k_steps(tmp_path: Path) -> None:
    from scenarios import load_bundled

    scenario = load_bundled("rotate-leaked-key")
    calls = next(iter(scenario.solutions.values()))
    parent = load_trajectory(solve(scenario, out=tmp_path / "p.jsonl").path)
    env = branch(parent, 2)
    assert len(env.episode.steps) == 2
    for call in calls[2:]:
        _, reward, terminated, _, _ = env.step(call)
    assert terminated and reward == 1.0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.jsonl"]


def test_a_tampered_parent_or_another_scenario_is_refused_and_leaves_no_file(
    tmp_path: Path,
) -> None:
    from scenarios import load_bundled

    parent_path = solve(load_bundled("rotate-leaked-key"), out=tmp_path / "p.jsonl").path
    lines = parent_path.read_text().splitlines()
    step = json.loads(lines[1])
    step["observation"] = "edited"
    lines[1] = json.dumps(step)
    parent_path.write_text("\n".join(lines) + "\n")
    parent = load_trajectory(parent_path)
    out = tmp_path / "b.jsonl"
    with pytest.raises(TrajectoryError, match="step 0 does not replay as recorded"):
        branch(parent, 2, out)
    assert not out.exists()
    branch(parent, 2, out, force=True).close()
    assert load_trajectory(out).header.branch_step == 2
    with pytest.raises(TrajectoryError, match="recorded in scenario 'rotate-leaked-key'"):
        branch(parent, 1, tmp_path / "c.jsonl", scenario=load_bundled("update-config"))
    assert not (tmp_path / "c.jsonl").exists()


def test_cli_branch_refuses_to_overwrite_and_names_the_divergence(tmp_path: Path) -> None:
    from scenarios import load_bundled

    parent = solve(load_bundled("rotate-leaked-key"), out=tmp_path / "p.jsonl").path
    actions = tmp_path / "a.jsonl"
    actions.write_text('{"tool": "submit", "arguments": {"answer": "stop"}}\n')
    out = tmp_path / "b.jsonl"
    out.write_text("keep me\n")
    args = ["branch", str(parent), "--at", "1", "--out", str(out), "--actions", str(actions)]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 2 and "already exists" in refused.stderr
    assert out.read_text() == "keep me\n"
    assert CliRunner().invoke(app, [*args, "--force"]).exit_code == 0
    other = CliRunner().invoke(
        app, [*args[:-2], "--actions", str(actions), "--force", "--scenario", "update-config"]
    )
    assert other.exit_code == 2 and "recorded in scenario" in other.stderr
