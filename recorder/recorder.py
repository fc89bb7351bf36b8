"""``Recorder``: a Gymnasium wrapper that writes every episode as a trajectory file.

Each step line is written before ``step()`` returns and fsynced with it (``durability="step"``,
the default); bulk rollouts may choose ``durability="episode"``: each episode's file is written
whole and fsynced in the background when the episode ends (``close()`` waits for them).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import gymnasium as gym

import sandbox
from recorder.ids import new_trajectory_id
from recorder.records import FORMAT_VERSION, End, Outcome, header_line
from recorder.storage import Durability, TrajectoryWriter, wait_for_syncs
from sandbox.env import Task, ToolEnv
from sandbox.types import Step, ToolCall


class Recorder(gym.Wrapper[str, str, str, str]):
    """Record episodes to ``out``: a ``.jsonl`` file (later episodes get ``-2``, ``-3``…
    suffixes) or a folder (one ``<trajectory id>.jsonl`` per episode)."""

    def __init__(
        self,
        env: gym.Env[str, str],
        out: str | Path,
        *,
        actor: str = "unknown",
        durability: Durability = "step",
        parent: tuple[str, int] | None = None,
    ) -> None:
        """``parent`` (trajectory id, step) marks the recordings as branches of another."""
        super().__init__(env)
        if not isinstance(env.unwrapped, ToolEnv):
            raise TypeError("Recorder wraps a sandbox ToolEnv")
        self.out = Path(out)
        self.actor = actor
        self.parent = parent
        self.durability = durability
        self.active_ms: float | None = None
        """Set before ``step`` by a human front end: written with that step, then cleared."""
        self.paths: list[Path] = []
        self.trajectory_id: str | None = None
        self._writer: TrajectoryWriter | None = None
        self._steps = 0

    @property
    def tool_env(self) -> ToolEnv:
        env = self.env.unwrapped
        assert isinstance(env, ToolEnv)
        return env

    def _next_path(self, trajectory_id: str) -> Path:
        if self.out.suffix != ".jsonl":
            return self.out / f"{trajectory_id}.jsonl"
        if not self.paths:
            return self.out
        return self.out.with_name(f"{self.out.stem}-{len(self.paths) + 1}.jsonl")

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[str, dict[str, Any]]:
        self._finish("abandoned")
        observation, info = self.env.reset(seed=seed, options=options)
        self.trajectory_id = new_trajectory_id()
        path = self._next_path(self.trajectory_id)
        self._writer = TrajectoryWriter(path, self.durability)
        self.paths.append(path)
        self._steps = 0
        self._writer.write_line(
            partial(
                self._header_line,
                self.trajectory_id,
                self.tool_env.task,
                info["seed"],
                info.get("fault_seed", 0),
                info["tools"],
                datetime.now(UTC),
            )
        )
        info["trajectory_path"] = str(path)
        return observation, info

    def _header_line(
        self,
        trajectory_id: str,
        task: Task,
        seed: int,
        fault_seed: int,
        tools: list[dict[str, Any]],
        created: datetime,
    ) -> bytes:
        """The header of an episode (with ``episode`` durability, made when the file is
        written, with the other lines: cheaper than at reset, between the env's own work)."""
        header = {  # Header's fields in order, as a dict: model_construct costs 20 µs
            "kind": "header",
            "format": FORMAT_VERSION,
            "trajectory_id": trajectory_id,
            "scenario_id": task.scenario_id,
            "content_hash": task.content_hash,
            "section_hashes": dict(task.section_hashes),
            "seed": seed,
            "fault_seed": fault_seed,
            "actor": self.actor,
            "task": task.text,
            "tools": tools,
            "package_version": sandbox.__version__,
            "created": created.isoformat(),
            "parent_trajectory_id": self.parent[0] if self.parent else None,
            "branch_step": self.parent[1] if self.parent else None,
        }
        return header_line(header, self.tool_env.toolset.openai_schemas_json)

    def step(
        self, action: ToolCall | dict[str, Any] | str
    ) -> tuple[str, float, bool, bool, dict[str, Any]]:
        started = time.perf_counter()
        observation, reward, terminated, truncated, info = self.env.step(action)
        wall_ms = (time.perf_counter() - started) * 1000.0
        if self._writer is not None:
            step: Step = info["step"]
            self._writer.write_step(step, wall_ms, self.active_ms)
            self.active_ms = None
            self._steps += 1
            if terminated or truncated:
                outcome: Outcome = "terminated" if terminated else "truncated"
                self._finish(outcome, score=info.get("score", 0.0), answer=info.get("answer"))
        return observation, reward, terminated, truncated, info

    def _finish(self, outcome: Outcome, *, score: float | None = None, answer: str | None = None):
        if self._writer is None:
            return
        if score is None:
            score = self.tool_env.score()
        self._writer.write(End(outcome=outcome, score=score, answer=answer, steps=self._steps))
        self._writer.close()
        self._writer = None

    def close(self) -> None:
        """End the episode in progress and wait until every episode is on disk."""
        self._finish("abandoned")
        wait_for_syncs()
        super().close()
