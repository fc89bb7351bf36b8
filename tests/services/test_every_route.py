"""Every endpoint of every bundled service, route by route, from the services' own endpoint
tables: the auth, validation, 404 and 405 answers a real API gives — and a success for the
routes nothing else in the suite makes succeed (the token endpoints, reading a cart).

A new endpoint joins these tests by being declared; one with a body and a path parameter must
also get a valid body in ``VALID_BODIES`` (a test says so) so that its 404 can be reached.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from sandbox.service import Endpoint, Service
from scenarios.services import default_api_key
from tools.catalog import SERVICES
from tools.http import MAX_BODY_CHARS, HttpRequestArgs, describe, http_request

from .conftest import service_world

LIMITED_KEY = "sk_limited_scope_0001"
"""A valid key with a scope no endpoint asks for."""

ROUTES: list[tuple[Service, Endpoint]] = [
    (service, endpoint) for service in SERVICES.values() for endpoint in service.endpoints
]
IDS = [f"{service.name} {endpoint.method} {endpoint.path}" for service, endpoint in ROUTES]
SCOPED = [(s, e) for s, e in ROUTES if e.scope is not None]
SCOPED_IDS = [f"{s.name} {e.method} {e.path}" for s, e in SCOPED]
WITH_BODY = [(s, e) for s, e in ROUTES if e.body is not None]
WITH_ID = [(s, e) for s, e in ROUTES if "{" in e.path]

VALID_BODIES: dict[tuple[str, str, str], dict[str, Any]] = {
    ("shop", "PATCH", "/products/{product_id}"): {"stock": 1},
    ("shop", "POST", "/orders/{order_id}/refunds"): {"reason": "damaged"},
    ("shop", "POST", "/carts/{cart_id}/items"): {"product_id": "prod_101"},
    ("helpdesk", "PATCH", "/tickets/{ticket_id}"): {"subject": "New subject"},
    ("helpdesk", "POST", "/tickets/{ticket_id}/comments"): {"body": "hi", "public": False},
    ("calendar", "PATCH", "/events/{event_id}"): {"title": "Moved"},
    ("calendar", "PATCH", "/events/{event_id}/attendees/{email}"): {"response": "accepted"},
    ("mail", "PATCH", "/messages/{message_id}"): {"read": True},
    ("payments", "POST", "/charges/{charge_id}/refunds"): {"reason": "duplicate"},
}


def _id(service: Service, endpoint: Endpoint) -> str:
    return f"{service.name} {endpoint.method} {endpoint.path}"


def concrete(endpoint: Endpoint) -> str:
    """The path with every parameter set to an id that exists nowhere."""
    return re.sub(
        r"\{(\w+)\}",
        lambda m: "nobody@nowhere.example" if m[1] == "email" else f"zz_missing_{m[1]}",
        endpoint.path,
    )


_WORLDS: dict[str, Any] = {}


def world_for(service: Service) -> Any:
    """A world serving ``service`` with its default all-scope key and a limited one (shared
    by the read-only checks below; the tests that change things build their own)."""
    if service.name not in _WORLDS:
        keys = [
            {"key": default_api_key(service.name), "scopes": ["*"]},
            {"key": LIMITED_KEY, "scopes": ["nothing:read"], "file": None},
        ]
        _WORLDS[service.name] = service_world(service.name, **{service.name: {"api_keys": keys}})
    return _WORLDS[service.name]


def send(
    service: Service,
    method: str,
    path: str,
    *,
    key: str | None = None,
    world: Any = None,
    **kwargs: Any,
) -> httpx.Response:
    world = world or world_for(service)
    headers = dict(kwargs.pop("headers", {}))
    if key:
        headers["Authorization"] = f"Bearer {key}"
    return world.http.request(method, service.base_url + path, headers=headers, **kwargs)


def error_of(response: httpx.Response) -> dict[str, Any]:
    return response.json()["error"]


def test_the_table_covers_every_service_and_every_body_route_with_an_id() -> None:
    assert {s.name for s, _ in ROUTES} == set(SERVICES)
    needing = {
        (s.name, e.method, e.path) for s, e in ROUTES if e.body is not None and "{" in e.path
    }
    assert needing == set(VALID_BODIES), "give each such route a valid body in VALID_BODIES"


@pytest.mark.parametrize(("service", "endpoint"), SCOPED, ids=SCOPED_IDS)
def test_missing_and_wrong_credentials_are_401(service: Service, endpoint: Endpoint) -> None:
    path = concrete(endpoint)
    missing = send(service, endpoint.method, path, json={})
    assert missing.status_code == 401, missing.text
    assert "Bearer" in missing.headers["www-authenticate"]
    assert "missing bearer token" in error_of(missing)["message"]
    wrong = send(service, endpoint.method, path, key="sk_not_a_real_key_42", json={})
    assert wrong.status_code == 401, wrong.text
    assert error_of(wrong)["message"] == "invalid API key or token"


@pytest.mark.parametrize(("service", "endpoint"), SCOPED, ids=SCOPED_IDS)
def test_a_valid_key_without_the_scope_is_403(service: Service, endpoint: Endpoint) -> None:
    response = send(service, endpoint.method, concrete(endpoint), key=LIMITED_KEY, json={})
    assert response.status_code == 403, response.text
    error = error_of(response)
    assert error["code"] == "forbidden" and repr(endpoint.scope) in error["message"]


@pytest.mark.parametrize(("service", "endpoint"), WITH_BODY, ids=[_id(*r) for r in WITH_BODY])
def test_bad_bodies_are_400_or_422_naming_the_field(service: Service, endpoint: Endpoint) -> None:
    key = default_api_key(service.name)
    path = concrete(endpoint)
    not_json = send(
        service,
        endpoint.method,
        path,
        key=key,
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )
    assert not_json.status_code == 400 and error_of(not_json)["code"] == "invalid_json"
    assert endpoint.body is not None
    field = next(iter(endpoint.body.model_fields))
    alias = endpoint.body.model_fields[field].alias or field
    wrong = send(service, endpoint.method, path, key=key, json={alias: {"not": ["this"]}})
    assert wrong.status_code == 422, wrong.text
    error = error_of(wrong)
    named = {detail["field"] for detail in error["details"]}
    assert alias in named or any(name.startswith(alias + ".") for name in named), error
    assert alias in error["message"]


@pytest.mark.parametrize(("service", "endpoint"), WITH_ID, ids=[_id(*r) for r in WITH_ID])
def test_an_unknown_id_is_404(service: Service, endpoint: Endpoint) -> None:
    body = VALID_BODIES.get((service.name, endpoint.method, endpoint.path))
    response = send(
        service, endpoint.method, concrete(endpoint), key=default_api_key(service.name), json=body
    )
    assert response.status_code == 404, response.text
    assert 404 in endpoint.errors
    assert "zz_missing_" in error_of(response)["message"]


@pytest.mark.parametrize(("service", "endpoint"), ROUTES, ids=IDS)
def test_a_wrong_method_is_405_with_allow(service: Service, endpoint: Endpoint) -> None:
    response = send(service, "PUT", concrete(endpoint), key=default_api_key(service.name))
    assert response.status_code == 405, response.text
    allowed = {method.strip() for method in response.headers["allow"].split(",")}
    assert endpoint.method in allowed and "PUT" not in allowed
    assert "PUT is not allowed" in error_of(response)["message"]


@pytest.mark.parametrize(("service", "endpoint"), SCOPED, ids=SCOPED_IDS)
def test_an_unknown_query_parameter_is_400_naming_it(service: Service, endpoint: Endpoint) -> None:
    response = send(
        service,
        endpoint.method,
        concrete(endpoint),
        key=default_api_key(service.name),
        params={"bogus_param": "1"},
    )
    assert response.status_code == 400, response.text
    assert "bogus_param" in error_of(response)["message"]


@pytest.mark.parametrize("service", SERVICES.values(), ids=list(SERVICES))
def test_the_token_endpoint_trades_a_key_for_a_working_token(service: Service) -> None:
    world = service_world(service.name)
    token_path = "/auth/token"
    missing = send(service, "POST", token_path, world=world, json={})
    assert missing.status_code == 422 and error_of(missing)["field"] == "api_key"
    unknown = send(service, "POST", token_path, world=world, json={"api_key": "sk_nope_0000"})
    assert unknown.status_code == 401 and error_of(unknown)["field"] == "api_key"
    created = send(
        service, "POST", token_path, world=world, json={"api_key": default_api_key(service.name)}
    )
    assert created.status_code == 201, created.text
    token = created.json()
    assert token["token_type"] == "bearer" and token["expires_in"] > 0 and token["scopes"]
    # the token works where the key does: the first plain GET of the service
    endpoint = next(e for e in service.endpoints if e.method == "GET" and "{" not in e.path)
    ok = send(service, "GET", endpoint.path, world=world, key=token["access_token"])
    assert ok.status_code == 200, ok.text


def test_a_cart_can_be_read_back() -> None:
    shop = SERVICES["shop"]
    world = service_world("shop")
    key = default_api_key("shop")
    cart = send(shop, "POST", "/carts", world=world, key=key, json={"customer_id": "cus_101"})
    assert cart.status_code == 201, cart.text
    cart_id = cart.json()["id"]
    added = send(
        shop,
        "POST",
        f"/carts/{cart_id}/items",
        world=world,
        key=key,
        json={"product_id": "prod_101", "quantity": 2},
    )
    assert added.status_code == 200, added.text
    read = send(shop, "GET", f"/carts/{cart_id}", world=world, key=key)
    assert read.status_code == 200
    body = read.json()
    assert body["id"] == cart_id and body["status"] == "open"
    assert [(i["product_id"], i["quantity"]) for i in body["items"]] == [("prod_101", 2)]


@pytest.mark.parametrize("method", ["GET", "PATCH"])
def test_settings_that_do_not_exist_are_404(method: str) -> None:
    shop = SERVICES["shop"]
    world = service_world("shop", shop={"generate": False})
    body = {"refund_window_days": 30} if method == "PATCH" else None
    response = send(shop, method, "/settings", world=world, key=default_api_key("shop"), json=body)
    assert response.status_code == 404 and "settings" in error_of(response)["message"]


def test_sending_mail_twice_with_one_idempotency_key_sends_once() -> None:
    mail = SERVICES["mail"]
    world = service_world("mail")
    key = default_api_key("mail")
    message = {"to": ["sam@corp.example"], "subject": "Report", "body": "Attached."}
    headers = {"Idempotency-Key": "send-report-1"}
    sent_before = len(world.records.list("mail", "messages", lambda m: m["folder"] == "sent"))
    first = send(
        mail, "POST", "/messages/send", world=world, key=key, json=message, headers=headers
    )
    again = send(
        mail, "POST", "/messages/send", world=world, key=key, json=message, headers=headers
    )
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    sent = world.records.list("mail", "messages", lambda m: m["folder"] == "sent")
    assert len(sent) == sent_before + 1
    reused = send(
        mail,
        "POST",
        "/messages/send",
        world=world,
        key=key,
        json={**message, "subject": "Other"},
        headers=headers,
    )
    assert reused.status_code == 422 and error_of(reused)["code"] == "idempotency_key_reused"


def test_http_request_marks_a_cut_body_in_the_observation() -> None:
    world = service_world("shop")
    args = HttpRequestArgs(
        url=SERVICES["shop"].base_url + "/orders",
        headers={"Authorization": f"Bearer {default_api_key('shop')}"},
        query={"limit": 100},
    )
    result = http_request.run(world, args)
    text = result if isinstance(result, str) else result.text
    assert "[… body truncated: showing 8000 of " in text
    assert len(text) < MAX_BODY_CHARS + 1_000
    short = describe(httpx.Response(200, json={"ok": True}))
    assert "truncated" not in short
