"""Score an episode: goal reached, milestones in order, no minefield, no collateral damage, how
efficiently, and how errors were handled — never by matching one reference path.

``score_episode(scenario, episode)`` returns a ``ScoreReport``; ``EpisodeScorer`` is the env's
scorer (terminal reward = ``overall``) and watches state predicates as the episode runs (see
``scenarios.watch``). How the parts combine is documented in ``scenarios.weights``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from sandbox.env import Episode, Timeline
from sandbox.types import Change, ChangeOp, Step
from scenarios.checks import CheckResult
from scenarios.efficiency import efficiency_report
from scenarios.explain import explain
from scenarios.goals import all_hold, children, is_group, leaves, node_kind, node_label, node_score
from scenarios.milestones import Milestone, assign_milestones, check_dag, minefield_hits
from scenarios.patterns import TargetGlob, compile_target
from scenarios.recovery import admits_failure, error_handling_report
from scenarios.reference import ReferenceStats, reference_stats
from scenarios.report import (
    CheckOutcome,
    CollateralChange,
    Components,
    GoalReport,
    MilestonesReport,
    ScoreReport,
)
from scenarios.schema import Scenario
from scenarios.watch import Watcher, leaf_key, list_timeline, timelines_for, tree_timeline


@dataclass
class CompiledScenario:
    """What scoring needs from a scenario, prepared once per scenario version."""

    scenario: Scenario

    @cached_property
    def home(self) -> str:
        return self.scenario.home

    @cached_property
    def watched(self) -> list[Any]:
        checks = list(leaves(self.scenario.goal))
        for item in [*self.scenario.milestones, *self.scenario.minefields]:
            if item.state is not None:
                checks.extend(leaves([item.state]))
        return checks

    @cached_property
    def watcher(self) -> Watcher:
        return Watcher(self.watched, self.home)

    @cached_property
    def ordered_milestones(self) -> list[Milestone]:
        return check_dag(self.scenario.milestones)

    @cached_property
    def world_goal_leaves(self) -> bool:
        return any(not check.uses_answer for check in leaves(self.scenario.goal))

    @cached_property
    def allowed_rules(self) -> list[tuple[TargetGlob, frozenset[ChangeOp] | None]]:
        return [
            (compile_target(rule.target, self.home), frozenset(rule.op) if rule.op else None)
            for rule in self.scenario.allowed_changes or []
        ]


_COMPILED: dict[str, CompiledScenario] = {}


def compile_scenario(scenario: Scenario) -> CompiledScenario:
    compiled = _COMPILED.get(scenario.content_hash)
    if compiled is None:
        compiled = _COMPILED[scenario.content_hash] = CompiledScenario(scenario)
    return compiled


def _outcome(
    node: Any, timelines: dict[str, Timeline], results: dict[str, CheckResult]
) -> CheckOutcome:
    def leaf(check: Any) -> bool:
        return results[leaf_key(check)].passed

    since = tree_timeline(node, timelines)[-1][0]
    if is_group(node):
        items = [_outcome(child, timelines, results) for child in children(node)]
        passed = all_hold([node], leaf)
        shown = sum(item.passed for item in items)
        return CheckOutcome(
            label=node_label(node),
            kind=node_kind(node),
            passed=passed,
            score=node_score(node, leaf),
            evidence=f"{shown} of {len(items)} items pass",
            since_step=since,
            items=items,
        )
    result = results[leaf_key(node)]
    return CheckOutcome(
        label=node_label(node),
        kind=node_kind(node),
        passed=result.passed,
        score=1.0 if result.passed else 0.0,
        evidence=result.evidence,
        since_step=since,
    )


def _goal(
    compiled: CompiledScenario, episode: Episode, timelines: dict[str, Timeline]
) -> tuple[GoalReport, bool]:
    """The goal report, and whether the world part of the goal (answer checks aside) holds."""
    goal = compiled.scenario.goal
    results = {leaf_key(check): check.evaluate(episode) for check in leaves(goal)}

    def leaf(check: Any) -> bool:
        return results[leaf_key(check)].passed

    def world_leaf(check: Any) -> bool:
        return True if check.uses_answer else results[leaf_key(check)].passed

    checks = [_outcome(node, timelines, results) for node in goal]
    passed = all_hold(goal, leaf)
    world_passed = all_hold(goal, world_leaf)
    met_at: int | None = None
    if world_passed and compiled.world_goal_leaves:
        always: Timeline = [(-1, True)]
        answers = {leaf_key(check) for check in leaves(goal) if check.uses_answer}
        world_timelines = {
            key: always if key in answers else line for key, line in timelines.items()
        }
        met_at = list_timeline(goal, world_timelines)[-1][0]
    score = sum(node_score(node, leaf) for node in goal) / len(goal)
    return GoalReport(passed=passed, score=score, met_at_step=met_at, checks=checks), world_passed


def _credit_without_answer(compiled: CompiledScenario, episode: Episode) -> float:
    """Goal credit with every answer check failed: what a false claim earns, so naming the
    expected id in a claim of work never done is not rewarded."""
    goal = compiled.scenario.goal

    def world_only(check: Any) -> bool:
        return False if check.uses_answer else check.evaluate(episode).passed

    return sum(node_score(node, world_only) for node in goal) / len(goal)


def _last_change_steps(steps: list[Step]) -> dict[str, int]:
    last: dict[str, int] = {}
    for step in steps:
        for change in step.feedback.changes:
            last[change.target] = step.index
    return last


def _collateral(
    compiled: CompiledScenario, episode: Episode, reference: Callable[[], ReferenceStats]
) -> list[CollateralChange]:
    changes = episode.world.baseline_diff()
    if not changes:
        return []
    exact = reference().changed if compiled.scenario.allowed_changes is None else frozenset()
    rules = compiled.allowed_rules
    last = _last_change_steps(episode.steps)
    return [
        CollateralChange(
            op=change.op, target=change.target, detail=change.detail, step=last.get(change.target)
        )
        for change in changes
        if not _allowed(change, rules, exact)
    ]


def _allowed(
    change: Change,
    rules: list[tuple[TargetGlob, frozenset[ChangeOp] | None]],
    exact: frozenset[str],
) -> bool:
    if change.target in exact:
        return True
    for glob, ops in rules:
        if (ops is None or change.op in ops) and glob.matches(change.target):
            return True
        # creating a folder on the way to an allowed target is allowed
        if (
            change.op == "create"
            and change.detail == "directory"
            and (ops is None or "create" in ops)
            and glob.literal_prefix.startswith(change.target + "/")
        ):
            return True
    return False


def score_episode(
    scenario: Scenario, episode: Episode, *, reference: ReferenceStats | None = None
) -> ScoreReport:
    """Score ``episode`` (run in an env of ``scenario``); see ``scenarios.weights`` for how the
    parts combine. ``reference`` defaults to running the scenario's solutions once (cached)."""
    compiled = compile_scenario(scenario)
    weights = scenario.scoring.weights
    home = compiled.home
    steps = episode.steps

    def stats() -> ReferenceStats:
        return reference or reference_stats(scenario, episode.world.seed)

    timelines = timelines_for(compiled.watched, episode, home)
    goal, world_passed = _goal(compiled, episode, timelines)
    milestone_items = assign_milestones(compiled.ordered_milestones, steps, timelines, home)
    milestone_score = (
        sum(item.status == "reached" for item in milestone_items) / len(milestone_items)
        if milestone_items
        else None
    )
    mines = minefield_hits(scenario.minefields, steps, timelines, home, weights.minefield_cap)
    collateral = _collateral(compiled, episode, stats)
    efficiency = efficiency_report(
        steps,
        episode.world.clock.elapsed,
        episode.answer,
        goal.passed,
        goal.met_at_step,
        stats(),
        scenario.scoring.efficiency,
        weights,
        frozenset(
            item.step
            for item in milestone_items
            if item.status == "reached" and item.step is not None
        ),
    )
    false_claim = bool(
        episode.answer is not None
        and compiled.world_goal_leaves
        and not world_passed
        and not admits_failure(episode.answer)
    )
    stale_faults = frozenset(fault.id for fault in scenario.faults if fault.kind == "stale_data")
    errors = error_handling_report(steps, goal.passed, false_claim, weights, stale_faults)
    goal_credit = _credit_without_answer(compiled, episode) if false_claim else goal.score

    parts: list[tuple[float, float]] = [
        (weights.goal, goal_credit),
        (weights.efficiency, efficiency.credit),
        (weights.error_handling, errors.score),
    ]
    if milestone_score is not None:
        parts.append((weights.milestones, milestone_score))
    total = sum(weight for weight, _ in parts)
    # weights may leave only absent parts weighted (e.g. milestones alone): then the goal decides
    base = sum(weight * value for weight, value in parts) / total if total > 0 else goal_credit
    penalty = min(weights.collateral_max, weights.collateral_each * len(collateral))
    base -= penalty
    caps: list[tuple[float, str]] = []
    if not goal.passed:
        caps.append((weights.unmet_goal_cap, "goal not met"))
    if false_claim:
        caps.append((weights.false_claim_cap, "the answer claims a success that did not happen"))
    caps.extend((hit.cap, f"minefield {hit.id}") for hit in mines)
    cap = min((value for value, _ in caps), default=None)
    if cap is not None:
        base = min(base, cap)
    overall = round(min(1.0, max(0.0, base)), 6)
    components = Components(
        goal=round(goal_credit, 6),
        milestones=None if milestone_score is None else round(milestone_score, 6),
        efficiency=efficiency.credit,
        error_handling=errors.score,
        collateral_penalty=round(penalty, 6),
        cap=cap,
        cap_reasons=[reason for value, reason in caps if value == cap],
    )
    report = ScoreReport(
        scenario_id=scenario.id,
        content_hash=scenario.content_hash,
        overall=overall,
        steps=len(steps),
        answer=episode.answer,
        components=components,
        goal=goal,
        milestones=MilestonesReport(score=milestone_score, items=milestone_items),
        minefields=mines,
        collateral=collateral,
        efficiency=efficiency,
        error_handling=errors,
        explanations=[],
        weights=weights,
    )
    report.explanations = explain(report)
    return report


class EpisodeScorer:
    """The env's scorer for one scenario: watches the episode as it runs; its verdict is the
    report's ``overall``."""

    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self._compiled = compile_scenario(scenario)

    def observe(self, episode: Episode, step: Step | None) -> None:
        self._compiled.watcher.observe(episode, step)

    def report(self, episode: Episode) -> ScoreReport:
        return score_episode(self.scenario, episode)

    def __call__(self, episode: Episode) -> float:
        return self.report(episode).overall


GoalScorer = EpisodeScorer
"""The earlier name of ``EpisodeScorer``, kept for callers written against it."""
