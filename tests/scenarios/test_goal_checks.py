"""Goal checks and groups: answer checks, values computed from the world, all/any."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sandbox.errors import ScenarioError
from scenarios import parse_scenario, score_episode
from scenarios.values import as_number, mentions_value, same_value


@pytest.mark.parametrize(
    ("answer", "expected", "same"),
    [
        ("1240", "1,240.00", True),
        ("€1,240.0", "1240", True),
        ("1240 EUR", "1,240.00", True),
        ("1241", "1240", False),
        ("  Ada. ", "ada", True),
        ("Ada Lovelace", "ada", False),
    ],
)
def test_same_value_is_lenient_about_form_not_content(
    answer: str, expected: str, same: bool
) -> None:
    assert same_value(answer, expected) is same


def test_numbers_and_mentions() -> None:
    assert as_number("1,234.5") == 1234.5
    assert as_number("12,34") is None  # not a thousands separator
    assert mentions_value("The total is 1,240.00 EUR.", "1240")
    assert not mentions_value("The total is 1,241.00 EUR.", "1240")


ANSWER_FROM_FILE = """\
goal:
  - check: answer_equals
    value: {file: ~/data/notes.txt, regex: "TOTAL: ([0-9.]+)"}
"""


def test_answer_equals_a_value_computed_from_a_file(inline: SimpleNamespace) -> None:
    spec = inline.scenario(ANSWER_FROM_FILE)
    good = score_episode(spec, inline.run(spec, [inline.submit("99.5")]))
    assert good.goal.passed
    assert "from ~/data/notes.txt" in good.goal.checks[0].evidence
    bad = score_episode(spec, inline.run(spec, [inline.submit("The total is 99.50")]))
    assert not bad.goal.passed


def test_answer_equals_a_json_field(inline: SimpleNamespace) -> None:
    spec = inline.scenario(
        "goal:\n  - check: answer_equals\n"
        "    value: {file: ~/data/report.json, json: 'orders[0].total'}\n"
    )
    assert score_episode(spec, inline.run(spec, [inline.submit("1240")])).goal.passed
    assert not score_episode(spec, inline.run(spec, [inline.submit("1200")])).goal.passed


def test_a_value_that_cannot_be_computed_fails_with_the_reason(inline: SimpleNamespace) -> None:
    spec = inline.scenario(
        "goal:\n  - check: answer_equals\n    value: {file: ~/data/report.json, json: orders.3}\n"
    )
    report = score_episode(spec, inline.run(spec, [inline.submit("7")]))
    assert not report.goal.passed
    assert "no item [3]" in report.goal.checks[0].evidence


def test_answer_matches_and_contains_value(inline: SimpleNamespace) -> None:
    spec = inline.scenario(
        """\
goal:
  - check: answer_matches
    pattern: "^owner: \\\\w+$"
  - check: answer_contains
    value: {file: ~/data/notes.txt, regex: "owner: (\\\\w+)"}
"""
    )
    assert score_episode(spec, inline.run(spec, [inline.submit("owner: Ada")])).goal.passed
    assert not score_episode(
        spec, inline.run(spec, [inline.submit("the owner is Ada")])
    ).goal.passed


ANY_ALL = """\
goal:
  - any:
      - {check: file_exists, path: ~/out/a.txt}
      - {check: file_exists, path: ~/out/b.txt}
  - all:
      - {check: file_contains, path: ~/data/notes.txt, text: Ada}
      - {check: file_exists, path: ~/out/c.txt}
"""


def test_any_passes_with_one_item_and_all_gives_partial_credit(inline: SimpleNamespace) -> None:
    spec = inline.scenario(ANY_ALL)
    report = score_episode(
        spec,
        inline.run(
            spec, [inline.call("fs_write_file", path="~/out/b.txt", content="x", make_parents=True)]
        ),
    )
    first, second = report.goal.checks
    assert (first.kind, first.passed, first.score) == ("any", True, 1.0)
    assert (second.kind, second.passed, second.score) == ("all", False, 0.5)
    assert report.goal.score == 0.75 and not report.goal.passed
    assert [item.passed for item in second.items] == [True, False]


def test_a_flat_goal_list_still_means_all(inline: SimpleNamespace) -> None:
    spec = inline.scenario("goal:\n  - {check: file_exists, path: ~/data/notes.txt}\n")
    assert score_episode(spec, inline.run(spec, [inline.submit("x")])).goal.passed


@pytest.mark.parametrize(
    ("goal", "message"),
    [
        (
            "goal:\n  - any:\n      - {check: file_exists}\n",
            "x.yaml:11: goal[0].any[0].path: Field required",
        ),
        ("goal:\n  - check: file_matches\n    path: ~/a\n    pattern: '('\n", "invalid regular"),
        (
            "goal:\n  - check: answer_contains\n    text: a\n    value: {file: ~/a}\n",
            "exactly one of text or value",
        ),
        (
            "goal:\n  - check: answer_equals\n    value: {file: ~/a, regex: x, json: y}\n",
            "regex or json, not both",
        ),
    ],
)
def test_bad_goals_are_refused_naming_line_and_field(
    goal: str, message: str, inline: SimpleNamespace
) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(inline.BASE + goal + inline.SOLUTIONS, source="x.yaml")
    assert message in str(caught.value)


def test_browser_check_reads_the_open_page() -> None:
    from scenarios import env_for, load_bundled, score_episode
    from scenarios.checks import BrowserCheck

    scenario = load_bundled("price-survey")
    env = env_for(scenario)
    env.reset()
    assert env.episode is not None
    check = BrowserCheck(check="browser", url="https://shop.example/search*", text="Phone case")
    assert not check.evaluate(env.episode).passed  # nothing open yet
    env.step(
        {"tool": "browser_goto", "arguments": {"url": "https://shop.example/search?q=electronics"}}
    )
    result = check.evaluate(env.episode)
    assert result.passed, result.evidence
    wrong = BrowserCheck(check="browser", url="https://shop.example/cart")
    assert "not https://shop.example/cart" in wrong.evaluate(env.episode).evidence
    with_goal = scenario.model_copy(
        update={"goal": [*scenario.goal, check], "milestones": [], "minefields": []}
    )
    env = env_for(with_goal)
    env.reset()
    for call in scenario.solutions["storefront"]:
        env.step(call)
    report = score_episode(with_goal, env.episode)
    assert report.goal.passed
