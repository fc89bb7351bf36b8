"""``sandbox stats``: what a folder of recordings holds, for trainers choosing data."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from recorder.annotate import latest_annotations
from recorder.storage import Trajectory
from sandbox.errors import SandboxError
from scenarios.library import resolve


def _fault_kinds(scenario_id: str) -> dict[str, str]:
    try:
        return {fault.id: fault.kind for fault in resolve(scenario_id).faults}
    except SandboxError:
        return {}


def stats(trajectories: list[Trajectory]) -> dict[str, Any]:
    steps = [step for t in trajectories for step in t.steps]
    scores = [t.end.score for t in trajectories if t.end is not None]
    faults: Counter[str] = Counter()
    kinds_by_scenario: dict[str, dict[str, str]] = {}
    for trajectory in trajectories:
        scenario_id = trajectory.header.scenario_id
        kinds = kinds_by_scenario.setdefault(scenario_id, _fault_kinds(scenario_id))
        for step in trajectory.steps:
            if step.feedback.fault:
                faults[kinds.get(step.feedback.fault, step.feedback.fault)] += 1
    labels: Counter[str] = Counter(
        annotation.label or "none"
        for t in trajectories
        for annotation in latest_annotations(t).values()
    )
    buckets = Counter(
        "1.0" if s >= 1.0 else f"{int(s * 10) / 10:.1f}-{int(s * 10) / 10 + 0.1:.1f}"
        for s in scores
    )
    return {
        "episodes": len(trajectories),
        "complete": sum(t.end is not None for t in trajectories),
        "steps": len(steps),
        "scenarios": dict(Counter(t.header.scenario_id for t in trajectories)),
        "outcomes": dict(Counter(t.end.outcome if t.end else "incomplete" for t in trajectories)),
        "score": {
            "mean": round(sum(scores) / len(scores), 4) if scores else None,
            "min": min(scores, default=None),
            "max": max(scores, default=None),
            "histogram": dict(sorted(buckets.items())),
        },
        "feedback": dict(Counter(step.feedback.status for step in steps)),
        "expected_recovery": dict(
            Counter(step.feedback.expected_recovery or "none" for step in steps)
        ),
        "fault_coverage": dict(faults),
        "labels": dict(labels),
        "reviews": dict(Counter(t.status for t in trajectories)),
        "steps_with_reasoning": round(
            sum(bool(step.call.thought) for step in steps) / len(steps), 4
        )
        if steps
        else 0.0,
    }


def trajectory_files(paths: list[Path]) -> list[Path]:
    """The files named, and the trajectories inside the folders named (sorted; other .jsonl
    files in a folder, such as an earlier export, are left out)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(p for p in sorted(path.rglob("*.jsonl")) if _is_trajectory(p))
        elif path.exists():
            found.append(path)
        else:
            raise SandboxError(f"{path}: no such file or folder")
    return found


_HEADER = re.compile(r'"kind"\s*:\s*"header"')


def _is_trajectory(path: Path) -> bool:
    with path.open(encoding="utf-8", errors="replace") as handle:
        return _HEADER.search(handle.readline(4096)) is not None
