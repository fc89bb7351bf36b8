"""Small scenarios written inline, and running calls through them (the ``inline`` fixture)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from sandbox.env import Episode
from scenarios import env_for, parse_scenario
from scenarios.schema import Scenario

BASE = """\
id: inline
title: Inline test scenario
task: Do the thing.
tools: ["fs_*"]
files:
  - {path: ~/data/report.json, content: '{"orders": [{"id": 7, "total": "1,240.00"}], "ok": true}'}
  - {path: ~/data/notes.txt, content: "TOTAL: 99.50 EUR\\nowner: Ada\\n"}
  - {path: ~/backups/db.bak, content: "backup"}
"""

SOLUTIONS = """\
solutions:
  direct:
    - {tool: fs_read_file, arguments: {path: ~/data/notes.txt}}
    - {tool: submit, arguments: {answer: "99.50"}}
  listing:
    - {tool: fs_list_dir, arguments: {path: ~/data}}
    - {tool: fs_read_file, arguments: {path: ~/data/notes.txt}}
    - {tool: submit, arguments: {answer: "99.5"}}
"""


def scenario(body: str, solutions: str = SOLUTIONS) -> Scenario:
    """A scenario from the shared header, ``body`` (goal, milestones…) and solutions."""
    return parse_scenario(BASE + body + solutions)


def run(scenario: Scenario, calls: list[dict[str, Any]]) -> Episode:
    env = env_for(scenario)
    env.reset()
    for call in calls:
        _, _, terminated, truncated, _ = env.step(call)
        if terminated or truncated:
            break
    assert env.episode is not None
    return env.episode


def call(tool: str, **arguments: Any) -> dict[str, Any]:
    return {"tool": tool, "arguments": arguments}


def submit(answer: str) -> dict[str, Any]:
    return call("submit", answer=answer)


@pytest.fixture
def inline() -> SimpleNamespace:
    """``inline.scenario(body)``, ``inline.run(spec, calls)``, ``inline.call(tool, **args)``,
    ``inline.submit(answer)``, and the texts ``inline.BASE`` / ``inline.SOLUTIONS``."""
    return SimpleNamespace(
        BASE=BASE, SOLUTIONS=SOLUTIONS, scenario=scenario, run=run, call=call, submit=submit
    )
