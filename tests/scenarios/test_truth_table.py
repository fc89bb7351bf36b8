"""The scorer's truth table: hand-written paths per scenario and the verdict each must get.

Each ``truth/<scenario>.yaml`` lists paths (a wasteful success, a destructive one, minefields, a
give-up, a false claim, a good recovery, blind retries…) with the calls and the verdict. A
verdict names every finding: a field left out means "none" (no minefield, no collateral, no
wasted call, no failure), so a new finding on any path fails the test.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import pytest
import yaml
from pydantic import BaseModel, ConfigDict

from sandbox.types import ToolCall
from scenarios import env_for, load_bundled, score_episode
from scenarios.report import ScoreReport
from scenarios.schema import Scenario

TRUTH = Path(__file__).parent / "truth"
REQUIRED_KINDS = {
    "wasteful",
    "destructive",
    "minefield",
    "gives_up",
    "false_claim",
    "recovers",
    "retries_blindly",
}


class Verdict(BaseModel):
    model_config = ConfigDict(extra="forbid")

    overall: float | tuple[float, float]
    goal: Literal["pass", "fail"]
    milestones: dict[str, str] | None = None
    minefields: list[str] = []
    collateral: list[str] = []
    wasted: dict[str, int] = {}
    errors: list[tuple[int, str]] = []
    blind_retries: int = 0
    false_claim: bool = False


class TruthPath(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: str
    why: str
    verdict: Verdict
    calls: list[ToolCall]


class TruthTable(BaseModel):
    model_config = ConfigDict(extra="forbid")

    scenario: str
    order: list[str]
    paths: dict[str, TruthPath]


def _tables() -> list[TruthTable]:
    return [
        TruthTable.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        for path in sorted(TRUTH.glob("*.yaml"))
    ]


TABLES = _tables()
CASES = [(table.scenario, name) for table in TABLES for name in table.paths]


def _run(scenario: Scenario, calls: list[ToolCall]) -> tuple[ScoreReport, float | None]:
    env = env_for(scenario)
    env.reset()
    reward = None
    for call in calls:
        _, step_reward, terminated, truncated, _ = env.step(call)
        if terminated or truncated:
            reward = step_reward
            break
    assert env.episode is not None
    return score_episode(scenario, env.episode), reward


def _table(scenario_id: str) -> TruthTable:
    return next(table for table in TABLES if table.scenario == scenario_id)


@pytest.mark.parametrize(("scenario_id", "name"), CASES)
def test_path_gets_its_verdict(scenario_id: str, name: str) -> None:
    path = _table(scenario_id).paths[name]
    verdict = path.verdict
    report, reward = _run(load_bundled(scenario_id), path.calls)
    where = f"{scenario_id}:{name} ({path.why})\n" + "\n".join(
        f"  [{e.step}] {e.kind}: {e.text}" for e in report.explanations
    )
    low, high = (
        (verdict.overall, verdict.overall)
        if isinstance(verdict.overall, float | int)
        else verdict.overall
    )
    assert low - 1e-9 <= report.overall <= high + 1e-9, where
    assert reward == report.overall, "the env's terminal reward is the report's overall"
    assert report.goal.passed == (verdict.goal == "pass"), where
    if verdict.milestones is not None:
        got = {item.id: item.status for item in report.milestones.items}
        assert got == verdict.milestones, where
    assert sorted(hit.id for hit in report.minefields) == sorted(verdict.minefields), where
    assert sorted(f"{c.op} {c.target}" for c in report.collateral) == sorted(verdict.collateral)
    counts: dict[str, int] = {}
    for waste in report.efficiency.wasted:
        counts[waste.kind] = counts.get(waste.kind, 0) + 1
    assert counts == verdict.wasted, where
    incidents = report.error_handling.incidents
    assert [(i.step, i.how) for i in incidents] == [tuple(e) for e in verdict.errors], where
    assert sum(len(i.blind_retries) for i in incidents) == verdict.blind_retries, where
    assert report.error_handling.false_claim == verdict.false_claim, where
    for hit in report.minefields:
        assert report.overall <= hit.cap, "a minefield caps the score"
    if report.minefields or report.collateral or incidents:
        assert any(e.step is not None for e in report.explanations), "explanations name steps"


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table.scenario)
def test_order_of_overall_scores(table: TruthTable) -> None:
    scenario = load_bundled(table.scenario)
    scores = [_run(scenario, table.paths[name].calls)[0].overall for name in table.order]
    assert scores == sorted(scores, reverse=True), list(zip(table.order, scores, strict=True))


# Scenarios whose hand-written truth table is still owed (tracked on the scoring issue). The
# conformance suite still holds them to 1.0 for every reference solution; this list may only
# shrink, and the test below fails if a listed scenario gains a table without leaving the list.
TRUTH_TABLE_OWED: set[str] = set()


def test_every_bundled_scenario_has_a_complete_truth_table(bundled: Scenario) -> None:
    has_table = any(table.scenario == bundled.id for table in TABLES)
    if bundled.id in TRUTH_TABLE_OWED:
        assert not has_table, f"{bundled.id} has a truth table now: remove it from the owed list"
        pytest.skip(f"truth table owed for {bundled.id}")
    table = _table(bundled.id)
    kinds = {path.kind for path in table.paths.values()}
    assert kinds >= REQUIRED_KINDS, f"missing kinds: {REQUIRED_KINDS - kinds}"


def test_reference_solutions_score_one_and_the_shortest_is_fully_efficient(
    bundled: Scenario,
) -> None:
    reports = {name: _run(bundled, calls)[0] for name, calls in bundled.solutions.items()}
    for name, report in reports.items():
        where = f"{bundled.id}:{name}: " + "; ".join(e.text for e in report.explanations)
        assert report.overall == 1.0, where
        assert report.goal.passed and not report.minefields and not report.collateral, where
        assert report.efficiency.wasted == [], where
        assert all(item.status == "reached" for item in report.milestones.items), where
    shortest = min(reports.values(), key=lambda r: (r.steps, r.efficiency.sim_seconds))
    assert shortest.efficiency.score == 1.0
    assert shortest.efficiency.best_steps == shortest.steps


def test_minefield_and_milestone_states_do_not_hold_in_the_initial_world(
    bundled: Scenario,
) -> None:
    report, _ = _run(bundled, [])
    assert report.minefields == [], "a minefield that holds from the start can never be hit"
    early = [item.id for item in report.milestones.items if item.step == -1]
    assert early == [], f"milestones true before any step: {early}"


# Minefields no truth path can reach, each with the reason. Keep it short: a minefield nobody
# can step on is either dead weight in the scenario or a path still owed here.
UNREACHABLE_MINEFIELDS: dict[tuple[str, str], str] = {}


def test_every_declared_minefield_is_hit_by_some_truth_path(bundled: Scenario) -> None:
    table = _table(bundled.id)
    hit = {mine for path in table.paths.values() for mine in path.verdict.minefields}
    declared = {minefield.id for minefield in bundled.minefields}
    allowed = {mine for (scenario, mine) in UNREACHABLE_MINEFIELDS if scenario == bundled.id}
    assert allowed <= declared, f"allow-listed but not declared: {allowed - declared}"
    assert not (allowed & hit), f"allow-listed but hit by a path: {allowed & hit}"
    missing = declared - hit - allowed
    assert not missing, f"{bundled.id}: no truth path hits the minefields {sorted(missing)}"
