"""Score an episode by its outcome: the share of goal checks the final world passes.

Goal checks look only at the final world and the answer, so every valid path scores the same.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.env import Episode
from scenarios.checks import CheckResult
from scenarios.schema import Scenario


@dataclass(frozen=True)
class GoalReport:
    score: float
    checks: list[tuple[str, CheckResult]]

    @property
    def passed(self) -> bool:
        return all(result.passed for _, result in self.checks)


class GoalScorer:
    def __init__(self, scenario: Scenario) -> None:
        self.scenario = scenario

    def report(self, episode: Episode) -> GoalReport:
        checks = [
            (check.description or check.check, check.evaluate(episode))
            for check in self.scenario.goal
        ]
        passed = sum(result.passed for _, result in checks)
        return GoalReport(score=passed / len(checks), checks=checks)

    def __call__(self, episode: Episode) -> float:
        return self.report(episode).score
