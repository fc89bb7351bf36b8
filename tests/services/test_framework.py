"""The service framework's REST semantics, exercised through the shop: auth, validation, 404/405,
pagination, filters, sorting, idempotency, ETags, tokens, OpenAPI, reset and isolation."""

from __future__ import annotations

import httpx
import pytest
from openapi_spec_validator import validate

from sandbox.records import natural_key
from tools.catalog import SERVICES


def test_every_service_document_is_valid_openapi(world_with, api_for) -> None:
    for name in SERVICES:
        world = world_with(name)
        response = api_for(world, name, key="")("GET", "/openapi.json")
        assert response.status_code == 200
        document = response.json()
        validate(document)
        assert document["servers"] == [{"url": SERVICES[name].base_url}]
        declared = {(m.upper(), p) for p, ops in document["paths"].items() for m in ops}
        assert declared == {(e.method, e.path) for e in SERVICES[name].endpoints}


def test_missing_wrong_and_under_scoped_credentials(world_with, api_for) -> None:
    world = world_with(
        "shop", shop={"api_keys": [{"key": "sk_readonly_1", "scopes": ["orders:read"]}]}
    )
    missing = api_for(world, "shop", key="")("GET", "/orders")
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"].startswith("Bearer")
    assert api_for(world, "shop", key="sk_wrong_000")("GET", "/orders").status_code == 401
    readonly = api_for(world, "shop", key="sk_readonly_1")
    assert readonly("GET", "/orders").status_code == 200
    refused = readonly("POST", "/orders/ord_1001/cancel")
    assert refused.status_code == 403
    assert "orders:write" in refused.json()["error"]["message"]


def test_unknown_path_and_method(world_with, api_for) -> None:
    api = api_for(world_with("shop"), "shop")
    assert api("GET", "/nothing-here").status_code == 404
    not_allowed = api("DELETE", "/orders")
    assert not_allowed.status_code == 405
    assert not_allowed.headers["allow"] == "GET"


def test_bodies_are_validated_naming_the_field(world_with, api_for) -> None:
    api = api_for(world_with("shop"), "shop")
    bad = api("POST", "/orders/ord_1001/refunds", json={"reason": "x", "amount_cents": -5})
    assert bad.status_code == 422
    assert bad.json()["error"]["field"] == "amount_cents"
    not_json = api(
        "POST",
        "/orders/ord_1001/refunds",
        content=b"{reason:",
        headers={"Content-Type": "application/json"},
    )
    assert not_json.status_code == 400
    wrong_type = api("POST", "/carts", content=b"customer_id=cus_101")
    assert wrong_type.status_code == 415


def test_unknown_and_bad_query_parameters(world_with, api_for) -> None:
    api = api_for(world_with("shop"), "shop")
    unknown = api("GET", "/orders", params={"stat": "paid"})
    assert unknown.status_code == 400
    assert unknown.json()["error"]["field"] == "stat"
    assert api("GET", "/orders", params={"limit": "1000"}).status_code == 400
    assert api("GET", "/orders", params={"cursor": "garbage!"}).status_code == 400
    assert api("GET", "/orders", params={"sort": "colour"}).status_code == 400


def test_pagination_walks_every_record_once(world_with, api_for) -> None:
    world = world_with("shop")
    api = api_for(world, "shop")
    seen: list[str] = []
    url: str | None = "/orders?limit=7"
    pages = 0
    while url:
        page = api("GET", url).json()
        seen += [order["id"] for order in page["data"]]
        pages += 1
        url = page["next"] and page["next"].removeprefix(SERVICES["shop"].base_url)
    assert pages == 5  # 30 generated orders, 7 a page
    assert seen == sorted(seen, key=natural_key)
    assert len(set(seen)) == len(seen) == world.records.count("shop", "orders")


def test_filters_and_sorting(world_with, api_for) -> None:
    api = api_for(world_with("shop"), "shop")
    paid = api("GET", "/orders", params={"status": "paid", "limit": 100}).json()["data"]
    assert paid and all(order["status"] == "paid" for order in paid)
    by_total = api("GET", "/orders", params={"sort": "-total_cents", "limit": 100}).json()["data"]
    totals = [order["total_cents"] for order in by_total]
    assert totals == sorted(totals, reverse=True)


def test_next_link_keeps_filters(world_with, api_for) -> None:
    api = api_for(world_with("shop"), "shop")
    first = api("GET", "/products", params={"limit": 2, "category": "electronics"}).json()
    assert "category=electronics" in first["next"]
    second = api("GET", first["next"].removeprefix(SERVICES["shop"].base_url)).json()
    assert all(product["category"] == "electronics" for product in second["data"])


def test_token_endpoint_and_expiry(world_with, api_for) -> None:
    world = world_with("shop")
    api = api_for(world, "shop")
    from scenarios.services import default_api_key

    issued = api("POST", "/auth/token", json={"api_key": default_api_key("shop")})
    assert issued.status_code == 201
    token = issued.json()["access_token"]
    with_token = api_for(world, "shop", key=token)
    assert with_token("GET", "/orders/ord_1001").status_code == 200
    world.clock.advance(3601)
    expired = with_token("GET", "/orders/ord_1001")
    assert expired.status_code == 401
    assert expired.json()["error"]["code"] == "token_expired"
    assert api("POST", "/auth/token", json={"api_key": "sk_nope_nope"}).status_code == 401


def test_reset_restores_records_and_worlds_are_separate(world_with, api_for) -> None:
    first, second = world_with("shop"), world_with("shop")
    baseline = first.snapshot()
    assert baseline == second.snapshot()
    api = api_for(first, "shop")
    paid = api("GET", "/orders", params={"status": "paid"}).json()["data"][0]["id"]
    assert api("POST", f"/orders/{paid}/refunds", json={"reason": "test"}).status_code == 201
    cart = api("POST", "/carts", json={"customer_id": "cus_101"}).json()["id"]
    assert first.snapshot() != baseline
    assert second.snapshot() == baseline
    assert api_for(second, "shop")("GET", f"/carts/{cart}").status_code == 404
    first.reset()
    assert first.snapshot() == baseline


def test_changes_name_service_records(world_with, api_for) -> None:
    world = world_with("shop", shop={"records": {"orders": [{"id": "ord_1003", "status": "paid"}]}})
    world.take_step_changes()
    api_for(world, "shop")("POST", "/orders/ord_1003/refunds", json={"reason": "broken"})
    changes = {c.target: c for c in world.take_step_changes()}
    assert "shop:orders/ord_1003" in changes
    assert "status paid→refunded" in (changes["shop:orders/ord_1003"].detail or "")


def test_unknown_host_never_leaves_the_sandbox(world_with) -> None:
    world = world_with("shop")
    with pytest.raises(httpx.ConnectError, match="no such host in this sandbox"):
        world.http.get("https://api.shop.example.com/v1/orders")


def test_every_paginated_list_of_every_service_walks_each_record_once(world_with, api_for) -> None:
    for name, service in SERVICES.items():
        world = world_with(name)
        api = api_for(world, name)
        lists = [e for e in service.endpoints if e.paginated and "{" not in e.path]
        assert lists, f"{name} has no paginated list"
        for endpoint in lists:
            url: str | None = f"{endpoint.path}?limit=3"
            seen: list[str] = []
            total = None
            while url:
                response = api("GET", url)
                assert response.status_code == 200, (name, endpoint.path, response.text)
                page = response.json()
                total = page["total"]
                seen += [item["id"] for item in page["data"]]
                url = page["next"] and page["next"].removeprefix(service.base_url)
            assert len(seen) == len(set(seen)) == total, (name, endpoint.path)


def _scramble(value: object) -> None:
    """Change every dict and list inside ``value`` in place."""
    if isinstance(value, dict):
        for item in list(value.values()):
            _scramble(item)
        value["scrambled"] = True
    elif isinstance(value, list):
        for item in value:
            _scramble(item)
        value.append("scrambled")


def test_a_returned_page_never_shares_a_record_with_the_store(
    world_with, api_for, monkeypatch
) -> None:
    """List handlers read the store's own records (``Data.view``); the page ``paginate``
    returns must be copies, so nothing done with a reply can change the world."""
    import sandbox.service

    replies: list[object] = []
    as_reply = sandbox.service._as_reply

    def capture(result, endpoint):  # type: ignore[no-untyped-def]
        replies.append(result)
        return as_reply(result, endpoint)

    monkeypatch.setattr(sandbox.service, "_as_reply", capture)
    for name, service in SERVICES.items():
        world = world_with(name)
        api = api_for(world, name)
        before = world.records.snapshot()
        for endpoint in [e for e in service.endpoints if e.paginated and "{" not in e.path]:
            replies.clear()
            assert api("GET", f"{endpoint.path}?limit=100").status_code == 200
            assert replies and replies[-1]["data"], (name, endpoint.path)  # type: ignore[index]
            _scramble(replies[-1])
        assert world.records.snapshot() == before, name
