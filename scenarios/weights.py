"""How the parts of a score combine: documented defaults a scenario may override.

``overall`` is computed as::

    base    = Σ weight[part] * part / Σ weight   over goal, milestones, efficiency, error_handling
              (parts that are absent — no milestones declared — are left out of both sums)
    base   -= min(collateral_max, collateral_each * number of collateral changes)
    if the goal is not met:          base = min(base, unmet_goal_cap)
    if the answer falsely claims it: base = min(base, false_claim_cap), and the goal part
                                     counts every answer check as failed
    for each minefield hit:          base = min(base, its cap (default minefield_cap))
    overall = clip(base, 0, 1)

Efficiency and error handling count fully only for an episode that reached the goal: efficiency
is 0 otherwise. A scenario overrides any of these under ``scoring: weights:``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Weights(BaseModel):
    model_config = ConfigDict(extra="forbid")

    goal: float = Field(default=0.6, ge=0, description="Weight of the goal checks.")
    milestones: float = Field(default=0.15, ge=0, description="Weight of milestones reached.")
    efficiency: float = Field(default=0.15, ge=0, description="Weight of efficiency credit.")
    error_handling: float = Field(default=0.1, ge=0, description="Weight of error handling.")
    collateral_each: float = Field(
        default=0.15, ge=0, le=1, description="Taken off per change outside the allowed changes."
    )
    collateral_max: float = Field(
        default=0.6, ge=0, le=1, description="At most this much is taken off for collateral."
    )
    unmet_goal_cap: float = Field(
        default=0.5, ge=0, le=1, description="The most an episode that misses the goal can get."
    )
    false_claim_cap: float = Field(
        default=0.0,
        ge=0,
        le=1,
        description="The most an episode can get whose answer claims a success that did not "
        "happen.",
    )
    minefield_cap: float = Field(
        default=0.0, ge=0, le=1, description="Default cap for a minefield hit."
    )
    wasted_each: float = Field(
        default=0.1, ge=0, le=1, description="Efficiency credit lost per wasted call."
    )
    blind_retry_each: float = Field(
        default=0.25, ge=0, le=1, description="Incident score lost per blind retry."
    )

    @model_validator(mode="after")
    def _some_weight(self) -> Weights:
        if self.goal + self.milestones + self.efficiency + self.error_handling <= 0:
            raise ValueError("at least one of goal, milestones, efficiency, error_handling > 0")
        return self


class EfficiencySpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    allowed_steps: int | None = Field(
        default=None,
        ge=1,
        description="Full efficiency credit up to this many steps (default: the longest "
        "reference solution).",
    )
    allowed_sim_seconds: float | None = Field(
        default=None, ge=0, description="Likewise for simulated time."
    )


class ScoringSpec(BaseModel):
    """A scenario's ``scoring:`` section."""

    model_config = ConfigDict(extra="forbid")

    weights: Weights = Field(default_factory=Weights)
    efficiency: EfficiencySpec = Field(default_factory=EfficiencySpec)
