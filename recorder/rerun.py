"""Re-execute a recorded trajectory to rebuild its final world (for scoring).

A minimal re-execution: same scenario, same seed, the recorded calls in order, through the
scenario's env. Where the new observation or feedback differs from the recording, the step is
listed as a divergence (a recording from another version of the scenario or the tools). The
full replay with verification lives with ``sandbox replay``; this is what ``sandbox score`` needs.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from recorder.storage import Trajectory
from sandbox.env import Episode, ToolEnv
from sandbox.errors import ScenarioError, TrajectoryError
from sandbox.types import Step
from scenarios.env import env_for
from scenarios.library import resolve
from scenarios.schema import Scenario


@dataclass(frozen=True)
class Divergence:
    step: int
    field: str
    recorded: str
    now: str

    def as_json(self) -> dict[str, Any]:
        return {"step": self.step, "field": self.field, "recorded": self.recorded, "now": self.now}


@dataclass
class Rerun:
    """The rebuilt episode; close it (or use ``with``) to release the world."""

    scenario: Scenario
    env: ToolEnv
    episode: Episode
    hash_matches: bool
    divergences: list[Divergence] = field(default_factory=list)
    outcome: str = "abandoned"
    """How the re-executed episode ended: ``terminated``, ``truncated`` or ``abandoned``."""

    def close(self) -> None:
        """Hand the env back to the pool: the next rerun of this scenario resets its world
        (cheap, O(what changed)) instead of building a new one."""
        _release(self.scenario, self.env)

    def __enter__(self) -> Rerun:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


POOL_SIZE = 64
_pool: OrderedDict[str, ToolEnv] = OrderedDict()


def _acquire(scenario: Scenario) -> ToolEnv:
    env = _pool.pop(scenario.content_hash, None)
    return env if env is not None else env_for(scenario, score_at_end=False)


def _release(scenario: Scenario, env: ToolEnv) -> None:
    previous = _pool.pop(scenario.content_hash, None)
    if previous is not None:
        previous.close()
    _pool[scenario.content_hash] = env
    while len(_pool) > POOL_SIZE:
        _, oldest = _pool.popitem(last=False)
        oldest.close()


def _window(recorded: str, now: str, before: int = 40, limit: int = 120) -> tuple[str, str]:
    """Both texts cut to a window around their first difference (so the two sides never look
    the same because the difference lies past the cut)."""
    first = next(
        (i for i, (a, b) in enumerate(zip(recorded, now, strict=False)) if a != b),
        min(len(recorded), len(now)),
    )
    start = max(0, first - before)

    def cut(text: str) -> str:
        piece = text[start : start + limit]
        return ("…" if start else "") + piece + ("…" if start + limit < len(text) else "")

    return cut(recorded), cut(now)


def _compare(recorded: Step, now: Step) -> list[Divergence]:
    found = []
    if recorded.observation != now.observation:
        found.append(
            Divergence(
                recorded.index, "observation", *_window(recorded.observation, now.observation)
            )
        )
    if recorded.feedback != now.feedback:
        found.append(
            Divergence(
                recorded.index,
                "feedback",
                *_window(recorded.feedback.model_dump_json(), now.feedback.model_dump_json()),
            )
        )
    if recorded.sim_time != now.sim_time:
        found.append(Divergence(recorded.index, "sim_time", recorded.sim_time, now.sim_time))
    return found


def recorded_action(step: Step) -> Any:
    """What to send the env to repeat a recorded step (a malformed action is sent as recorded,
    possibly cut short)."""
    call = step.call
    if call.tool == "invalid_action" and isinstance(call.arguments.get("raw"), str):
        return call.arguments["raw"]
    return call


def rerun(
    trajectory: Trajectory,
    scenario: Scenario | None = None,
    *,
    after_step: Callable[[Step, ToolEnv], None] | None = None,
) -> Rerun:
    """Re-execute ``trajectory``'s calls in a fresh env of its scenario (or ``scenario``);
    ``after_step`` sees the env after each step (e.g. to keep the page a browser step showed)."""
    header = trajectory.header
    if scenario is None:
        try:
            scenario = resolve(header.scenario_id)
        except ScenarioError as error:
            raise ScenarioError(
                f"{error}. {trajectory.path} was recorded in {header.scenario_id!r}; if that is "
                "a scenario file, pass it with --scenario FILE"
            ) from None
    if scenario.id != header.scenario_id:
        raise TrajectoryError(
            f"{trajectory.path}: recorded in scenario {header.scenario_id!r}, not {scenario.id!r}"
        )
    env = _acquire(scenario)
    env.reset(seed=header.seed, options={"fault_seed": header.fault_seed})
    divergences: list[Divergence] = []
    terminated = truncated = False
    for recorded in trajectory.steps:
        _, _, terminated, truncated, info = env.step(recorded_action(recorded))
        divergences.extend(_compare(recorded, info["step"]))
        if after_step is not None:
            after_step(info["step"], env)
    assert env.episode is not None
    return Rerun(
        scenario=scenario,
        env=env,
        episode=env.episode,
        hash_matches=scenario.content_hash == header.content_hash,
        divergences=divergences,
        outcome="terminated" if terminated else "truncated" if truncated else "abandoned",
    )
