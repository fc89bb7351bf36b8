"""Isolation: during an episode nothing touches the real filesystem, network or processes.

A process-wide audit hook (installed once; idle unless a test switches it on) records every
``open``, ``os.*``, ``shutil.*``, ``socket.*`` and ``subprocess.*`` event while full episodes run.
"""

from __future__ import annotations

import sys
from typing import Any

import pytest

from scenarios import bundled_ids, env_for, load_bundled

WATCHED = ("open", "os.", "shutil.", "socket.", "subprocess.", "pty.", "ctypes.")
ESCAPE_URLS = (
    "https://example.com/",
    "http://127.0.0.1:8765/",
    "http://localhost/",
    "file:///etc/passwd",
)
_events: list[tuple[str, tuple[Any, ...]]] = []
_watching = False


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _watching and event.startswith(WATCHED):
        _events.append((event, args))


sys.addaudithook(_hook)


def _episode_events(scenario_id: str) -> list[tuple[str, tuple[Any, ...]]]:
    global _watching
    scenario = load_bundled(scenario_id)
    env = env_for(scenario)
    env.reset()  # the first build may import lazily; the episodes below must not touch anything
    _events.clear()
    _watching = True
    try:
        for calls in scenario.solutions.values():
            env.reset()
            for call in calls:
                env.step(call)
            env.step({"tool": "fs_read_file", "arguments": {"path": "/etc/passwd"}})
            env.step({"tool": "fs_write_file", "arguments": {"path": "/tmp/x", "content": "x"}})
            if "http_request" in env.toolset:
                for url in ESCAPE_URLS:
                    env.step({"tool": "http_request", "arguments": {"url": url}})
            if "browser_goto" in env.toolset:
                for url in ESCAPE_URLS:
                    env.step({"tool": "browser_goto", "arguments": {"url": url}})
    finally:
        _watching = False
    return list(_events)


@pytest.mark.parametrize("scenario_id", bundled_ids())
def test_episodes_touch_nothing_real(scenario_id: str) -> None:
    events = _episode_events(scenario_id)
    assert events == [], "\n".join(f"{event} {args!r}"[:300] for event, args in events)


def test_the_hook_sees_real_access(tmp_path) -> None:
    global _watching
    _events.clear()
    _watching = True
    try:
        (tmp_path / "probe.txt").write_text("x")
    finally:
        _watching = False
    assert any(event == "open" for event, _ in _events)


def test_every_fault_kind_touches_nothing_real() -> None:
    """Faults act inside the world too: a timeout, a garbled body or a vanished file must never
    reach the real disk, network or processes."""
    from sandbox.faults import KINDS
    from scenarios.schema import Scenario

    faults = [
        {"id": f"f-{n}", "kind": kind, "trigger": {"probability": 0.5},
         **({"target": {"path": "~/**"}} if info.layer == "file" else {})}
        for n, (kind, info) in enumerate(KINDS.items())
    ]  # fmt: skip
    scenario = load_bundled("checkout-hiccups").model_copy()
    data = scenario.model_dump()
    data.update(
        id="all-faults", faults=faults, tools=["fs_*", "http_request", "browser_*", "shop_*"]
    )
    every = Scenario.model_validate(data)
    env = env_for(every)
    env.reset()
    global _watching
    _events.clear()
    _watching = True
    try:
        for _ in range(3):
            env.reset()
            for call in every.solutions["api-retry"]:
                env.step(call)
            env.step({"tool": "fs_read_file", "arguments": {"path": "~/notes/shop-login.txt"}})
            env.step({"tool": "fs_write_file", "arguments": {"path": "~/x.txt", "content": "x"}})
            env.step({"tool": "browser_goto", "arguments": {"url": "https://shop.example/"}})
            for url in ESCAPE_URLS:
                env.step({"tool": "http_request", "arguments": {"url": url}})
    finally:
        _watching = False
    assert _events == [], "\n".join(f"{event} {args!r}"[:300] for event, args in _events)
