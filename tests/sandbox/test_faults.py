"""Injected faults: each kind fires exactly where declared and never elsewhere, the same way for
the same seed, and reset undoes them."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sandbox.errors import FsError
from sandbox.faults import KINDS, Fault
from sandbox.world import World
from scenarios.build import build_world
from scenarios.schema import Scenario
from scenarios.services import default_api_key

KEY = default_api_key("shop")
AUTH = {"Authorization": f"Bearer {KEY}"}
API = "https://api.shop.example/v1"


def world_with(*faults: dict[str, Any], **extra: Any) -> World:
    scenario = Scenario.model_validate(
        {
            "id": "faults-test",
            "title": "t",
            "task": "t",
            "tools": ["fs_*"],
            "files": [
                {"path": "~/data/a.txt", "content": "a"},
                {"path": "~/b.txt", "content": "b"},
            ],
            "services": {"shop": {"records": {"orders": [{"id": "ord_1001", "status": "paid"}]}}},
            "faults": list(faults),
            "goal": [{"check": "answer_contains", "text": "x"}],
            "solutions": {"a": [{"tool": "submit", "arguments": {"answer": "x"}}]},
            **extra,
        }
    )
    return build_world(scenario)


def get(world: World, path: str = "/orders/ord_1001", **kwargs: Any) -> httpx.Response:
    return world.http.get(API + path, headers=kwargs.pop("headers", AUTH), **kwargs)


@pytest.mark.parametrize(("kind", "status"), [("http_500", 500), ("http_502", 502),
                         ("http_503", 503), ("forbidden", 403), ("not_found", 404)])  # fmt: skip
def test_status_faults_hit_only_the_nth_matching_call(kind: str, status: int) -> None:
    world = world_with(
        {
            "id": "f",
            "kind": kind,
            "target": {"service": "shop", "route": "/orders/*"},
            "trigger": {"nth": 2},
        }
    )
    assert get(world, "/products").status_code == 200  # not a matching route: not counted
    assert get(world).status_code == 200
    assert get(world).status_code == status
    assert world.faults.take_fired()[0] == ["f"]
    assert get(world).status_code == 200
    assert world.faults.take_fired()[0] == []


def test_rate_limit_holds_until_retry_after_has_passed() -> None:
    world = world_with(
        {
            "id": "rl",
            "kind": "rate_limit",
            "target": {"method": "GET"},
            "params": {"retry_after": 20},
        }
    )
    first = get(world)
    assert first.status_code == 429 and first.headers["retry-after"] == "20"
    assert world.faults.take_fired() == (["rl"], 20.0)
    world.clock.advance(10)
    assert get(world).status_code == 429  # still inside the window
    world.clock.advance(11)
    assert get(world).status_code == 200


def test_503_without_retry_after_is_a_single_failure() -> None:
    world = world_with({"id": "d", "kind": "http_503", "trigger": {"first": 1}})
    response = get(world)
    assert response.status_code == 503 and "retry-after" not in response.headers
    assert get(world).status_code == 200


def test_expired_token_needs_a_new_token() -> None:
    world = world_with({"id": "exp", "kind": "token_expired", "trigger": {"nth": 2}})
    assert get(world).status_code == 200
    expired = get(world)
    assert expired.status_code == 401 and expired.json()["error"]["code"] == "token_expired"
    assert get(world).status_code == 401  # the credential stays expired
    token = world.http.post(f"{API}/auth/token", json={"api_key": KEY}).json()["access_token"]
    assert get(world, headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_read_timeout_after_the_server_acted_and_connect_timeout_before() -> None:
    world = world_with(
        {"id": "t", "kind": "timeout", "target": {"method": "POST"}, "params": {"timeout_s": 15}}
    )
    with pytest.raises(httpx.ReadTimeout):
        world.http.post(f"{API}/orders/ord_1001/refunds", json={"reason": "x"}, headers=AUTH)
    assert world.clock.elapsed == 15
    assert world.records.get("shop", "orders", "ord_1001")["status"] == "refunded"
    world = world_with(
        {"id": "t", "kind": "timeout", "target": {"method": "POST"}, "params": {"phase": "connect"}}
    )
    with pytest.raises(httpx.ConnectTimeout):
        world.http.post(f"{API}/orders/ord_1001/refunds", json={"reason": "x"}, headers=AUTH)
    assert world.records.get("shop", "orders", "ord_1001")["status"] == "paid"


def test_malformed_slow_and_stale_answers() -> None:
    world = world_with({"id": "m", "kind": "malformed_body"})
    with pytest.raises(ValueError):
        get(world).json()
    assert get(world).json()["id"] == "ord_1001"
    world = world_with({"id": "s", "kind": "slow", "params": {"latency_s": 7}})
    assert get(world).status_code == 200 and world.clock.elapsed == 7
    world = world_with(
        {"id": "st", "kind": "stale_data", "params": {"override": {"status": "pending"}}}
    )
    assert get(world).json()["status"] == "pending"
    assert world.faults.take_fired()[0] == ["st"]
    assert get(world).json()["status"] == "paid"


def test_a_stale_copy_that_matches_the_record_is_not_reported() -> None:
    """The override says what the record says already: nothing stale was seen."""
    world = world_with(
        {"id": "st", "kind": "stale_data", "params": {"override": {"status": "paid"}}}
    )
    assert get(world).json()["status"] == "paid"
    assert world.faults.take_fired()[0] == []


@pytest.mark.parametrize(
    ("kind", "op", "errno_name"),
    [("permission_denied", "read", "EACCES"), ("read_only", "write", "EROFS"),
     ("disk_full", "write", "ENOSPC"), ("file_locked", "read", "EBUSY"),
     ("vanished", "read", "ENOENT")],
)  # fmt: skip
def test_file_faults_hit_their_paths_only(kind: str, op: str, errno_name: str) -> None:
    world = world_with({"id": "ff", "kind": kind, "target": {"path": "~/data/**"}})
    fs = world.fs
    other = fs.resolve("~/b.txt")
    target = fs.resolve("~/data/a.txt")
    fs.read_bytes(other)
    fs.write_bytes(other, b"bb")
    with pytest.raises(FsError) as caught:
        fs.read_bytes(target) if op == "read" else fs.write_bytes(target, b"x")
    assert caught.value.errno_name == errno_name
    assert world.faults.take_fired()[0] == ["ff"]


def test_a_vanished_file_stays_gone_and_a_lock_is_released() -> None:
    world = world_with(
        {"id": "v", "kind": "vanished", "target": {"path": "~/data/a.txt"}},
        {"id": "l", "kind": "file_locked", "target": {"path": "~/b.txt"}, "trigger": {"first": 2}},
    )
    fs = world.fs
    for _ in range(2):
        with pytest.raises(FsError, match="ENOENT"):
            fs.read_bytes(fs.resolve("~/data/a.txt"))
    for _ in range(2):
        with pytest.raises(FsError, match="EBUSY"):
            fs.read_bytes(fs.resolve("~/b.txt"))
    assert fs.read_bytes(fs.resolve("~/b.txt")) == b"b"


def test_tool_targets_only_hit_that_tool() -> None:
    world = world_with({"id": "p", "kind": "permission_denied", "target": {"tool": "fs_read_file"}})
    world.fs.read_bytes(world.fs.resolve("~/b.txt"))  # no tool is running: not hit
    world.faults.current_tool = "fs_read_file"
    with pytest.raises(FsError, match="EACCES"):
        world.fs.read_bytes(world.fs.resolve("~/b.txt"))


def test_a_body_lacks_target_refuses_until_the_request_carries_the_text() -> None:
    """A refusal that holds for every request lacking a reference (trigger: always), with the
    403's own message; a request quoting it is neither hit nor counted."""
    world = world_with(
        {
            "id": "approval",
            "kind": "forbidden",
            "target": {"route": "/orders/*/refunds", "method": "POST", "body_lacks": "APR-123"},
            "trigger": {"after_seconds": 0},
            "params": {"message": "quote the customer's approval reference (APR-…)"},
        }
    )
    url = f"{API}/orders/ord_1001/refunds"
    message = "quote the customer's approval reference (APR-…)"
    for reason in ("broken", "broken", "approval APR-999"):
        refused = world.http.post(url, json={"reason": reason}, headers=AUTH)
        assert refused.status_code == 403 and refused.json()["error"]["message"] == message
        assert world.faults.take_fired()[0] == ["approval"]
    assert world.records.get("shop", "orders", "ord_1001")["status"] == "paid"
    quoted = world.http.post(url, json={"reason": "broken; approval APR-123"}, headers=AUTH)
    assert quoted.status_code == 201 and world.faults.take_fired()[0] == []
    assert world.faults.counts["approval"] == 3  # the quoting request was not counted
    assert world.records.get("shop", "orders", "ord_1001")["status"] == "refunded"
    plain = world_with({"id": "f", "kind": "forbidden"})
    assert get(plain).json()["error"]["message"] == "this key may not do that right now"


def test_probabilistic_faults_are_deterministic_per_seed_and_fault_seed() -> None:
    fault = {"id": "p", "kind": "http_500", "trigger": {"probability": 0.5}}

    def pattern(fault_seed: int) -> list[int]:
        world = world_with(fault)
        world.faults.reseed(fault_seed)
        return [get(world).status_code for _ in range(24)]

    assert pattern(0) == pattern(0)
    assert pattern(0) != pattern(1)
    assert 500 in pattern(0) and 200 in pattern(0)


def test_reset_undoes_counters_windows_tokens_and_vanished_files() -> None:
    world = world_with(
        {"id": "rl", "kind": "rate_limit", "params": {"retry_after": 60}},
        {"id": "v", "kind": "vanished", "target": {"path": "~/b.txt"}},
    )
    assert get(world).status_code == 429
    with pytest.raises(FsError):
        world.fs.read_bytes(world.fs.resolve("~/b.txt"))
    world.reset()
    assert get(world).status_code == 429  # the first call again: the fault fires again
    world.reset()
    world.faults.faults = []
    assert get(world).status_code == 200
    assert world.fs.read_bytes(world.fs.resolve("~/b.txt")) == b"b"


def test_fault_declarations_are_checked() -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        Fault.model_validate({"id": "x", "kind": "meteor"})
    with pytest.raises(ValueError, match="takes no parameter"):
        Fault.model_validate({"id": "x", "kind": "http_500", "params": {"latency_s": 3}})
    with pytest.raises(ValueError, match="expected_recovery"):
        Fault.model_validate({"id": "x", "kind": "http_500", "expected_recovery": "pray"})
    with pytest.raises(ValueError, match="exactly one of"):
        Fault.model_validate({"id": "x", "kind": "http_500", "trigger": {"nth": 1, "first": 2}})
    with pytest.raises(ValueError, match="file fault"):
        Fault.model_validate({"id": "x", "kind": "disk_full", "target": {"url": "https://a/*"}})
    with pytest.raises(ValueError, match="file fault"):
        Fault.model_validate({"id": "x", "kind": "read_only", "target": {"body_lacks": "APR"}})
    with pytest.raises(ValueError, match="takes no parameter"):
        Fault.model_validate({"id": "x", "kind": "not_found", "params": {"message": "gone"}})
    assert all(info.recovery for info in KINDS.values())


def test_browser_faults_hit_their_pages_only() -> None:
    from scenarios.library import load_bundled

    world = build_world(load_bundled("checkout-hiccups"))  # page_error and session_expired
    browser = world.browser
    browser.goto("https://shop.example/login")
    browser.type("textbox-email", "ada@mail.example")
    browser.type("textbox-password", "analytical-engine-1843")
    browser.submit("form-login")
    browser.goto("https://shop.example/products/prod_101")  # not a target: fine
    assert browser.page.status == 200 and world.faults.take_fired()[0] == []
    browser.click("button-add-to-cart")
    browser.goto("https://shop.example/checkout")
    assert browser.page.status == 500
    assert world.faults.take_fired()[0] == ["checkout-page-down"]
    browser.goto("https://shop.example/checkout")  # first: 1 — the page works again
    assert browser.page.status == 200
    for field, text in (("name", "Ada"), ("street", "1 St"), ("postcode", "N1"), ("city", "L")):
        browser.type(f"textbox-{field}", text)
    browser.click("button-continue-to-review")  # the session ends on the way to review
    assert "/login" in browser.page.url
    assert world.faults.take_fired()[0] == ["session-lost"]


@pytest.mark.parametrize(
    ("kind", "status"), [("http_500", 500), ("http_502", 502), ("http_503", 503)]
)
@pytest.mark.parametrize("retry_after", [None, 20])
def test_server_errors_with_or_without_retry_after(
    kind: str, status: int, retry_after: int | None
) -> None:
    params = {} if retry_after is None else {"retry_after": retry_after}
    world = world_with({"id": "down", "kind": kind, "trigger": {"first": 1}, "params": params})
    response = get(world)
    assert response.status_code == status
    assert world.faults.take_fired() == (["down"], None if retry_after is None else 20.0)
    expected = "retry_now" if retry_after is None else "retry_after_wait"
    assert world.faults.recovery_of("down") == expected
    if retry_after is None:
        assert "retry-after" not in response.headers
        assert get(world).status_code == 200  # a single failure
    else:
        assert response.headers["retry-after"] == "20"
        world.clock.advance(10)
        assert get(world).status_code == status  # still down inside the window
        world.clock.advance(11)
        assert get(world).status_code == 200


def test_a_scenario_can_say_what_the_right_recovery_is() -> None:
    world = world_with(
        {"id": "who", "kind": "forbidden", "expected_recovery": "ask_user"},
        {"id": "plain", "kind": "not_found", "target": {"route": "/products*"}},
    )
    assert get(world).status_code == 403
    assert world.faults.recovery_of("who") == "ask_user"
    assert world.faults.recovery_of("plain") == "retry_now"


NOT_HERE = {"service": "shop", "route": "/orders/*"}


@pytest.mark.parametrize(
    ("kind", "params"),
    [("rate_limit", {"retry_after": 30}), ("token_expired", {}), ("timeout", {}),
     ("timeout", {"phase": "connect"}), ("malformed_body", {"mode": "garbage"}),
     ("slow", {"latency_s": 9}), ("stale_data", {"override": {"status": "OLD"}}),
     ("http_503", {"retry_after": 30}), ("forbidden", {}), ("not_found", {})],
)  # fmt: skip
def test_http_faults_never_touch_a_call_they_do_not_target(
    kind: str, params: dict[str, Any]
) -> None:
    world = world_with(
        {"id": "f", "kind": kind, "target": NOT_HERE, "trigger": {"first": 5}, "params": params}
    )
    untouched = get(world, "/products/prod_101")
    for _ in range(3):
        response = get(world, "/products/prod_101")
        assert response.status_code == 200
        assert response.json() == untouched.json()  # not garbled, not stale
    assert world.clock.elapsed == 0  # no latency, no timeout
    assert world.faults.take_fired() == ([], None)
    assert world.faults.counts.get("f", 0) == 0  # not even counted
    # …and it does hit what it targets
    try:
        hit = get(world)
    except httpx.TimeoutException:
        hit = None
    assert world.faults.take_fired()[0] == ["f"], hit


def test_a_vanished_file_is_gone_from_listings_and_stat_too() -> None:
    from tools.files import PathArgs, fs_list_dir, fs_stat

    world = world_with({"id": "v", "kind": "vanished", "target": {"path": "~/data/a.txt"}})
    fs = world.fs
    listing = fs_list_dir.run(world, fs_list_dir.params(path="~/data"))
    assert "a.txt" in str(listing)
    with pytest.raises(FsError, match="ENOENT"):
        fs.read_bytes(fs.resolve("~/data/a.txt"))
    assert [entry.name for entry in fs.list_dir(fs.resolve("~/data"))] == []
    assert "a.txt" not in str(fs_list_dir.run(world, fs_list_dir.params(path="~/data")))
    with pytest.raises(FsError, match="ENOENT"):
        fs_stat.run(world, PathArgs(path="~/data/a.txt"))
    fs.write_bytes(fs.resolve("~/data/a.txt"), b"new")  # written anew: the actor's file now
    assert fs.read_bytes(fs.resolve("~/data/a.txt")) == b"new"
    assert [entry.name for entry in fs.list_dir(fs.resolve("~/data"))] == ["a.txt"]
    world.reset()
    assert [entry.name for entry in fs.list_dir(fs.resolve("~/data"))] == ["a.txt"]
