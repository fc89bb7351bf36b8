"""Isolation: during an episode nothing touches the real filesystem, network or processes.

A process-wide audit hook (installed once; idle unless a test switches it on) records every
``open``, ``os.*``, ``shutil.*``, ``socket.*`` and ``subprocess.*`` event while full episodes run.
The escape probes (real paths, real hosts, ``file://``) are sent while the episode is still
running — before ``submit`` — so they reach the filesystem and network layers, and each must be
a failed step that says why.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from sandbox.env import ToolEnv
from sandbox.faults import KINDS
from scenarios import bundled_ids, env_for, load_bundled
from scenarios.schema import Scenario

WATCHED = ("open", "os.", "shutil.", "socket.", "subprocess.", "pty.", "ctypes.")
UNKNOWN_HOSTS = ("https://example.com/", "http://127.0.0.1:8765/", "http://localhost/")
ESCAPE_URLS = (*UNKNOWN_HOSTS, "file:///etc/passwd")
_events: list[tuple[str, tuple[Any, ...]]] = []
_watching = False


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _watching and event.startswith(WATCHED):
        _events.append((event, args))


sys.addaudithook(_hook)


@contextmanager
def watching() -> Iterator[list[tuple[str, tuple[Any, ...]]]]:
    global _watching
    _events.clear()
    _watching = True
    try:
        yield _events
    finally:
        _watching = False


def _report(events: list[tuple[str, tuple[Any, ...]]]) -> str:
    return "\n".join(f"{event} {args!r}"[:300] for event, args in events)


def probe(env: ToolEnv) -> list[str]:
    """Try to escape while the episode runs; every probe must fail inside the world. Returns the
    faults that hit the probes."""
    fired: list[str] = []

    def step(call: dict[str, Any]) -> Any:
        _, _, terminated, _, info = env.step(call)
        feedback = info["feedback"]
        assert not terminated, call
        assert feedback.status == "failure", (call, feedback)
        assert feedback.error.type != "episode_over", (call, feedback)
        if feedback.fault:
            fired.append(feedback.fault)
        return feedback

    if "fs_read_file" in env.toolset:
        step({"tool": "fs_read_file", "arguments": {"path": "/etc/passwd"}})
    if "fs_write_file" in env.toolset:
        step({"tool": "fs_write_file", "arguments": {"path": "/tmp/x", "content": "x"}})
    for tool in ("http_request", "browser_goto"):
        if tool not in env.toolset:
            continue
        for url in ESCAPE_URLS:
            feedback = step({"tool": tool, "arguments": {"url": url}})
            if url in UNKNOWN_HOSTS and feedback.fault is None:
                assert feedback.error.type == "connect_error", feedback
                assert "reachable hosts" in feedback.error.message, feedback
            elif feedback.fault is None:
                assert feedback.error.type == "invalid_url", feedback
    return fired


def run_with_probes(env: ToolEnv, calls: list[Any]) -> list[str]:
    """Run a solution with the probes just before its final ``submit``; the faults that fired."""
    fired: list[str] = []
    body = calls[:-1] if calls and _tool_of(calls[-1]) == "submit" else calls
    for call in body:
        info = env.step(call)[-1]
        if info["feedback"].fault:
            fired.append(info["feedback"].fault)
    fired += probe(env)
    for call in calls[len(body) :]:
        env.step(call)
    return fired


def _tool_of(call: Any) -> str:
    return call["tool"] if isinstance(call, dict) else call.tool


@pytest.mark.parametrize("scenario_id", bundled_ids())
def test_episodes_touch_nothing_real(scenario_id: str) -> None:
    scenario = load_bundled(scenario_id)
    env = env_for(scenario)
    env.reset()  # the first build may import lazily; the episodes below must not touch anything
    with watching() as events:
        for calls in scenario.solutions.values():
            env.reset()
            run_with_probes(env, list(calls))
    assert events == [], _report(events)


def test_the_hook_sees_real_access(tmp_path) -> None:
    with watching() as events:
        (tmp_path / "probe.txt").write_text("x")
    assert any(event == "open" for event, _ in events)


def test_a_probe_after_submit_would_prove_nothing() -> None:
    """Why the probes go before ``submit``: after it every call is refused unseen."""
    env = env_for(load_bundled("organise-downloads"))
    env.reset()
    env.step({"tool": "submit", "arguments": {"answer": "x"}})
    info = env.step({"tool": "fs_read_file", "arguments": {"path": "/etc/passwd"}})[-1]
    assert info["feedback"].error.type == "episode_over"


def _all_faults_scenario(rotation: int) -> Scenario:
    """checkout-hiccups with every fault kind at once, probabilistic; file faults target the
    notes folder (not ~/.config, so the typed tools still find their key and send requests).
    The order is rotated so that every kind gets to be the first to match."""
    kinds = list(KINDS.items())
    kinds = kinds[rotation % len(kinds) :] + kinds[: rotation % len(kinds)]
    faults = [
        {"id": f"f-{kind.replace('_', '-')}", "kind": kind, "trigger": {"probability": 0.5},
         **({"target": {"path": "~/notes/**"}} if info.layer == "file" else {})}
        for kind, info in kinds
    ]  # fmt: skip
    data = load_bundled("checkout-hiccups").model_dump()
    data.update(
        id="all-faults", faults=faults, tools=["fs_*", "http_request", "browser_*", "shop_*"]
    )
    return Scenario.model_validate(data)


def test_every_fault_kind_fires_and_touches_nothing_real() -> None:
    """Faults act inside the world too: a timeout, a garbled body or a vanished file must never
    reach the real disk, network or processes — and every kind really fires in this test."""
    by_id = {f"f-{kind.replace('_', '-')}": kind for kind in KINDS}
    fired_kinds: set[str] = set()
    scenarios = [_all_faults_scenario(rotation) for rotation in range(len(KINDS))]
    envs = [env_for(scenario) for scenario in scenarios]
    for env in envs:
        env.reset()
    with watching() as events:
        for scenario, env in zip(scenarios, envs, strict=True):
            for fault_seed in range(3):
                env.reset(options={"fault_seed": fault_seed})
                fired = run_with_probes(env, list(scenario.solutions["api-retry"])[:-1])
                for call in (
                    {"tool": "fs_read_file", "arguments": {"path": "~/notes/shop-login.txt"}},
                    {
                        "tool": "fs_write_file",
                        "arguments": {"path": "~/notes/x.txt", "content": "x"},
                    },
                    {"tool": "fs_list_dir", "arguments": {"path": "~/notes"}},
                    {"tool": "browser_goto", "arguments": {"url": "https://shop.example/"}},
                    {"tool": "browser_goto", "arguments": {"url": "https://shop.example/login"}},
                ):
                    feedback = env.step(call)[-1]["feedback"]
                    fired += [feedback.fault] if feedback.fault else []
                env.step({"tool": "submit", "arguments": {"answer": "done"}})
                fired_kinds |= {by_id[fault_id] for fault_id in fired}
    assert events == [], _report(events)
    assert fired_kinds == set(KINDS), f"never fired: {sorted(set(KINDS) - fired_kinds)}"
