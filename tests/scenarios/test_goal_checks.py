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


RECORD_VALUE = """\
services:
  shop:
    records:
      orders:
        - {id: ord_1, total: "1,240.00", items: [{name: Desk lamp, quantity: 2}], paid: true}
goal:
  - check: answer_equals
    value: {record: {service: shop, collection: orders, id: ord_1, field: total}}
  - check: answer_contains
    value: {record: {service: shop, collection: orders, id: ord_1, field: items.0.name}}
"""


def test_answer_checks_compute_the_expected_value_from_a_service_record(
    inline: SimpleNamespace,
) -> None:
    spec = inline.scenario(RECORD_VALUE)
    goal = spec.goal if isinstance(spec.goal, list) else [spec.goal]
    assert [check.targets("/home/user") for check in goal] == [("shop:orders/ord_1",)] * 2  # type: ignore[union-attr]
    good = score_episode(spec, inline.run(spec, [inline.submit("1240")]))
    assert not good.goal.passed  # the answer must also mention the item
    evidence = good.goal.checks[0].evidence
    assert good.goal.checks[0].passed and "from shop:orders/ord_1 total" in evidence, evidence
    both = parse_scenario(
        inline.BASE + RECORD_VALUE.replace("answer_equals", "answer_contains") + inline.SOLUTIONS
    )
    report = score_episode(both, inline.run(both, [inline.submit("Desk lamp: €1,240")]))
    assert report.goal.passed, [c.evidence for c in report.goal.checks]
    wrong = score_episode(both, inline.run(both, [inline.submit("Desk lamp: €1,200")]))
    assert not wrong.goal.passed


@pytest.mark.parametrize(
    ("field", "reason"),
    [("total_cents", "shop:orders/ord_1 has no field 'total_cents'"),
     ("items.3.name", "has no field 'items.3.name'")],
)  # fmt: skip
def test_a_record_value_that_cannot_be_computed_names_the_reason(
    field: str, reason: str, inline: SimpleNamespace
) -> None:
    spec = inline.scenario(RECORD_VALUE.replace("field: total}", f"field: {field}}}"))
    report = score_episode(spec, inline.run(spec, [inline.submit("1240")]))
    assert not report.goal.checks[0].passed
    assert reason in report.goal.checks[0].evidence
    gone = inline.scenario(
        RECORD_VALUE.replace("id: ord_1, field: total", "id: ord_9, field: total")
    )
    evidence = score_episode(gone, inline.run(gone, [inline.submit("1240")])).goal.checks[0]
    assert "no record shop:orders/ord_9" in evidence.evidence


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("{record: {service: shop, collection: orders, id: ord_1}}",
         "record.field: Field required"),
        ("{record: {service: shopp, collection: orders, id: o, field: total}}",
         "record.service: Value error, unknown service 'shopp'"),
        ("{record: {service: shop, collection: orders, id: o, field: 'items..name'}}",
         "record.field: Value error, 'items..name' is not a dotted field path"),
        ("{record: {service: shop, collection: orders, id: o, field: total, colour: red}}",
         "record.colour: Extra inputs are not permitted"),
        ("{file: ~/a, record: {service: shop, collection: orders, id: o, field: total}}",
         "exactly one of file or record"),
        ("{record: {service: shop, collection: orders, id: o, field: total}, json: a}",
         "a record value names its field"),
        ("{regex: x}", "exactly one of file or record"),
    ],
)  # fmt: skip
def test_bad_record_values_are_refused_naming_the_field(
    value: str, message: str, inline: SimpleNamespace
) -> None:
    for check in ("answer_contains", "answer_equals"):
        goal = f"goal:\n  - check: {check}\n    value: {value}\n"
        with pytest.raises(ScenarioError) as caught:
            parse_scenario(inline.BASE + goal + inline.SOLUTIONS, source="x.yaml")
        text = str(caught.value)
        assert text.startswith("x.yaml:11: goal[0].value") and message in text, text
        assert "\n" not in text, f"one error, not one per union branch: {text}"


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
