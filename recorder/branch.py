"""Fork a recording: the world as it was after the parent's first K steps, continuing into a
new trajectory.

``at`` counts the steps kept, numbered as ``sandbox replay`` numbers them: ``at=K`` keeps steps
0..K-1 and the first new step is step K (``at=0`` starts from the reset world). The world is
restored by deterministic re-execution of those calls, and each replayed step is checked
against the parent's: a parent that was edited, or a scenario that is not the one it was
recorded in, is refused (``force=True`` skips the check). The new file holds the kept steps
too, so it stands alone for scoring and replay; its header names the parent and ``at``. A
branch that fails leaves no file behind.
"""

from __future__ import annotations

from pathlib import Path

from recorder.recorder import Recorder
from recorder.rerun import recorded_action
from recorder.storage import Durability, Trajectory
from sandbox.env import ToolEnv
from sandbox.errors import TrajectoryError
from sandbox.types import Step
from scenarios.env import env_for
from scenarios.library import resolve
from scenarios.schema import Scenario


def last_branch_point(trajectory: Trajectory) -> int:
    """The largest valid ``at``: every step, unless the last one ended the episode."""
    steps = len(trajectory.steps)
    ended = trajectory.end is not None and trajectory.end.outcome != "abandoned"
    return steps - 1 if ended and steps else steps


def _mismatch(recorded: Step, now: Step) -> str | None:
    for name in ("observation", "feedback", "sim_time"):
        if getattr(recorded, name) != getattr(now, name):
            return name
    return None


def branch(
    trajectory: Trajectory,
    at: int,
    out: str | Path | None = None,
    *,
    actor: str | None = None,
    scenario: Scenario | None = None,
    durability: Durability = "step",
    force: bool = False,
) -> Recorder | ToolEnv:
    """An env positioned after the parent's first ``at`` steps: a ``Recorder`` writing ``out``,
    or, without ``out``, the scenario's env itself (nothing recorded)."""
    last = last_branch_point(trajectory)
    if not 0 <= at <= last:
        raise TrajectoryError(
            f"{trajectory.path}: cannot branch at step {at}; it has {len(trajectory.steps)} "
            f"steps (use 0..{last}: --at K keeps steps 0..K-1 and continues as step K)"
        )
    header = trajectory.header
    chosen = scenario or resolve(header.scenario_id)
    if chosen.id != header.scenario_id and not force:
        raise TrajectoryError(
            f"{trajectory.path}: recorded in scenario {header.scenario_id!r}, not {chosen.id!r} "
            "(force to branch anyway)"
        )
    tool_env = env_for(chosen)
    env: Recorder | ToolEnv = tool_env
    if out is not None:
        env = Recorder(
            tool_env, out, actor=actor or header.actor, durability=durability,
            parent=(header.trajectory_id, at),
        )  # fmt: skip
    try:
        env.reset(seed=header.seed, options={"fault_seed": header.fault_seed})
        for step in trajectory.steps[:at]:
            _, _, terminated, truncated, info = env.step(recorded_action(step))
            differs = _mismatch(step, info["step"])
            if differs and not force:
                raise TrajectoryError(
                    f"{trajectory.path}: step {step.index} does not replay as recorded (its "
                    f"{differs} differs): the parent was edited or the scenario changed; "
                    "`sandbox replay --verify` shows the difference (force to branch anyway)"
                )
            if terminated or truncated:
                raise TrajectoryError(
                    f"{trajectory.path}: the episode ended at step {step.index}; branch before it"
                )
    except BaseException:
        _discard(env)
        raise
    return env


def _discard(env: Recorder | ToolEnv) -> None:
    """Close a branch that failed and remove what it wrote."""
    paths = list(env.paths) if isinstance(env, Recorder) else []
    env.close()
    for path in paths:
        Path(path).unlink(missing_ok=True)
