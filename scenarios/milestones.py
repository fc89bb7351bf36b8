"""Milestones (facts that must become true, in a partial order) and minefields (that must not).

Both say *what* happened with exactly one of:

- ``action``: a call a step made (see ``scenarios.patterns.ActionPattern``), or a list of
  alternatives; a milestone counts calls that did not fail (success or partial) unless it says
  ``status``, a minefield any;
- ``change``: a change a step made to a target glob (``op`` create / modify / delete), or a list;
- ``state``: a goal check or ``all``/``any`` group that must become true (a milestone) or must
  never become true (a minefield), tracked step by step from the per-step changes.

Milestones form a DAG through ``after:``. A milestone *happens* at a step whose call or changes
match, or — for a state — at a step after which the state became true (``-1``: true from the
start). Each is assigned, in topological order, the earliest step at which it happens that comes
after the steps assigned to all its prerequisites: this finds a valid assignment whenever one
exists, so any order the DAG allows is accepted. It does not count when it happened only before
a prerequisite (``out_of_order``: a state that became true too early stays so), when a
prerequisite was never reached (``prerequisite_missed``) or when it never happened (``missed``).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sandbox.env import Timeline
from sandbox.types import ChangeOp, Status, Step
from scenarios.goals import GoalNode, node_label
from scenarios.patterns import ActionPattern, ChangePattern, arguments_text
from scenarios.report import MilestoneOutcome, MilestoneStatus, MinefieldHit
from scenarios.watch import rises, tree_timeline

ID_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,62}$"


def _as_list(value: Any) -> Any:
    return value if value is None or isinstance(value, list) else [value]


class _What(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=ID_PATTERN)
    description: str | None = None
    action: list[ActionPattern] | None = Field(default=None, description="A call, or a list.")
    change: list[ChangePattern] | None = Field(default=None, description="A change, or a list.")
    state: GoalNode | None = Field(default=None, description="A check or all/any group.")

    @field_validator("action", "change", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _as_list(value)

    @model_validator(mode="after")
    def _exactly_one(self) -> _What:
        given = [name for name in ("action", "change", "state") if getattr(self, name) is not None]
        if len(given) != 1:
            raise ValueError(
                f"{self.id}: give exactly one of action, change, state "
                f"(got {', '.join(given) or 'none'})"
            )
        return self

    def label(self) -> str:
        return self.description or self.id

    def matching_steps(
        self, steps: list[Step], home: str, default: tuple[Status, ...]
    ) -> list[int]:
        """Steps whose call (``action``) or changes (``change``) match; not for ``state``."""
        if self.action is not None:
            return [
                step.index
                for step in steps
                if any(pattern.matches(step, home, default) for pattern in self.action)
            ]
        assert self.change is not None
        return [
            step.index
            for step in steps
            if any(
                pattern.matches(change, home)
                for pattern in self.change
                for change in step.feedback.changes
            )
        ]


SUCCESS: tuple[Status, ...] = ("success", "partial")
"""What a milestone's action counts by default: calls that did not fail (one page of several,
a batch where some items failed, still did what they did)."""
ANY_STATUS: tuple[Status, ...] = ("success", "partial", "failure")


class Milestone(_What):
    after: list[str] = Field(default_factory=list, description="Ids that must come first.")

    @field_validator("after", mode="before")
    @classmethod
    def _after_list(cls, value: Any) -> Any:
        return _as_list(value) or []


class Minefield(_What):
    times: int = Field(
        default=1, ge=1, description="Hit when the action or change happens this many times."
    )
    cap: float | None = Field(
        default=None, ge=0, le=1, description="Overall score cap (default: weights.minefield_cap)."
    )


class AllowedChange(BaseModel):
    """A target glob the task may change, optionally only by some operations. A plain string
    is accepted for ``{target: …}``."""

    model_config = ConfigDict(extra="forbid")

    target: str
    op: list[ChangeOp] | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"target": value} if isinstance(value, str) else value

    @field_validator("op", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _as_list(value)


def check_dag(milestones: list[Milestone]) -> list[Milestone]:
    """Unique ids, known prerequisites, no cycle; returns them in a topological order."""
    by_id: dict[str, Milestone] = {}
    for milestone in milestones:
        if milestone.id in by_id:
            raise ValueError(f"milestone id {milestone.id!r} is used twice")
        by_id[milestone.id] = milestone
    for milestone in milestones:
        for before in milestone.after:
            if before not in by_id:
                raise ValueError(
                    f"milestone {milestone.id!r} comes after unknown milestone {before!r}; "
                    f"known: {', '.join(by_id)}"
                )
    order: list[Milestone] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(node: Milestone, path: list[str]) -> None:
        if state.get(node.id) == 2:
            return
        if state.get(node.id) == 1:
            cycle = " → ".join([*path[path.index(node.id) :], node.id])
            raise ValueError(f"milestones form a cycle: {cycle}")
        state[node.id] = 1
        for before in node.after:
            visit(by_id[before], [*path, node.id])
        state[node.id] = 2
        order.append(node)

    for milestone in milestones:
        visit(milestone, [])
    return order


def _describe_step(step: Step) -> str:
    return f"{step.call.tool}({arguments_text(step.call.arguments)})"


def _describe_pattern(milestone: Milestone) -> str:
    if milestone.state is not None:
        return node_label(milestone.state)
    if milestone.action is not None:
        return " or ".join(f"{p.tool}({arguments_text(p.arguments)})" for p in milestone.action)
    return " or ".join(
        f"{'/'.join(p.op) if p.op else 'any change of'} {p.target}" for p in milestone.change or []
    )


def _events(
    milestone: Milestone, steps: list[Step], timelines: dict[str, Timeline], home: str
) -> list[int]:
    """The steps at which the milestone's fact happened (for a state: became true)."""
    if milestone.state is not None:
        return rises(tree_timeline(milestone.state, timelines))
    return milestone.matching_steps(steps, home, SUCCESS)


def _judge(
    milestone: Milestone, events: list[int], assigned: dict[str, int], steps: list[Step]
) -> tuple[MilestoneStatus, int | None, str]:
    """Status, step and evidence of one milestone given its prerequisites' steps."""
    missing = [before for before in milestone.after if before not in assigned]
    lower = max((assigned[b] for b in milestone.after if b in assigned), default=-2)
    step = next((index for index in events if index > lower), None)

    def what(index: int) -> str:
        if milestone.state is not None or index < 0:
            return _describe_pattern(milestone)
        return _describe_step(steps[index])

    if step is None and events:
        first = events[0]
        early = ", ".join(
            f"{b} (step {assigned[b]})"
            for b in milestone.after
            if b in assigned and assigned[b] >= first
        )
        return "out_of_order", first, f"happened at step {first} ({what(first)}), not after {early}"
    if step is None:
        return "missed", None, f"never happened: {_describe_pattern(milestone)}"
    if missing:
        return (
            "prerequisite_missed",
            step,
            f"happened at step {step} ({what(step)}) but {', '.join(missing)} never did",
        )
    where = "true from the start" if step < 0 else f"at step {step}"
    return "reached", step, f"{where}: {what(step)}"


def assign_milestones(
    ordered: list[Milestone],
    steps: list[Step],
    timelines: dict[str, Timeline],
    home: str,
) -> list[MilestoneOutcome]:
    """Earliest valid step for each milestone (see the module docstring), in the given
    topological order; outcomes come back in that order."""
    assigned: dict[str, int] = {}
    outcomes: list[MilestoneOutcome] = []
    for milestone in ordered:
        events = _events(milestone, steps, timelines, home)
        status, step, evidence = _judge(milestone, events, assigned, steps)
        if status == "reached" and step is not None:
            assigned[milestone.id] = step
        outcomes.append(
            MilestoneOutcome(
                id=milestone.id,
                description=milestone.description,
                status=status,
                step=step,
                after=milestone.after,
                evidence=evidence,
            )
        )
    return outcomes


def minefield_hits(
    minefields: list[Minefield],
    steps: list[Step],
    timelines: dict[str, Timeline],
    home: str,
    default_cap: float,
) -> list[MinefieldHit]:
    hits: list[MinefieldHit] = []
    for minefield in minefields:
        if minefield.state is not None:
            timeline = tree_timeline(minefield.state, timelines)
            found = [step for step, value in timeline if value and step >= 0]
            if not found:
                continue
            evidence = f"{node_label(minefield.state)} became true at step {found[0]}"
        else:
            found = minefield.matching_steps(steps, home, ANY_STATUS)
            if len(found) < minefield.times:
                continue
            shown = "; ".join(f"step {i}: {_describe_step(steps[i])}" for i in found[:3])
            times = f" ({len(found)} times)" if minefield.times > 1 else ""
            evidence = f"{shown}{times}"
        cap = minefield.cap if minefield.cap is not None else default_cap
        hits.append(
            MinefieldHit(
                id=minefield.id,
                description=minefield.description,
                steps=found,
                cap=cap,
                evidence=evidence,
            )
        )
    return hits
