"""Run a scripted episode (a reference solution, or a file of actions) and record it."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from recorder.recorder import Recorder
from recorder.storage import Durability
from sandbox.errors import ScenarioError
from sandbox.types import ToolCall
from scenarios.env import env_for
from scenarios.schema import Scenario


@dataclass(frozen=True)
class RunResult:
    scenario_id: str
    path: Path
    score: float
    steps: int
    finished: bool
    seconds: float

    def as_json(self) -> dict[str, Any]:
        return {
            "scenario_id": self.scenario_id,
            "path": str(self.path),
            "score": self.score,
            "steps": self.steps,
            "finished": self.finished,
            "seconds": round(self.seconds, 4),
        }


def run_actions(
    scenario: Scenario,
    actions: Iterable[ToolCall | dict[str, Any] | str],
    *,
    out: str | Path,
    seed: int | None = None,
    actor: str = "script",
    durability: Durability = "step",
    fault_seed: int = 0,
) -> RunResult:
    """Step ``actions`` through a recorded env until they run out or the episode ends.

    Malformed actions are recorded as failed steps, exactly as the env answers them.
    """
    started = time.perf_counter()
    env = Recorder(env_for(scenario), out, actor=actor, durability=durability)
    try:
        env.reset(seed=seed, options={"fault_seed": fault_seed})
        steps, finished, score = 0, False, 0.0
        for action in actions:
            _, _, terminated, truncated, info = env.step(action)
            steps += 1
            if terminated or truncated:
                finished, score = True, float(info["score"])
                break
        if not finished:
            score = env.tool_env.score()
        path = env.paths[-1]
    finally:
        env.close()
    return RunResult(scenario.id, path, score, steps, finished, time.perf_counter() - started)


def solve(
    scenario: Scenario,
    solution: str | None = None,
    *,
    out: str | Path,
    seed: int | None = None,
    durability: Durability = "step",
) -> RunResult:
    """Record one of the scenario's reference solutions (the first when none is named)."""
    name = solution or next(iter(scenario.solutions))
    if name not in scenario.solutions:
        raise ScenarioError(
            f"scenario {scenario.id!r} has no solution {name!r}; "
            f"it has: {', '.join(scenario.solutions)}"
        )
    return run_actions(
        scenario,
        scenario.solutions[name],
        out=out,
        seed=seed,
        actor=f"reference:{name}",
        durability=durability,
    )
