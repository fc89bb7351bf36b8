"""The shop: each route's success and error codes, its rules, and typed tools == raw HTTP."""

from __future__ import annotations

import pytest

from sandbox.errors import NetworkError, ToolError
from tools.shop import tools as shop


@pytest.fixture
def world(world_with):
    return world_with(
        "shop",
        shop={
            "records": {
                "orders": [
                    {"id": "ord_1001", "status": "paid"},
                    {"id": "ord_1002", "status": "shipped"},
                    {"id": "ord_1003", "status": "pending"},
                ],
                "products": [{"id": "prod_101", "stock": 2, "active": True}],
            }
        },
    )


@pytest.fixture
def api(world, api_for):
    return api_for(world, "shop")


def test_products(api) -> None:
    assert api("GET", "/products/prod_101").json()["stock"] == 2
    assert api("GET", "/products/prod_999").status_code == 404
    found = api("GET", "/products", params={"q": "lamp"}).json()["data"]
    assert [p["name"] for p in found] == ["Desk lamp"]
    patched = api("PATCH", "/products/prod_101", json={"price_cents": 3000})
    assert patched.status_code == 200 and patched.json()["price_cents"] == 3000
    assert api("PATCH", "/products/prod_101", json={"colour": "red"}).status_code == 422


def test_customers(api) -> None:
    customers = api("GET", "/customers", params={"limit": 100}).json()
    assert customers["total"] == 12
    first = customers["data"][0]
    assert api("GET", f"/customers/{first['id']}").json() == first
    by_email = api("GET", "/customers", params={"email": first["email"]}).json()["data"]
    assert [c["id"] for c in by_email] == [first["id"]]
    assert api("GET", "/customers/cus_1").status_code == 404


def test_refunds_partial_full_and_twice(api) -> None:
    order = api("GET", "/orders/ord_1001").json()
    total = order["total_cents"]
    part = api("POST", "/orders/ord_1001/refunds", json={"reason": "late", "amount_cents": 1})
    assert part.status_code == 201 and part.headers["location"].endswith("/orders/ord_1001")
    assert api("GET", "/orders/ord_1001").json()["status"] == "partially_refunded"
    too_much = api("POST", "/orders/ord_1001/refunds", json={"reason": "x", "amount_cents": total})
    assert too_much.status_code == 422
    rest = api("POST", "/orders/ord_1001/refunds", json={"reason": "rest"})
    assert rest.json()["amount_cents"] == total - 1
    after = api("GET", "/orders/ord_1001").json()
    assert after["status"] == "refunded" and after["refunded_cents"] == total
    twice = api("POST", "/orders/ord_1001/refunds", json={"reason": "again"})
    assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_refunded"
    assert api("POST", "/orders/ord_1003/refunds", json={"reason": "x"}).status_code == 409
    assert api("POST", "/orders/ord_0000/refunds", json={"reason": "x"}).status_code == 404
    assert api("POST", "/orders/ord_1002/refunds", json={}).status_code == 422


def test_cancel_rules_and_stock_return(api) -> None:
    before = {
        item["product_id"]: api("GET", f"/products/{item['product_id']}").json()["stock"]
        for item in api("GET", "/orders/ord_1001").json()["items"]
    }
    assert api("POST", "/orders/ord_1001/cancel").json()["status"] == "cancelled"
    order = api("GET", "/orders/ord_1001").json()
    for item in order["items"]:
        stock = api("GET", f"/products/{item['product_id']}").json()["stock"]
        assert stock == before[item["product_id"]] + item["quantity"]
    assert api("POST", "/orders/ord_1002/cancel").status_code == 409


def test_cart_to_order(api) -> None:
    cart = api("POST", "/carts", json={"customer_id": "cus_101"})
    assert cart.status_code == 201
    cart_id = cart.json()["id"]
    assert api("POST", "/carts", json={"customer_id": "cus_9"}).status_code == 404
    assert api("POST", f"/carts/{cart_id}/checkout").status_code == 409  # empty
    added = api("POST", f"/carts/{cart_id}/items", json={"product_id": "prod_101", "quantity": 2})
    assert added.json()["total_cents"] == 2 * added.json()["items"][0]["unit_price_cents"]
    more = api("POST", f"/carts/{cart_id}/items", json={"product_id": "prod_101"})
    assert more.status_code == 409 and more.json()["error"]["code"] == "insufficient_stock"
    order = api("POST", f"/carts/{cart_id}/checkout")
    assert order.status_code == 201 and order.json()["status"] == "paid"
    assert order.json()["id"] == "ord_1031"  # after the 30 generated orders
    assert api("GET", "/products/prod_101").json()["stock"] == 0
    assert api("POST", f"/carts/{cart_id}/checkout").status_code == 409
    assert api("DELETE", f"/carts/{cart_id}/items/prod_101").status_code == 409


def test_remove_from_cart(api) -> None:
    cart_id = api("POST", "/carts", json={"customer_id": "cus_101"}).json()["id"]
    api("POST", f"/carts/{cart_id}/items", json={"product_id": "prod_101"})
    assert api("DELETE", f"/carts/{cart_id}/items/prod_102").status_code == 404
    assert api("DELETE", f"/carts/{cart_id}/items/prod_101").json()["items"] == []


def test_typed_tool_and_raw_http_make_the_same_change(world_with, api_for) -> None:
    spec = {"records": {"orders": [{"id": "ord_1001", "status": "paid"}]}}
    typed_world, raw_world = world_with("shop", shop=spec), world_with("shop", shop=spec)
    shop.shop_refund_order.run(typed_world, shop.RefundArgs(order_id="ord_1001", reason="dup"))
    api_for(raw_world, "shop")("POST", "/orders/ord_1001/refunds", json={"reason": "dup"})
    assert typed_world.snapshot() == raw_world.snapshot()
    assert typed_world.baseline_diff() == raw_world.baseline_diff()


def test_typed_tools_report_http_errors_and_missing_credentials(world) -> None:
    with pytest.raises(NetworkError) as caught:
        shop.shop_get_order.run(world, shop.OrderArgs(order_id="ord_404"))
    assert caught.value.http_status == 404 and caught.value.type == "http_4xx"
    world.fs.delete(world.fs.resolve("~/.config/shop/credentials"))
    with pytest.raises(ToolError, match="credentials"):
        shop.shop_get_order.run(world, shop.OrderArgs(order_id="ord_1001"))
