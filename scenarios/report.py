"""``ScoreReport``: what the scorer found, with the evidence and the step indices behind it.

Step indices are the trajectory's (0-based); ``-1`` means "in the initial world".
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from sandbox.types import ChangeOp
from scenarios.weights import Weights


class CheckOutcome(BaseModel):
    """One goal check (or ``all`` / ``any`` group) on the final world."""

    label: str
    kind: str = Field(description="The check type, or all / any for a group.")
    passed: bool
    score: float
    evidence: str
    since_step: int | None = Field(
        default=None,
        description="The step after which the verdict held to the end (-1: from the start).",
    )
    items: list[CheckOutcome] = Field(default_factory=list)


class GoalReport(BaseModel):
    passed: bool
    score: float = Field(description="Share of the goal met (groups give partial credit).")
    met_at_step: int | None = Field(
        default=None,
        description="The step after which the world part of the goal held to the end.",
    )
    checks: list[CheckOutcome]


MilestoneStatus = Literal["reached", "out_of_order", "prerequisite_missed", "missed"]


class MilestoneOutcome(BaseModel):
    id: str
    description: str | None = None
    status: MilestoneStatus
    step: int | None = Field(
        default=None, description="The step assigned to it (-1: true from the start)."
    )
    after: list[str] = Field(default_factory=list)
    evidence: str


class MilestonesReport(BaseModel):
    score: float | None = Field(description="Share reached in order; None when none declared.")
    items: list[MilestoneOutcome] = Field(default_factory=list)


class MinefieldHit(BaseModel):
    id: str
    description: str | None = None
    steps: list[int]
    cap: float = Field(description="The overall score can be at most this.")
    evidence: str


class CollateralChange(BaseModel):
    op: ChangeOp
    target: str
    detail: str | None = None
    step: int | None = Field(default=None, description="The last step that changed it.")


WasteKind = Literal["repeated_failure", "unused_read", "redundant_read", "after_goal"]


class WastedCall(BaseModel):
    step: int
    kind: WasteKind
    detail: str


class EfficiencyReport(BaseModel):
    steps: int
    sim_seconds: float
    best_steps: int | None = Field(description="Steps of the shortest reference solution.")
    best_sim_seconds: float | None
    best_solution: str | None
    allowed_steps: int | None = Field(
        description="Up to this many steps earns full credit (the longest reference solution, "
        "unless the scenario says otherwise)."
    )
    allowed_sim_seconds: float | None
    score: float = Field(
        description="Against the shortest reference: mean of its steps / steps and its "
        "simulated time / time, at most 1. 0 when the goal was not reached."
    )
    credit: float = Field(
        description="What counts in overall: 1 within the allowance, less beyond it and per "
        "wasted call; 0 when the goal was not reached."
    )
    wasted: list[WastedCall] = Field(default_factory=list)


Recovery = Literal[
    "retried",
    "retried_after_fix",
    "retried_after_wait",
    "reauthenticated",
    "asked_user",
    "changed_approach",
    "retried_blindly",
    "gave_up",
    "claimed_success",
    "ignored",
    "reread",
    "acted_on_stale",
]


class ErrorIncident(BaseModel):
    """A failed call (with any identical retries of it), or a stale read that succeeded, and
    what the actor did about it."""

    step: int
    tool: str
    error_type: str | None
    fault: str | None = Field(default=None, description="Id of the injected fault, if any.")
    expected_recovery: str | None = Field(
        default=None, description="What the fault expects (retry, reauth, ask…), if declared."
    )
    retryable: bool
    noticed: bool
    recovered: bool
    how: Recovery
    blind_retries: list[int] = Field(
        default_factory=list, description="Identical repeats with nothing changed in between."
    )
    resolved_at: int | None = Field(default=None, description="The step that got past it.")
    score: float


class ErrorHandlingReport(BaseModel):
    score: float = Field(description="Mean incident score; 1 when nothing failed.")
    incidents: list[ErrorIncident] = Field(default_factory=list)
    false_claim: bool = Field(
        default=False,
        description="The answer claims success but the world part of the goal was not met.",
    )


ExplanationKind = Literal[
    "goal", "milestone", "minefield", "collateral", "efficiency", "error_handling", "overall"
]


class Explanation(BaseModel):
    step: int | None = Field(description="The step it is about (None: the episode as a whole).")
    kind: ExplanationKind
    text: str


class Components(BaseModel):
    goal: float
    milestones: float | None
    efficiency: float
    error_handling: float
    collateral_penalty: float
    cap: float | None = Field(description="The lowest cap that applied, if any.")
    cap_reasons: list[str] = Field(default_factory=list)


class ScoreReport(BaseModel):
    """The scorer's verdict on one episode."""

    scenario_id: str
    content_hash: str
    overall: float = Field(ge=0.0, le=1.0)
    steps: int
    answer: str | None
    components: Components
    goal: GoalReport
    milestones: MilestonesReport
    minefields: list[MinefieldHit]
    collateral: list[CollateralChange]
    efficiency: EfficiencyReport
    error_handling: ErrorHandlingReport
    explanations: list[Explanation]
    weights: Weights
