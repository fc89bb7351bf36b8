"""Payments: routes and their codes, idempotent charges and refunds, balance, typed == raw."""

from __future__ import annotations

import json

import pytest

from sandbox.errors import NetworkError
from tools.payments import tools as pay


@pytest.fixture
def world(world_with):
    return world_with(
        "payments",
        payments={
            "records": {
                "charges": [
                    {"id": "ch_1001", "status": "succeeded", "amount_cents": 4900},
                    {"id": "ch_1002", "status": "failed"},
                ]
            }
        },
    )


@pytest.fixture
def api(world, api_for):
    return api_for(world, "payments")


def test_customers_and_charges(api) -> None:
    customers = api("GET", "/customers", params={"limit": 100}).json()
    assert customers["total"] == 10
    customer = customers["data"][0]
    assert api("GET", f"/customers/{customer['id']}").json() == customer
    assert api("GET", "/customers/pcus_1").status_code == 404
    charges = api("GET", "/charges", params={"status": "failed", "limit": 100}).json()["data"]
    assert charges and all(c["status"] == "failed" for c in charges)
    by_amount = api("GET", "/charges", params={"sort": "-amount_cents", "limit": 100}).json()
    amounts = [c["amount_cents"] for c in by_amount["data"]]
    assert amounts == sorted(amounts, reverse=True)
    assert api("GET", "/charges/ch_9").status_code == 404


def test_a_charge_with_an_idempotency_key_happens_once(world, api) -> None:
    before = world.records.count("payments", "charges")
    body = {"customer_id": "pcus_101", "amount_cents": 2500, "description": "seats"}
    key = {"Idempotency-Key": "order-77"}
    first = api("POST", "/charges", json=body, headers=key)
    again = api("POST", "/charges", json=body, headers=key)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    assert world.records.count("payments", "charges") == before + 1
    other = api("POST", "/charges", json={**body, "amount_cents": 1}, headers=key)
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    unkeyed = [api("POST", "/charges", json=body).json()["id"] for _ in range(2)]
    assert len(set(unkeyed)) == 2  # without a key, a retry charges again
    assert api("POST", "/charges", json={**body, "customer_id": "pcus_0"}).status_code == 404
    assert api("POST", "/charges", json={**body, "amount_cents": 0}).status_code == 422


def test_refunds_partial_full_twice_and_of_a_failed_charge(api) -> None:
    part = api("POST", "/charges/ch_1001/refunds", json={"reason": "x", "amount_cents": 900})
    assert part.status_code == 201
    assert api("GET", "/charges/ch_1001").json()["status"] == "partially_refunded"
    too_much = api("POST", "/charges/ch_1001/refunds", json={"reason": "x", "amount_cents": 4500})
    assert too_much.status_code == 422 and too_much.json()["error"]["field"] == "amount_cents"
    rest = api("POST", "/charges/ch_1001/refunds", json={"reason": "rest"})
    assert rest.json()["amount_cents"] == 4000
    assert api("GET", "/charges/ch_1001").json()["status"] == "refunded"
    assert api("POST", "/charges/ch_1001/refunds", json={"reason": "x"}).status_code == 409
    assert api("POST", "/charges/ch_1002/refunds", json={"reason": "x"}).status_code == 409


def test_an_idempotent_refund_replays(world, api) -> None:
    key = {"Idempotency-Key": "refund-1"}
    first = api("POST", "/charges/ch_1001/refunds", json={"reason": "dup"}, headers=key)
    again = api("POST", "/charges/ch_1001/refunds", json={"reason": "dup"}, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert len(world.records.get("payments", "charges", "ch_1001")["refunds"]) == 1


def test_balance_follows_charges_and_refunds(api) -> None:
    before = api("GET", "/balance").json()
    api("POST", "/charges/ch_1001/refunds", json={"reason": "x", "amount_cents": 1000})
    after = api("GET", "/balance").json()
    total = lambda b: b["available_cents"] + b["pending_cents"]  # noqa: E731
    assert total(after) == total(before) - 1000
    assert after["refunded_cents"] == before["refunded_cents"] + 1000


def test_reset_and_separate_worlds(world_with, api_for) -> None:
    first, second = world_with("payments"), world_with("payments")
    baseline = first.snapshot()
    api_for(first, "payments")("POST", "/charges", json={"customer_id": "pcus_101",
                                                         "amount_cents": 100})  # fmt: skip
    assert second.snapshot() == baseline != first.snapshot()
    first.reset()
    assert first.snapshot() == baseline


def test_typed_tools_match_raw_http(world_with, api_for) -> None:
    typed, raw = world_with("payments"), world_with("payments")
    pay.payments_create_charge.run(
        typed, pay.CreateChargeArgs(customer_id="pcus_101", amount_cents=700, idempotency_key="k")
    )
    pay.payments_create_charge.run(
        typed, pay.CreateChargeArgs(customer_id="pcus_101", amount_cents=700, idempotency_key="k")
    )
    api_for(raw, "payments")("POST", "/charges", headers={"Idempotency-Key": "k"},
                             json={"customer_id": "pcus_101", "amount_cents": 700,
                                   "description": ""})  # fmt: skip
    assert typed.baseline_diff() == raw.baseline_diff()
    with pytest.raises(NetworkError) as caught:
        pay.payments_get_charge.run(typed, pay.ChargeArgs(charge_id="ch_0"))
    assert caught.value.http_status == 404


def test_a_reused_refund_key_with_another_body_is_refused(world, api) -> None:
    key = {"Idempotency-Key": "refund-2"}
    first = api("POST", "/charges/ch_1001/refunds", json={"reason": "a", "amount_cents": 100},
                headers=key)  # fmt: skip
    other = api("POST", "/charges/ch_1001/refunds", json={"reason": "a", "amount_cents": 200},
                headers=key)  # fmt: skip
    assert first.status_code == 201
    assert other.status_code == 422 and other.json()["error"]["code"] == "idempotency_key_reused"
    assert world.records.get("payments", "charges", "ch_1001")["refunded_cents"] == 100


def test_authorise_then_capture(world, api) -> None:
    body = {"customer_id": "pcus_101", "amount_cents": 3000, "capture": False}
    held = api("POST", "/charges", json=body).json()
    assert held["captured"] is False and held["status"] == "succeeded"
    balance = api("GET", "/balance").json()
    held_only = {"captured": "false", "status": "succeeded", "limit": 100}
    uncaptured = api("GET", "/charges", params=held_only).json()
    assert [c["id"] for c in uncaptured["data"]] == [held["id"]]
    taken = api("POST", f"/charges/{held['id']}/capture")
    assert taken.status_code == 200 and taken.json()["captured"] is True
    assert api("GET", "/balance").json()["pending_cents"] == balance["pending_cents"] + 3000
    again = api("POST", f"/charges/{held['id']}/capture")
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_captured"
    assert api("POST", "/charges/ch_1002/capture").status_code == 409  # failed
    assert api("POST", "/charges/ch_9/capture").status_code == 404
    assert api("GET", f"/charges/{held['id']}/capture").status_code == 405


def test_an_uncaptured_charge_is_released_whole(api) -> None:
    body = {"customer_id": "pcus_101", "amount_cents": 3000, "capture": False}
    held = api("POST", "/charges", json=body).json()
    path = f"/charges/{held['id']}/refunds"
    part = api("POST", path, json={"reason": "x", "amount_cents": 1000})
    assert part.status_code == 422 and part.json()["error"]["field"] == "amount_cents"
    assert api("POST", path, json={"reason": "order cancelled"}).json()["amount_cents"] == 3000
    released = api("GET", f"/charges/{held['id']}").json()
    assert released["status"] == "refunded"
    assert api("POST", f"/charges/{held['id']}/capture").json()["error"]["code"] == "released"


def test_charges_by_creation_time_and_page_walk(api) -> None:
    everything = api("GET", "/charges", params={"limit": 100, "sort": "created_at"}).json()["data"]
    middle = everything[len(everything) // 2]["created_at"]
    since = api("GET", "/charges", params={"created_since": middle, "limit": 100}).json()["data"]
    before = api("GET", "/charges", params={"created_before": middle, "limit": 100}).json()
    assert since and all(c["created_at"] >= middle for c in since)
    assert len(since) + before["total"] == len(everything)
    day = api("GET", "/charges", params={"created_since": middle[:10], "limit": 100}).json()
    assert day["total"] >= len(since)
    assert api("GET", "/charges", params={"created_since": "last week"}).status_code == 400
    backwards = api("GET", "/charges", params={"created_since": "2026-01-05",
                                               "created_before": "2026-01-01"})  # fmt: skip
    assert backwards.status_code == 400
    assert backwards.json()["error"]["field"] == "created_before"
    seen, url = [], "/charges?limit=7&status=succeeded"
    while url:
        page = api("GET", url.removeprefix("https://api.payments.example/v1")).json()
        seen += [c["id"] for c in page["data"]]
        url = page["next"]
    assert len(seen) == len(set(seen)) == page["total"]
    assert all(c["status"] == "succeeded" for c in everything if c["id"] in seen)


def test_payments_auth(world_with, api_for) -> None:
    world = world_with(
        "payments", payments={"api_keys": [{"key": "sk_readonly_2", "scopes": ["charges:read"]}]}
    )
    assert api_for(world, "payments", key="")("GET", "/charges").status_code == 401
    readonly = api_for(world, "payments", key="sk_readonly_2")
    assert readonly("GET", "/charges").status_code == 200
    assert readonly("GET", "/customers").status_code == 403
    refused = readonly("POST", "/charges/ch_1001/refunds", json={"reason": "x"})
    assert refused.status_code == 403


def test_typed_capture_and_filters_match_raw(world_with, api_for) -> None:
    typed, raw = world_with("payments"), world_with("payments")
    args = pay.CreateChargeArgs(customer_id="pcus_102", amount_cents=900, capture=False)
    created = json.loads(pay.payments_create_charge.run(typed, args))
    assert created["captured"] is False
    pay.payments_capture_charge.run(typed, pay.CaptureChargeArgs(charge_id=created["id"]))
    client = api_for(raw, "payments")
    client("POST", "/charges", json={"customer_id": "pcus_102", "amount_cents": 900,
                                     "description": "", "capture": False})  # fmt: skip
    client("POST", f"/charges/{created['id']}/capture")
    assert typed.baseline_diff() == raw.baseline_diff()
    listed = json.loads(
        pay.payments_list_charges.run(
            typed, pay.ListChargesArgs(created_since="2026-01-05T09:00:00Z")
        )
    )
    assert [c["id"] for c in listed["data"]] == [created["id"]]
    customer = pay.payments_get_customer.run(typed, pay.CustomerArgs(customer_id="pcus_102"))
    assert '"pcus_102"' in customer
