"""Verify a recording: rebuild its world, re-execute its calls, compare every step.

Built on ``rerun`` (the re-execution): this adds what changed in the scenario since recording
and a readable diff of the first step whose observation or feedback differs.
"""

from __future__ import annotations

import difflib
import json
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from recorder.rerun import Rerun, rerun
from recorder.storage import Trajectory, load_trajectory
from sandbox.errors import SandboxError
from sandbox.types import Step
from scenarios import score_episode
from scenarios.schema import Scenario


@dataclass(frozen=True)
class FirstDivergence:
    step: int
    field: str
    diff: str


@dataclass
class VerifyReport:
    path: str
    steps: int
    scenario_changed: list[str] = field(default_factory=list)
    hash_matches: bool = True
    divergent_steps: list[int] = field(default_factory=list)
    first: FirstDivergence | None = None
    torn_tail: bool = False
    error: str | None = None
    """Why the recording could not be replayed at all (unreadable, unknown scenario)."""
    end_divergences: list[str] = field(default_factory=list)
    """Where the recorded ``end`` line (outcome, score, answer, steps) differs from the replay's
    (the score recomputed once with the scenario's scorer)."""

    @property
    def identical(self) -> bool:
        return self.first is None and self.error is None and not self.end_divergences

    def as_json(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "identical": self.identical,
            "steps": self.steps,
            "hash_matches": self.hash_matches,
            "scenario_changed": self.scenario_changed,
            "divergent_steps": self.divergent_steps,
            "first_divergence": None
            if self.first is None
            else {"step": self.first.step, "field": self.first.field, "diff": self.first.diff},
            "end_divergences": self.end_divergences,
            "torn_tail": self.torn_tail,
            "error": self.error,
        }


def changed_sections(trajectory: Trajectory, scenario: Scenario) -> list[str]:
    """Top-level scenario fields whose content differs from the recording's."""
    recorded = trajectory.header.section_hashes
    if not recorded:
        return [] if scenario.content_hash == trajectory.header.content_hash else ["(unknown)"]
    now = scenario.section_hashes
    return sorted(
        name for name in recorded.keys() | now.keys() if recorded.get(name) != now.get(name)
    )


def _diff(recorded: str, now: str, label: str) -> str:
    lines = difflib.unified_diff(
        recorded.splitlines(),
        now.splitlines(),
        f"recorded {label}",
        f"replayed {label}",
        lineterm="",
    )
    return "\n".join(lines)


def _first_difference(recorded: Step, now: Step) -> FirstDivergence | None:
    if recorded.observation != now.observation:
        return FirstDivergence(
            recorded.index,
            "observation",
            _diff(recorded.observation, now.observation, "observation"),
        )
    if recorded.feedback != now.feedback:
        before = json.dumps(recorded.feedback.model_dump(mode="json"), indent=2, sort_keys=True)
        after = json.dumps(now.feedback.model_dump(mode="json"), indent=2, sort_keys=True)
        return FirstDivergence(recorded.index, "feedback", _diff(before, after, "feedback"))
    if recorded.sim_time != now.sim_time:
        return FirstDivergence(
            recorded.index, "sim_time", _diff(recorded.sim_time, now.sim_time, "sim_time")
        )
    return None


def end_divergences(trajectory: Trajectory, result: Rerun) -> list[str]:
    """The recorded ``end`` line against the replayed episode; the score is recomputed once,
    at the end, with the scenario's scorer (the re-execution itself does not score)."""
    end = trajectory.end
    if end is None:
        return []
    score = score_episode(result.scenario, result.episode).overall
    found = []
    if end.outcome != result.outcome:
        found.append(f"outcome: recorded {end.outcome}, replayed {result.outcome}")
    if abs(end.score - score) > 1e-9:
        found.append(f"score: recorded {end.score:g}, replayed {score:g}")
    if end.answer != result.episode.answer:
        found.append(f"answer: recorded {end.answer!r}, replayed {result.episode.answer!r}")
    if end.steps != len(result.episode.steps):
        found.append(f"steps: recorded {end.steps}, replayed {len(result.episode.steps)}")
    return found


def verify(trajectory: Trajectory, scenario: Scenario | None = None) -> VerifyReport:
    """Re-execute ``trajectory`` and compare every observation and feedback with the recording."""
    with rerun(trajectory, scenario) as result:
        report = VerifyReport(
            path=str(trajectory.path),
            steps=len(trajectory.steps),
            scenario_changed=changed_sections(trajectory, result.scenario),
            hash_matches=result.hash_matches,
            torn_tail=trajectory.torn_tail is not None,
        )
        report.divergent_steps = sorted({d.step for d in result.divergences})
        if report.divergent_steps:
            index = report.divergent_steps[0]
            report.first = _first_difference(trajectory.steps[index], result.episode.steps[index])
        report.end_divergences = end_divergences(trajectory, result)
    return report


def verify_file(path: Path, scenario: Scenario | None = None) -> VerifyReport:
    """``verify`` of a file; a file that cannot be replayed is a report with ``error``, so one
    bad recording never stops a dataset's verification."""
    try:
        return verify(load_trajectory(path), scenario)
    except SandboxError as error:
        return VerifyReport(path=str(path), steps=0, error=str(error))


def verify_files(
    paths: Sequence[Path], scenario: Scenario | None = None, *, jobs: int = 1
) -> Iterator[VerifyReport]:
    """Verify many recordings, reports in the order given. ``jobs > 1`` spreads them over that
    many worker processes (``0``: one per CPU); each worker keeps its own pool of envs, and
    neighbouring files go to the same worker, so recordings of one scenario reuse its world."""
    jobs = (os.cpu_count() or 1) if jobs == 0 else jobs
    check = partial(verify_file, scenario=scenario)
    if jobs <= 1 or len(paths) < 2:
        yield from map(check, paths)
        return
    # fork: workers start with the scenarios and tools already imported.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        yield from pool.map(check, paths, chunksize=max(1, len(paths) // (jobs * 4)))
