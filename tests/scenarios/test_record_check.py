"""The ``record`` goal check over service records: id/where selection, expect, contains, count."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from sandbox.world import World
from scenarios.checks import RecordCheck

COMMENTS = [
    {"id": "cmt_1", "ticket_id": "tkt_1", "public": True, "body": "Refunds within 30 days."},
    {"id": "cmt_2", "ticket_id": "tkt_1", "public": False, "body": "VIP customer."},
    {"id": "cmt_3", "ticket_id": "tkt_2", "public": True, "body": "Hello", "tags": ["vip", "eu"]},
]


@pytest.fixture
def episode() -> SimpleNamespace:
    world = World(seed=1, start=datetime(2026, 1, 5, tzinfo=UTC))
    for comment in COMMENTS:
        world.records.put("helpdesk", "comments", comment["id"], comment)
    return SimpleNamespace(world=world, answer=None)


def _check(**fields) -> RecordCheck:
    return RecordCheck(check="record", service="helpdesk", collection="comments", **fields)


def test_contains_checks_text_fields(episode) -> None:
    quoted = _check(where={"ticket_id": "tkt_1", "public": True}, contains={"body": "30 days"})
    assert quoted.evaluate(episode).passed
    missing = _check(where={"ticket_id": "tkt_1"}, contains={"body": "30 days"})
    result = missing.evaluate(episode)
    assert not result.passed and "cmt_2 body lacks '30 days'" in result.evidence
    not_text = _check(id="cmt_1", contains={"public": "True"})
    assert not not_text.evaluate(episode).passed


def test_contains_on_a_list_field_wants_an_item(episode) -> None:
    assert _check(id="cmt_3", contains={"tags": "eu"}).evaluate(episode).passed
    partial = _check(id="cmt_3", contains={"tags": "e"}).evaluate(episode)
    assert not partial.passed and "tags lacks 'e'" in partial.evidence
    assert _check(contains={"tags": "vip"}, count=1).evaluate(episode).passed


def test_count_combines_where_expect_and_contains(episode) -> None:
    assert (
        _check(where={"public": True}, contains={"body": "days"}, count=1).evaluate(episode).passed
    )
    assert (
        _check(contains={"body": "VIP"}, expect={"public": True}, count=0).evaluate(episode).passed
    )
    leaked = _check(contains={"body": "VIP"}, count=1)
    assert leaked.evaluate(episode).passed
    assert "cmt_2" in leaked.evaluate(episode).evidence


def test_label_and_validation() -> None:
    assert "contains {'body': 'x'}" in _check(contains={"body": "x"}).label()
    with pytest.raises(ValueError, match="needs id, where, expect, contains or count"):
        _check()
