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
    with pytest.raises(TrajectoryError, match="the episode ended at step"):
        branch(parent, len(parent.steps), tmp_path / "y.jsonl")


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
