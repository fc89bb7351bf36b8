"""Label audit: do annotators' step labels agree with the environment's ground truth?

Each ``annotation`` record labels one step success / partial / failure; the environment's
feedback status for that step is the truth. The audit reports the agreement (percent), Cohen's
kappa (agreement beyond chance), a confusion table, the same per annotator, and every
disagreement with what the step did. When an annotator labels a step twice, the later label
counts. Kappa is None when it is undefined (both sides used a single, identical category).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from pydantic import BaseModel, Field

from recorder.storage import Trajectory
from sandbox.types import Status

CATEGORIES: tuple[Status, ...] = ("success", "partial", "failure")


class Disagreement(BaseModel):
    trajectory: str
    step: int
    annotator: str
    label: Status
    feedback: Status
    tool: str
    error: str | None = None
    comment: str | None = None


class Agreement(BaseModel):
    labelled: int = Field(description="Labelled steps compared.")
    agreed: int
    percent: float | None = Field(description="Share of labels equal to the feedback, in %.")
    kappa: float | None = Field(description="Cohen's kappa; None when undefined.")


class AnnotatorAgreement(Agreement):
    annotator: str


class AuditReport(BaseModel):
    files: int
    steps: int = Field(description="Steps in the trajectories.")
    overall: Agreement
    confusion: dict[str, dict[str, int]] = Field(
        description="confusion[label][feedback status] = count."
    )
    annotators: list[AnnotatorAgreement]
    disagreements: list[Disagreement]
    problems: list[str] = Field(
        default_factory=list, description="Annotations that could not be compared, and why."
    )


def cohen_kappa(pairs: list[tuple[str, str]]) -> float | None:
    """Cohen's kappa for (rater A, rater B) pairs; None when chance agreement is total."""
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    left = Counter(a for a, _ in pairs)
    right = Counter(b for _, b in pairs)
    expected = sum(left[c] * right[c] for c in left.keys() | right.keys()) / (n * n)
    if expected >= 1.0:
        return None
    return round((observed - expected) / (1.0 - expected), 6)


def _agreement(pairs: list[tuple[str, str]]) -> Agreement:
    agreed = sum(a == b for a, b in pairs)
    return Agreement(
        labelled=len(pairs),
        agreed=agreed,
        percent=round(100.0 * agreed / len(pairs), 3) if pairs else None,
        kappa=cohen_kappa(pairs),
    )


def audit(trajectories: Iterable[Trajectory]) -> AuditReport:
    pairs: list[tuple[str, str]] = []
    by_annotator: dict[str, list[tuple[str, str]]] = {}
    disagreements: list[Disagreement] = []
    problems: list[str] = []
    files = steps = 0
    for trajectory in trajectories:
        files += 1
        steps += len(trajectory.steps)
        latest: dict[tuple[str, int], tuple[Status, str | None]] = {}
        for note in trajectory.annotations:
            if note.label is None:
                continue
            if note.step >= len(trajectory.steps):
                problems.append(
                    f"{trajectory.path}: annotation by {note.annotator} labels step {note.step}, "
                    f"but the trajectory has {len(trajectory.steps)} steps"
                )
                continue
            latest[(note.annotator, note.step)] = (note.label, note.comment)
        for (annotator, index), (label, comment) in sorted(latest.items(), key=lambda i: i[0][1]):
            step = trajectory.steps[index]
            truth = step.feedback.status
            pairs.append((label, truth))
            by_annotator.setdefault(annotator, []).append((label, truth))
            if label != truth:
                disagreements.append(
                    Disagreement(
                        trajectory=str(trajectory.path),
                        step=index,
                        annotator=annotator,
                        label=label,
                        feedback=truth,
                        tool=step.call.tool,
                        error=step.feedback.error.type if step.feedback.error else None,
                        comment=comment,
                    )
                )
    confusion = {label: dict.fromkeys(CATEGORIES, 0) for label in CATEGORIES}
    for label, truth in pairs:
        confusion[label][truth] += 1
    return AuditReport(
        files=files,
        steps=steps,
        overall=_agreement(pairs),
        confusion=confusion,
        annotators=[
            AnnotatorAgreement(annotator=name, **_agreement(found).model_dump())
            for name, found in sorted(by_annotator.items())
        ],
        disagreements=disagreements,
        problems=problems,
    )
