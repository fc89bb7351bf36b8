"""What the reference solutions cost: run each once per scenario version and remember it.

Efficiency is measured against the shortest reference solution, and a scenario that does not
list its allowed changes allows what some reference solution changes. Both come from really
running the solutions (with a scorer that scores nothing, so this never recurses), cached by the
scenario's content hash and seed.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from sandbox.env import Task, ToolEnv
from scenarios.build import build_world
from scenarios.schema import Scenario
from tools.catalog import toolset_for


@dataclass(frozen=True)
class ReferenceRun:
    name: str
    steps: int
    sim_seconds: float
    changed: frozenset[str]
    """Targets that differ between the initial and the final world."""
    finished: bool


@dataclass(frozen=True)
class ReferenceStats:
    runs: tuple[ReferenceRun, ...]

    @property
    def best(self) -> ReferenceRun | None:
        """The shortest run that finished (fewest steps, then least simulated time)."""
        finished = [run for run in self.runs if run.finished] or list(self.runs)
        return min(finished, key=lambda run: (run.steps, run.sim_seconds), default=None)

    @property
    def longest_steps(self) -> int | None:
        return max((run.steps for run in self.runs), default=None)

    @property
    def longest_sim_seconds(self) -> float | None:
        return max((run.sim_seconds for run in self.runs), default=None)

    @property
    def changed(self) -> frozenset[str]:
        return frozenset().union(*(run.changed for run in self.runs))


def _no_score(_episode: object) -> float:
    return 0.0


def run_reference(scenario: Scenario, name: str, seed: int | None = None) -> ReferenceRun:
    task = Task(
        scenario_id=scenario.id,
        text=scenario.task,
        default_seed=scenario.seed,
        max_steps=scenario.max_steps,
        content_hash=scenario.content_hash,
    )
    env = ToolEnv(
        task=task,
        build_world=partial(build_world, scenario),
        toolset=toolset_for(scenario.tools),
        scorer=_no_score,
    )
    try:
        env.reset(seed=seed)
        finished = False
        for call in scenario.solutions[name]:
            _, _, terminated, truncated, _ = env.step(call)
            if terminated or truncated:
                finished = True
                break
        assert env.world is not None and env.episode is not None
        return ReferenceRun(
            name=name,
            steps=len(env.episode.steps),
            sim_seconds=env.world.clock.elapsed,
            changed=frozenset(change.target for change in env.world.baseline_diff()),
            finished=finished,
        )
    finally:
        env.close()


_CACHE: dict[tuple[str, int], ReferenceStats] = {}
_CACHE_LIMIT = 256


def reference_stats(scenario: Scenario, seed: int | None = None) -> ReferenceStats:
    """The reference runs of ``scenario`` (computed once per content hash and seed)."""
    key = (scenario.content_hash, scenario.seed if seed is None else seed)
    stats = _CACHE.get(key)
    if stats is None:
        runs = tuple(run_reference(scenario, name, seed) for name in scenario.solutions)
        stats = ReferenceStats(runs)
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = stats
    return stats
