"""Collection-wide record checks kept per record (``scenarios.tally``) give ``evaluate``'s
verdict after any sequence of record changes, and the watcher keeps one tally per episode."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.env import Episode
from sandbox.types import Change, Feedback, Step, ToolCall
from sandbox.world import World
from scenarios.checks import RecordCheck
from scenarios.tally import RecordTally
from scenarios.watch import Watcher, leaf_key

CHECKS = [
    RecordCheck(check="record", service="shop", collection="orders", **fields)
    for fields in [
        {"expect": {"status": "paid"}},
        {"where": {"customer": "ada"}, "expect": {"status": "paid"}},
        {"where": {"customer": "ada"}, "contains": {"note": "urgent"}},
        {"where": {"meta.region": "eu"}, "count": 0},
        {"expect": {"status": "refunded"}, "contains": {"tags": "vip"}, "count": 2},
        {"where": {"customer": "bob"}, "count": 1},
    ]
]

records = st.fixed_dictionaries(
    {
        "status": st.sampled_from(["paid", "refunded"]),
        "customer": st.sampled_from(["ada", "bob"]),
        "note": st.sampled_from(["", "urgent call", "later"]),
        "tags": st.lists(st.sampled_from(["vip", "eu"]), max_size=2),
        "meta": st.fixed_dictionaries({"region": st.sampled_from(["eu", "us"])}),
    }
)
ids = st.sampled_from(["ord_1", "ord_2", "ord_3", "ord_10"])
operations = st.lists(st.tuples(ids, st.none() | records), max_size=12)


def _world(initial: list[tuple[str, dict[str, Any] | None]]) -> World:
    world = World(seed=1, start=datetime(2026, 1, 5, tzinfo=UTC))
    for record_id, record in initial:
        if record is not None:
            world.records.put("shop", "orders", record_id, record)
    world.records.take_step_changes()  # the initial world: no step's changes
    return world


@settings(max_examples=60, deadline=None)
@given(initial=operations, changes=operations)
def test_a_tally_agrees_with_evaluate_after_every_change(
    initial: list[tuple[str, dict[str, Any] | None]],
    changes: list[tuple[str, dict[str, Any] | None]],
) -> None:
    world = _world(initial)
    episode = SimpleNamespace(world=world, answer=None)
    tallies = [RecordTally(check) for check in CHECKS]
    standings = [tally.start(world.records) for tally in tallies]
    for record_id, record in changes:
        if record is None:
            world.records.delete("shop", "orders", record_id)
        else:
            world.records.put("shop", "orders", record_id, record)
        targets = [change.target for change in world.records.take_step_changes()]
        for tally, standing in zip(tallies, standings, strict=True):
            tally.update(standing, world.records, targets)
            assert tally.passed(standing) == tally.check.evaluate(episode).passed  # type: ignore[arg-type]


def _apply(world: World, changes: list[tuple[str, dict[str, Any] | None]]) -> list[str]:
    for record_id, record in changes:
        if record is None:
            world.records.delete("shop", "orders", record_id)
        else:
            world.records.put("shop", "orders", record_id, record)
    return [change.target for change in world.records.take_step_changes()]


@settings(max_examples=60, deadline=None)
@given(initial=operations, episodes=st.lists(operations, min_size=2, max_size=3))
def test_every_reset_starts_from_the_initial_count_unchanged_by_earlier_episodes(
    initial: list[tuple[str, dict[str, Any] | None]],
    episodes: list[list[tuple[str, dict[str, Any] | None]]],
) -> None:
    """The initial world's count is made once and handed out at every reset: the episodes
    before must not have changed it."""
    world = _world(initial)
    world.records.mark_baseline()
    episode = SimpleNamespace(world=world, answer=None)
    tallies = [RecordTally(check) for check in CHECKS]
    for changes in episodes:
        standings = [tally.start(world.records) for tally in tallies]
        for change in changes:
            targets = _apply(world, [change])
            for tally, standing in zip(tallies, standings, strict=True):
                tally.update(standing, world.records, targets)
                assert tally.passed(standing) == tally.check.evaluate(episode).passed  # type: ignore[arg-type]
        world.records.restore_baseline()


def _step(index: int, targets: list[str]) -> Step:
    return Step(
        index=index,
        call=ToolCall(tool="http_request", arguments={}),
        observation="",
        feedback=Feedback(
            status="success", changes=[Change(op="modify", target=t) for t in targets]
        ),
        sim_time="2026-01-05T09:00:00Z",
    )


def test_each_episode_keeps_its_own_tally() -> None:
    """One watcher serves every env of a scenario: a tally lives in the episode, not in it."""
    check = CHECKS[0]  # every order paid
    watcher = Watcher([check], "/home/user")
    paid = {"status": "paid", "customer": "ada"}
    first = Episode(world=_world([("ord_1", paid)]))
    second = Episode(world=_world([("ord_1", paid)]))
    watcher.observe(first, None)
    watcher.observe(second, None)
    first.world.records.put("shop", "orders", "ord_1", {**paid, "status": "refunded"})
    watcher.observe(first, _step(0, [c.target for c in first.world.records.take_step_changes()]))
    second.world.records.put("shop", "orders", "ord_2", paid)
    watcher.observe(second, _step(0, [c.target for c in second.world.records.take_step_changes()]))
    assert first.watch[leaf_key(check)] == [(-1, True), (0, False)]
    assert second.watch[leaf_key(check)] == [(-1, True)]
    assert check.evaluate(second).passed


def test_a_reset_counts_the_world_again() -> None:
    check = CHECKS[0]
    watcher = Watcher([check], "/home/user")
    episode = Episode(world=_world([("ord_1", {"status": "paid"})]))
    watcher.observe(episode, None)
    episode.world.records.put("shop", "orders", "ord_1", {"status": "refunded"})
    episode.world.records.take_step_changes()  # changed behind the watcher's back
    watcher.observe(episode, None)  # as on reset: the initial verdict is counted afresh
    assert episode.watch[leaf_key(check)] == [(-1, False)]
