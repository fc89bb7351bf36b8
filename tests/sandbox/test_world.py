"""World: snapshots and diffs, reset of clock/RNG/ids, separate worlds, the mock network."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from sandbox.world import World, diff

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def make_world(seed: int = 1) -> World:
    world = World(seed=seed, start=START)
    world.fs.seed_file("~/a.txt", b"a")
    world.mark_baseline()
    return world


def test_diff_names_create_modify_delete() -> None:
    world = make_world()
    before = world.snapshot()
    world.fs.write_bytes("/home/user/a.txt", b"abc")
    world.fs.write_bytes("/home/user/b.txt", b"b")
    after = world.snapshot()
    assert [(c.op, c.target, c.detail) for c in diff(before, after)] == [
        ("modify", "fs:/home/user/a.txt", "1 → 3 bytes"),
        ("create", "fs:/home/user/b.txt", "1 bytes"),
    ]
    assert [(c.op, c.target) for c in diff(after, before)][1] == ("delete", "fs:/home/user/b.txt")


def test_reset_restores_clock_rng_ids_and_files() -> None:
    world = make_world()
    first = (world.rng.random(), world.ids.next("ord"))
    world.clock.advance(30)
    world.fs.delete("/home/user/a.txt")
    world.reset()
    assert (world.rng.random(), world.ids.next("ord")) == first
    assert world.clock.elapsed == 0
    assert world.fs.read_bytes("/home/user/a.txt") == b"a"


def test_worlds_do_not_share_state() -> None:
    one, two = make_world(), make_world()
    one.fs.write_bytes("/home/user/only-one.txt", b"1")
    assert not two.fs.exists("/home/user/only-one.txt")


def test_unknown_host_is_a_connect_error_not_a_connection() -> None:
    world = make_world()
    with pytest.raises(httpx.ConnectError, match=r"no such host in this sandbox: example\.org"):
        world.http.get("https://example.org/")


def test_routes_answer_and_catch_all_stays_last() -> None:
    world = make_world()
    world.network.route(host="api.shop.example").respond(200, json={"ok": True})
    assert world.http.get("https://api.shop.example/v1/x").json() == {"ok": True}
    with pytest.raises(httpx.ConnectError):
        world.http.get("https://api.other.example/")
    assert list(world.network.router.routes)[-1].name == "unknown-host"
    world.network.forget_calls()
    assert len(world.network.router.calls) == 0
