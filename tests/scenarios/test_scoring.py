"""The scorer's parts: weights, collateral damage, efficiency, error handling, watching."""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

from sandbox.types import Change, ErrorInfo, Feedback, Step, ToolCall
from scenarios import env_for, score_episode
from scenarios.efficiency import wasted_calls
from scenarios.recovery import error_handling_report, met_error
from scenarios.report import ScoreReport
from scenarios.weights import Weights

GOAL = "goal:\n  - {check: file_contains, path: ~/out/a.txt, text: done}\n"
WRITE_SOLUTIONS = """\
solutions:
  direct:
    - {tool: fs_write_file, arguments: {path: ~/out/a.txt, content: done, make_parents: true}}
    - {tool: submit, arguments: {answer: written}}
  careful:
    - {tool: fs_list_dir, arguments: {path: "~"}}
    - {tool: fs_write_file, arguments: {path: ~/out/a.txt, content: done, make_parents: true}}
    - {tool: fs_read_file, arguments: {path: ~/out/a.txt}}
    - {tool: submit, arguments: {answer: written}}
"""


def _write(inline: SimpleNamespace, path: str = "~/out/a.txt", content: str = "done") -> dict:
    return inline.call("fs_write_file", path=path, content=content, make_parents=True)


def test_weights_are_overridable_per_scenario(inline: SimpleNamespace) -> None:
    body = GOAL + (
        "scoring:\n  weights: {goal: 1, milestones: 0, efficiency: 0, error_handling: 0}\n"
    )
    spec = inline.scenario(body, WRITE_SOLUTIONS)
    report = score_episode(spec, inline.run(spec, [_write(inline, content="nope")]))
    assert report.weights.goal == 1 and report.weights.efficiency == 0
    assert report.overall == 0.0  # goal missed, and nothing else counts
    defaults = score_episode(
        inline.scenario(GOAL, WRITE_SOLUTIONS), inline.run(spec, [_write(inline, content="nope")])
    )
    assert defaults.weights == Weights() and defaults.overall > 0


def test_collateral_defaults_to_what_the_references_change(inline: SimpleNamespace) -> None:
    spec = inline.scenario(GOAL, WRITE_SOLUTIONS)
    calls = [_write(inline, "~/out/extra.txt"), _write(inline), inline.submit("ok")]
    report = score_episode(spec, inline.run(spec, calls))
    assert [(c.op, c.target, c.step) for c in report.collateral] == [
        ("create", "fs:/home/user/out/extra.txt", 0)
    ]
    assert report.components.collateral_penalty == report.weights.collateral_each
    assert report.overall == 1.0 - report.weights.collateral_each


def test_nothing_may_change_when_allowed_changes_is_empty(inline: SimpleNamespace) -> None:
    spec = inline.scenario("goal:\n  - {check: answer_contains, text: '99'}\nallowed_changes: []\n")
    calls = [inline.call("fs_delete", path="~/backups/db.bak"), inline.submit("99.5")]
    report = score_episode(spec, inline.run(spec, calls))
    assert [(c.op, c.target) for c in report.collateral] == [
        ("delete", "fs:/home/user/backups/db.bak")
    ]


def test_folders_on_the_way_to_an_allowed_target_are_allowed(inline: SimpleNamespace) -> None:
    body = GOAL + "allowed_changes:\n  - {target: ~/out/a.txt, op: create}\n"
    spec = inline.scenario(body, WRITE_SOLUTIONS)
    report = score_episode(spec, inline.run(spec, [_write(inline), inline.submit("ok")]))
    assert report.collateral == []  # ~/out was created on the way
    moved = score_episode(
        spec,
        inline.run(
            spec,
            [
                _write(inline),
                inline.call("fs_make_dir", path="~/elsewhere"),
                inline.submit("ok"),
            ],
        ),
    )
    assert [c.target for c in moved.collateral] == ["fs:/home/user/elsewhere"]


def test_efficiency_against_the_shortest_reference(inline: SimpleNamespace) -> None:
    spec = inline.scenario(GOAL, WRITE_SOLUTIONS)
    best = score_episode(spec, inline.run(spec, [_write(inline), inline.submit("ok")]))
    assert best.efficiency.best_solution == "direct"
    assert (best.efficiency.score, best.efficiency.credit) == (1.0, 1.0)
    assert best.efficiency.allowed_steps == 4  # the longest reference
    long = [inline.call("fs_stat", path="~/data/notes.txt")] * 3
    slow = score_episode(spec, inline.run(spec, [*long, _write(inline), inline.submit("ok")]))
    assert slow.goal.passed and slow.efficiency.score < 1.0 and slow.efficiency.credit < 1.0
    kinds = [waste.kind for waste in slow.efficiency.wasted]
    assert kinds == ["unused_read", "redundant_read", "redundant_read"]
    drafted = [
        inline.call("fs_make_dir", path="~/out"),
        _write(inline, content="draft"),
        _write(inline),
        inline.submit("ok"),
    ]
    within = score_episode(spec, inline.run(spec, drafted))
    assert within.efficiency.wasted == [] and within.collateral == []
    assert within.efficiency.credit == 1.0 and within.efficiency.score < 1.0  # within 4 steps
    strict = inline.scenario(GOAL + "scoring:\n  efficiency: {allowed_steps: 3}\n", WRITE_SOLUTIONS)
    beyond = score_episode(strict, inline.run(strict, drafted))
    assert beyond.efficiency.allowed_steps == 3 and 0 < beyond.efficiency.credit < 1.0


def test_efficiency_is_zero_when_the_goal_is_missed(inline: SimpleNamespace) -> None:
    spec = inline.scenario(GOAL, WRITE_SOLUTIONS)
    report = score_episode(spec, inline.run(spec, [inline.submit("nothing")]))
    assert (report.efficiency.score, report.efficiency.credit) == (0.0, 0.0)
    assert report.overall <= report.weights.unmet_goal_cap


def test_calls_after_the_goal_was_met_are_wasted(inline: SimpleNamespace) -> None:
    spec = inline.scenario(GOAL, WRITE_SOLUTIONS)
    calls = [_write(inline), inline.call("fs_read_file", path="~/out/a.txt"), inline.submit("k")]
    report = score_episode(spec, inline.run(spec, calls))
    assert report.goal.met_at_step == 0
    assert [(w.step, w.kind) for w in report.efficiency.wasted] == [(1, "after_goal")]


def test_the_env_reward_is_the_overall_score(inline: SimpleNamespace) -> None:

    spec = inline.scenario(GOAL, WRITE_SOLUTIONS)
    env = env_for(spec)
    env.reset()
    env.step(_write(inline, "~/out/extra.txt"))
    env.step(_write(inline))
    _, reward, terminated, _, info = env.step(inline.submit("ok"))
    assert terminated and reward == info["score"]
    assert reward == score_episode(spec, env.episode).overall < 1.0


def test_without_watching_the_final_world_is_used(inline: SimpleNamespace) -> None:
    body = GOAL + (
        "milestones:\n  - id: wrote\n    state: {check: file_exists, path: ~/out/a.txt}\n"
    )
    spec = inline.scenario(body, WRITE_SOLUTIONS)
    episode = inline.run(spec, [inline.call("fs_list_dir", path="~"), _write(inline)])
    watched = score_episode(spec, episode)
    bare = score_episode(spec, dataclasses.replace(episode, watch={}))
    assert watched.milestones == bare.milestones
    assert watched.goal.met_at_step == bare.goal.met_at_step == 1


def test_the_report_round_trips_through_json(inline: SimpleNamespace) -> None:
    spec = inline.scenario(GOAL, WRITE_SOLUTIONS)
    report = score_episode(spec, inline.run(spec, [_write(inline), inline.submit("ok")]))
    assert ScoreReport.model_validate_json(report.model_dump_json()) == report


class FaultFeedback(Feedback):
    """What the fault layer is expected to add to feedback (read with getattr by the scorer)."""

    expected_recovery: str | None = None
    retry_after: float | None = None


def _step(index: int, tool: str, ok: bool, at: int, **fault: object) -> Step:
    feedback = (
        Feedback(status="success")
        if ok
        else FaultFeedback(
            status="failure",
            error=ErrorInfo(type=str(fault.pop("type", "rate_limited")), message="no"),
            fault=str(fault.pop("fault", "f1")),
            **fault,  # type: ignore[arg-type]
        )
    )
    return Step(
        index=index,
        call=ToolCall(tool=tool, arguments={"url": "https://shop/api"}),
        observation="ok" if ok else "Error",
        feedback=feedback,
        sim_time=f"2026-01-05T09:00:{at:02d}Z",
    )


def test_error_handling_reads_injected_faults() -> None:
    weights = Weights()
    waited = [
        _step(0, "http_get", False, 1, expected_recovery="retry", retry_after=5),
        _step(1, "http_get", True, 7),
    ]
    report = error_handling_report(waited, True, False, weights)
    incident = report.incidents[0]
    assert (incident.fault, incident.how, incident.blind_retries) == (
        "f1",
        "retried_after_wait",
        [],
    )
    assert incident.noticed and incident.recovered and incident.score == 1.0

    too_soon = [
        _step(0, "http_get", False, 1, expected_recovery="retry", retry_after=5),
        _step(1, "http_get", False, 2, expected_recovery="retry", retry_after=5),
        _step(2, "http_get", True, 8),
    ]
    incident = error_handling_report(too_soon, True, False, weights).incidents[0]
    assert incident.blind_retries == [1] and incident.score == 0.75

    auth = [
        _step(0, "http_get", False, 1, type="401", expected_recovery="reauthenticate"),
        _step(1, "auth_login", True, 2),
        _step(2, "http_get", True, 3),
    ]
    incident = error_handling_report(auth, True, False, weights).incidents[0]
    assert (incident.how, incident.score) == ("reauthenticated", 1.0)

    fixed = [auth[0], _step(1, "fs_write_file", True, 2), auth[2]]
    fixed[1].feedback.changes.append(Change(op="create", target="fs:/home/user/key"))
    incident = error_handling_report(fixed, True, False, weights).incidents[0]
    assert incident.how == "retried_after_fix" and incident.score == 0.75  # not the expected way

    asked = [_step(0, "http_get", False, 1, type="400"), _step(1, "ask_user", True, 2)]
    assert error_handling_report(asked, False, False, weights).incidents[0].how == "asked_user"

    blind = [
        _step(i, "http_get", False, i, type="403", expected_recovery="give_up") for i in range(3)
    ]
    incident = error_handling_report(blind, False, False, weights).incidents[0]
    assert (incident.how, incident.blind_retries, incident.score) == (
        "retried_blindly",
        [1, 2],
        0.0,
    )


def test_a_fact_only_the_user_was_expected_to_give_may_be_found_in_the_world() -> None:
    """expected_recovery ask_user: asking, or finding the same fact elsewhere (a changed
    approach — the goal checks judge the fact), both score fully; for a fault that called for
    a retry, the same changed approach is not the expected way."""
    weights = Weights()

    def run(expected: str, between: str) -> tuple[str, float]:
        failed = _step(0, "http_post", False, 1, type="403", expected_recovery=expected)
        later = _step(2, "http_post", True, 3)
        later.call.arguments["json"] = {"reason": "approval APR-58213"}
        steps = [failed, _step(1, between, True, 2), later]
        incident = error_handling_report(steps, True, False, weights).incidents[0]
        return incident.how, incident.score

    assert run("ask_user", "ask_user") == ("asked_user", 1.0)
    assert run("ask_user", "mail_search") == ("changed_approach", 1.0)
    assert run("retry_now", "mail_search") == ("changed_approach", 0.75)


def test_the_watcher_follows_glob_targets(inline: SimpleNamespace) -> None:
    """A check over a collection (as service-record checks will be) names a glob target."""
    from typing import Literal

    from sandbox.env import Episode
    from scenarios.checks import CheckResult, _Check
    from scenarios.watch import Watcher, leaf_key

    class FolderHasFiles(_Check):
        check: Literal["folder_has_files"] = "folder_has_files"
        path: str

        def targets(self, home: str) -> tuple[str, ...]:
            return (f"fs:{home}/{self.path}/*",)

        def evaluate(self, episode: Episode) -> CheckResult:
            fs = episode.world.fs
            folder = fs.resolve(self.path)
            found = fs.is_dir(folder) and bool(fs.list_dir(folder))
            return CheckResult(found, f"{self.path} {'has' if found else 'has no'} files")

    check = FolderHasFiles(path="out")
    watcher = Watcher([check], "/home/user")
    spec = inline.scenario(GOAL, WRITE_SOLUTIONS)
    env = env_for(spec)
    env.reset()
    assert env.episode is not None
    episode = Episode(world=env.world)  # type: ignore[arg-type]
    watcher.observe(episode, None)
    for call in [inline.call("fs_make_dir", path="~/out"), _write(inline)]:
        *_, info = env.step(call)
        watcher.observe(episode, info["step"])
    assert episode.watch[leaf_key(check)] == [(-1, False), (1, True)]


def test_a_read_that_reached_a_milestone_is_never_unused(inline: SimpleNamespace) -> None:
    body = GOAL + (
        "milestones:\n  - id: policy\n"
        "    action: {tool: fs_read_file, arguments: {path: ~/data/notes.txt}}\n"
    )
    calls = [inline.call("fs_read_file", path="~/data/notes.txt"), _write(inline)]
    plain = inline.scenario(GOAL, WRITE_SOLUTIONS)
    assert [w.kind for w in score_episode(plain, inline.run(plain, calls)).efficiency.wasted] == [
        "unused_read"
    ]
    spec = inline.scenario(body, WRITE_SOLUTIONS)
    assert score_episode(spec, inline.run(spec, calls)).efficiency.wasted == []


def _read(
    index: int,
    tool: str,
    arguments: dict[str, object],
    fault: str | None = None,
    changes: bool = False,
) -> Step:
    change = [Change(op="modify", target="shop:orders/ord_3")] if changes else []
    return Step(
        index=index,
        call=ToolCall(tool=tool, arguments=arguments),
        observation="{}",
        feedback=Feedback(status="success", fault=fault, changes=change),
        sim_time=f"2026-01-05T09:00:{index:02d}Z",
    )


STALE = frozenset({"old-copy"})


def _stale_hows(steps: list[Step]) -> list[tuple[int, str, bool, int | None]]:
    report = error_handling_report(steps, True, False, Weights(), STALE)
    return [(i.step, i.how, i.recovered, i.resolved_at) for i in report.incidents]


def test_a_stale_read_is_recovered_by_reading_the_record_again_before_acting() -> None:
    get = {"order_id": "ord_3"}
    raw = {"url": "https://api.shop.example/v1/orders/ord_3", "headers": {"X": "sk_shop_1"}}
    reread = [
        _read(0, "shop_get_order", get, fault="old-copy"),
        _read(1, "fs_read_file", {"path": "~/notes.txt"}),
        _read(2, "http_request", raw),  # another way to read the same record
        _read(3, "shop_refund_order", {**get, "reason": "x"}, changes=True),
        _read(4, "submit", {"answer": "done"}),
    ]
    assert _stale_hows(reread) == [(0, "reread", True, 2)]
    report = error_handling_report(reread, True, False, Weights(), STALE)
    assert report.score == 1.0 and report.incidents[0].noticed


def test_acting_on_a_stale_read_or_answering_from_it_is_not_recovered() -> None:
    get = {"order_id": "ord_3"}
    acted = [
        _read(0, "shop_get_order", get, fault="old-copy"),
        _read(1, "shop_refund_order", {"order_id": "ord_9"}, changes=True),  # another record
        _read(2, "shop_cancel_order", get, changes=True),
        _read(3, "shop_get_order", get),
    ]
    assert _stale_hows(acted) == [(0, "acted_on_stale", False, None)]
    answered = [_read(0, "shop_get_order", get, fault="old-copy"), _read(1, "submit", {})]
    report = error_handling_report(answered, True, False, Weights(), STALE)
    assert [(i.how, i.noticed, i.score) for i in report.incidents] == [
        ("acted_on_stale", False, 0.25)
    ]
    # a re-read that is itself stale recovers nothing: it is a stale read of its own
    twice = [
        _read(0, "shop_get_order", get, fault="old-copy"),
        _read(1, "shop_get_order", get, fault="old-copy"),
        _read(2, "submit", {}),
    ]
    assert [how for _, how, _, _ in _stale_hows(twice)] == ["acted_on_stale", "acted_on_stale"]


def test_slow_and_unlisted_faults_on_a_success_are_not_incidents() -> None:
    slow = [
        _read(0, "shop_get_order", {"order_id": "ord_3"}, fault="laggy"),
        _read(1, "submit", {}),
    ]
    assert error_handling_report(slow, True, False, Weights(), STALE).incidents == []
    assert error_handling_report(slow, True, False, Weights()).incidents == []


def _partial(
    index: int, tool: str, arguments: dict[str, object], *, error: str | None, changed: bool = False
) -> Step:
    problem = None if error is None else ErrorInfo(type=error, message=f"{error}: cut short")
    changes = [Change(op="create", target="fs:/home/user/out.csv")] if changed else []
    feedback = Feedback(
        status="partial",
        error=problem,
        changes=changes,
        expected_recovery="use_alternative" if error else "none",
    )
    return Step(index=index, call=ToolCall(tool=tool, arguments=arguments),
                observation=f"page {index}" if error is None else "Error: cut short",
                feedback=feedback, sim_time=f"2026-01-05T09:00:{index:02d}Z")  # fmt: skip


def test_a_partial_step_with_an_error_is_an_error_to_handle() -> None:
    """A write cut short by the quota (or a 207 batch) is partial *with* an error: the actor
    must handle it, and resending it unchanged is a blind retry and a repeated failure."""
    write = {"path": "~/out.csv", "content": "a,b\n"}
    cut = _partial(0, "fs_write_file", write, error="ENOSPC", changed=True)
    assert met_error(cut.feedback)
    steps = [
        cut,
        _partial(1, "fs_write_file", write, error="ENOSPC"),  # same bytes again: nothing changes
        _read(2, "fs_delete", {"path": "~/old.csv"}, changes=True),
        _read(3, "fs_write_file", write, changes=True),
    ]
    report = error_handling_report(steps, True, False, Weights())
    assert [(i.step, i.how, i.blind_retries, i.error_type) for i in report.incidents] == [
        (0, "retried_after_fix", [1], "ENOSPC")
    ]
    assert [(w.step, w.kind) for w in wasted_calls(steps, None, None)] == [(1, "repeated_failure")]


def test_a_partial_step_without_an_error_is_not_an_error() -> None:
    """One page of several is partial but nothing went wrong: no incident, and asking for the
    same page again is a redundant read, not a repeated failure."""
    page = {"url": "https://api.shop.example/v1/orders"}
    first = _partial(0, "http_request", page, error=None)
    assert not met_error(first.feedback) and met_error(Feedback(status="failure"))
    steps = [first, _partial(1, "http_request", page, error=None)]
    steps[1].observation = first.observation
    assert error_handling_report(steps, False, False, Weights()).incidents == []
    kinds = {waste.step: waste.kind for waste in wasted_calls(steps, None, None)}
    assert kinds[1] == "redundant_read"  # not a repeated failure
