"""Idempotency keys and ETags on a tiny service declared here (the bundled services use them
too; these tests pin the framework's behaviour on its own)."""

from __future__ import annotations

from datetime import UTC, datetime

from pydantic import BaseModel

from sandbox.rest import check_if_match, require, with_etag
from sandbox.service import API_KEYS, Call, Reply, Service
from sandbox.world import World

COUNTER = Service("counter", "https://api.counter.example/v1", title="Counter", description="t")


class Add(BaseModel):
    amount: int


@COUNTER.endpoint("POST", "/adds", scope="write", body=Add, status=201, idempotent=True)
def add(call: Call) -> Reply:
    """Add to the counter."""
    record = call.data.get("counters", "main") or {"id": "main", "value": 0}
    record["value"] += call.body.amount
    call.data.put("counters", "main", record)
    return Reply({"value": record["value"]}, status=201)


@COUNTER.endpoint("GET", "/counter", scope="write")
def get_counter(call: Call) -> Reply:
    """Read the counter with its ETag."""
    return with_etag(require(call, "counters", "main", "counter"))


@COUNTER.endpoint("PUT", "/counter", scope="write", body=Add)
def put_counter(call: Call) -> Reply:
    """Set the counter, honouring If-Match."""
    record = require(call, "counters", "main", "counter")
    check_if_match(call, record)
    record["value"] = call.body.amount
    call.data.put("counters", "main", record)
    return with_etag(record)


def world() -> World:
    w = World(seed=1, start=datetime(2026, 1, 1, tzinfo=UTC))
    COUNTER.install(w)
    w.records.put("counter", API_KEYS, "sk_counter_1", {"scopes": ["write"]})
    w.mark_baseline()
    return w


AUTH = {"Authorization": "Bearer sk_counter_1"}
URL = "https://api.counter.example/v1"


def test_idempotency_key_replays_and_refuses_a_different_body() -> None:
    w = world()
    headers = {**AUTH, "Idempotency-Key": "k1"}
    first = w.http.post(f"{URL}/adds", json={"amount": 5}, headers=headers)
    again = w.http.post(f"{URL}/adds", json={"amount": 5}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json() == {"value": 5}
    assert again.headers["idempotent-replayed"] == "true"
    assert w.records.get("counter", "counters", "main") == {"id": "main", "value": 5}
    reused = w.http.post(f"{URL}/adds", json={"amount": 6}, headers=headers)
    assert reused.status_code == 422
    unkeyed = w.http.post(f"{URL}/adds", json={"amount": 5}, headers=AUTH)
    assert unkeyed.json() == {"value": 10}
    w.reset()
    assert w.records.get("counter", "counters", "main") is None
    replay_after_reset = w.http.post(f"{URL}/adds", json={"amount": 5}, headers=headers)
    assert "idempotent-replayed" not in replay_after_reset.headers


def test_if_match_refuses_a_stale_etag() -> None:
    w = world()
    w.http.post(f"{URL}/adds", json={"amount": 1}, headers=AUTH)
    tag = w.http.get(f"{URL}/counter", headers=AUTH).headers["etag"]
    ok = w.http.put(f"{URL}/counter", json={"amount": 2}, headers={**AUTH, "If-Match": tag})
    assert ok.status_code == 200
    stale = w.http.put(f"{URL}/counter", json={"amount": 3}, headers={**AUTH, "If-Match": tag})
    assert stale.status_code == 412
    assert stale.headers["etag"] == ok.headers["etag"]
    assert w.records.get("counter", "counters", "main")["value"] == 2
