"""Fork a recording: the world as it was after step K, continuing into a new trajectory.

The world is restored by deterministic re-execution of the parent's first K calls (replay
proves they reproduce); the new file holds those K steps too, so it stands alone for scoring
and replay, and its header names the parent trajectory and the branch step.
"""

from __future__ import annotations

from pathlib import Path

from recorder.recorder import Recorder
from recorder.rerun import recorded_action
from recorder.storage import Durability, Trajectory
from sandbox.errors import TrajectoryError
from scenarios.env import env_for
from scenarios.library import resolve
from scenarios.schema import Scenario


def branch(
    trajectory: Trajectory,
    at: int,
    out: str | Path,
    *,
    actor: str | None = None,
    scenario: Scenario | None = None,
    durability: Durability = "step",
) -> Recorder:
    """A recording env positioned after the parent's step ``at`` (0 = before any step)."""
    if not 0 <= at <= len(trajectory.steps):
        raise TrajectoryError(
            f"{trajectory.path}: cannot branch at step {at}; it has {len(trajectory.steps)} steps "
            f"(use 0..{len(trajectory.steps)})"
        )
    header = trajectory.header
    env = Recorder(
        env_for(scenario or resolve(header.scenario_id)),
        out,
        actor=actor or header.actor,
        durability=durability,
        parent=(header.trajectory_id, at),
    )
    env.reset(seed=header.seed, options={"fault_seed": header.fault_seed})
    for step in trajectory.steps[:at]:
        _, _, terminated, truncated, _ = env.step(recorded_action(step))
        if terminated or truncated:
            raise TrajectoryError(
                f"{trajectory.path}: the episode ended at step {step.index}; branch before it"
            )
    return env
