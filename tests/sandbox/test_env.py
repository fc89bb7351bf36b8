"""ToolEnv: every kind of bad input is a failed step that says what was expected."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from pydantic import BaseModel

from sandbox.env import Episode, Task, ToolEnv
from sandbox.tool import Toolset, tool
from sandbox.types import ToolCall
from sandbox.world import World
from tools.files import fs_read_file
from tools.submit import submit


class NoArgs(BaseModel):
    pass


@tool()
def buggy(world: World, args: NoArgs) -> str:
    """A tool with a bug."""
    raise KeyError("oops")


def build(seed: int) -> World:
    world = World(seed=seed, start=datetime(2026, 1, 5, tzinfo=UTC))
    world.fs.seed_file("~/ü.txt", "grüße ✓".encode())
    world.mark_baseline()
    return world


def answer_scorer(episode: Episode) -> float:
    return 1.0 if episode.answer == "42" else 0.25


@pytest.fixture
def env() -> ToolEnv:
    env = ToolEnv(
        task=Task(scenario_id="t", text="Find the answer.", max_steps=5),
        build_world=build,
        toolset=Toolset((fs_read_file, buggy, submit)),
        scorer=answer_scorer,
    )
    env.reset(seed=0)
    return env


def failure(env: ToolEnv, action) -> tuple[str, str]:
    observation, reward, terminated, truncated, info = env.step(action)
    assert (reward, terminated, truncated) == (0.0, False, False)
    feedback = info["feedback"]
    assert feedback.status == "failure"
    return feedback.error.type, observation


def test_not_json(env: ToolEnv) -> None:
    kind, text = failure(env, "read the file please")
    assert kind == "invalid_json" and '{"tool": "<name>"' in text


def test_json_but_not_an_object(env: ToolEnv) -> None:
    assert failure(env, "[1, 2]")[0] == "invalid_action"


def test_unknown_tool_lists_the_tools(env: ToolEnv) -> None:
    kind, text = failure(env, {"tool": "fs_read", "arguments": {}})
    assert kind == "unknown_tool" and "fs_read_file, buggy, submit" in text


def test_bad_arguments_name_field_and_signature(env: ToolEnv) -> None:
    kind, text = failure(env, {"tool": "fs_read_file", "arguments": {"start_line": "x"}})
    assert kind == "invalid_arguments"
    assert "path: Field required" in text and "start_line" in text
    assert "Expected fs_read_file(path: string" in text


def test_a_bug_in_a_tool_is_recorded_not_raised(env: ToolEnv) -> None:
    kind, text = failure(env, {"tool": "buggy"})
    assert kind == "internal_error" and "KeyError" in text


def test_accepts_toolcall_dict_and_json_and_unicode(env: ToolEnv) -> None:
    for action in (
        ToolCall(tool="fs_read_file", arguments={"path": "~/ü.txt"}),
        {"tool": "fs_read_file", "arguments": {"path": "~/ü.txt"}},
        '{"tool": "fs_read_file", "arguments": {"path": "~/ü.txt"}}',
    ):
        observation, *_, info = env.step(action)
        assert observation == "grüße ✓" and info["feedback"].status == "success"
        assert env.observation_space.contains(observation)


def test_submit_terminates_with_the_score_and_then_refuses(env: ToolEnv) -> None:
    _, reward, terminated, _, info = env.step({"tool": "submit", "arguments": {"answer": "42"}})
    assert terminated and reward == 1.0 and info["score"] == 1.0
    observation, reward, terminated, truncated, info = env.step({"tool": "submit"})
    assert observation.startswith("Error:") and not (terminated or truncated)
    assert info["feedback"].error.type == "episode_over" and reward == 0.0


def test_max_steps_truncates_with_the_score(env: ToolEnv) -> None:
    results = [
        env.step({"tool": "fs_read_file", "arguments": {"path": "~/ü.txt"}}) for _ in range(5)
    ]
    assert [r[3] for r in results] == [False] * 4 + [True]
    assert results[-1][1] == 0.25


def test_reset_info_is_fresh_and_complete(env: ToolEnv) -> None:
    _, first = env.reset(seed=0)
    _, second = env.reset(seed=0)
    assert first is not second and first == second
    assert first["task"] == "Find the answer." and first["scenario_id"] == "t"
    assert [t["function"]["name"] for t in first["tools"]] == ["fs_read_file", "buggy", "submit"]


def test_step_before_reset_is_an_error() -> None:
    import gymnasium as gym

    fresh = ToolEnv(
        task=Task(scenario_id="t", text="x"),
        build_world=build,
        toolset=Toolset((submit,)),
        scorer=answer_scorer,
    )
    with pytest.raises(gym.error.ResetNeeded):
        fresh.step({"tool": "submit"})
