"""Whole-library work: replay --verify throughput, scoring, the browser's page observation and a
whole browser step."""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench.timing import Result, median_s, settle
from recorder.replay import verify, verify_files
from recorder.rerun import recorded_action
from recorder.runner import solve
from recorder.storage import Trajectory, load_trajectory
from sandbox.browser.page import parse_page
from sandbox.env import ToolEnv
from sandbox.types import ToolCall
from scenarios import env_for, load_bundled, score_episode
from scenarios.build import build_world
from scenarios.library import bundled_ids
from scenarios.reference import reference_stats


def replay_throughput(rounds: int) -> Result:
    """``replay --verify`` over every bundled reference solution: steps per second."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for scenario_id in bundled_ids():
            scenario = load_bundled(scenario_id)
            for name in scenario.solutions:
                out = Path(folder) / f"{scenario_id}-{name}.jsonl"
                paths.append(solve(scenario, name, out=out, durability="episode").path)
        trajectories = [load_trajectory(path) for path in paths]
        steps = sum(len(t.steps) for t in trajectories)
        for trajectory in trajectories:  # warm the scenario caches, as a long-lived run would
            verify(trajectory)
        settle()
        started = time.perf_counter()
        for _ in range(rounds):
            for trajectory in trajectories:
                report = verify(trajectory)
                assert report.identical, f"{trajectory.path} diverged"
        rate = rounds * steps / (time.perf_counter() - started)
        workers = os.cpu_count() or 1
        settle()
        started = time.perf_counter()
        for _ in range(rounds):  # what `sandbox replay DIR --verify -j 0` does with a dataset
            reports = list(verify_files(paths, jobs=workers))
            assert all(report.identical for report in reports)
        parallel = rounds * steps / (time.perf_counter() - started)
    families = _cost_by_family(trajectories)
    # the calls alone (env.step and reset, no comparison, no end score): what verify adds to it
    alone = steps / sum(cost * count / 1e6 for cost, count in families.values())
    return Result(
        "replay --verify, bundled library",
        rate,
        "steps/s",
        "≥ 20,000",
        rate >= 20_000,
        f"{len(trajectories)} recordings, {steps} steps; the calls alone (reset + env.step) "
        f"{alone:,.0f} steps/s, verify {alone / rate:.2f}x their time; {parallel:,.0f} steps/s "
        f"over {workers} worker processes (-j 0, worker start-up included); µs per step: "
        + ", ".join(f"{name} {cost:.0f} ({count})" for name, (cost, count) in families.items()),
        {
            "parallel_steps_per_s": parallel,
            "calls_alone_steps_per_s": alone,
            **{f"{n}_us": c for n, (c, _) in families.items()},
        },
    )


def _family(tool: str) -> str:
    prefix = tool.split("_")[0]
    if prefix in ("fs", "browser", "http"):
        return prefix
    return "other" if prefix in ("submit", "wait", "ask") else "typed api"


def _cost_by_family(trajectories: list[Trajectory]) -> dict[str, tuple[float, int]]:
    """Mean µs per re-executed step by kind of tool, and per
    reset (what bounds the replay rate: the tools' own work, not the comparison)."""
    spent: dict[str, float] = defaultdict(float)
    count: dict[str, int] = defaultdict(int)
    envs: dict[str, ToolEnv] = {}
    for trajectory in trajectories:
        env = envs.get(trajectory.header.scenario_id)
        if env is None:  # built once per scenario and reset after, as replay's pool does
            env = env_for(load_bundled(trajectory.header.scenario_id), score_at_end=False)
            env.reset()
            envs[trajectory.header.scenario_id] = env
        started = time.perf_counter()
        env.reset(seed=trajectory.header.seed, options={"fault_seed": trajectory.header.fault_seed})
        spent["reset"] += time.perf_counter() - started
        count["reset"] += 1
        for step in trajectory.steps:
            family = _family(step.call.tool)
            started = time.perf_counter()
            env.step(recorded_action(step))
            spent[family] += time.perf_counter() - started
            count[family] += 1
    for env in envs.values():
        env.close()
    order = sorted(spent, key=lambda name: -spent[name])
    return {name: (spent[name] / count[name] * 1e6, count[name]) for name in order}


def scoring_50_steps(repeat: int) -> Result:
    """Scoring a 50-step episode (organise-downloads padded with reads and failures)."""
    scenario = load_bundled("organise-downloads").model_copy(update={"max_steps": 10_000})
    solution = [call.model_dump() for call in scenario.solutions["one-by-one"]]
    padding = [
        {"tool": "fs_read_file", "arguments": {"path": "~/Downloads/meeting-notes.txt"}},
        {"tool": "fs_list_dir", "arguments": {"path": "~/Downloads", "pattern": "*.pdf"}},
        {"tool": "fs_read_file", "arguments": {"path": "~/Downloads/nothing.txt"}},
        {"tool": "fs_stat", "arguments": {"path": "~/Documents/tax-return-2024.pdf"}},
    ]
    calls = solution[:2] + [padding[i % 4] for i in range(50 - len(solution))] + solution[2:]
    reference_stats(scenario)
    env = env_for(scenario)
    env.reset()
    for call in calls:
        env.step(call)
    episode = env.episode
    assert episode is not None
    cost = median_s(lambda: score_episode(scenario, episode), repeat)
    return Result(
        "score a 50-step episode",
        cost * 1e3,
        "ms",
        "≤ 5 ms",
        cost <= 5e-3,
        f"{len(episode.steps)} steps",
    )


def browser_observation(repeat: int) -> Result:
    """Parsing and rendering a storefront page (the browser's observation)."""
    world = build_world(load_bundled("buy-shopping-list"))
    url = "https://shop.example/search?q=e"
    html = world.network.send("GET", url, headers={}).text
    world.browser.goto(url)
    parse = median_s(lambda: parse_page(url, 200, html), repeat)
    render = median_s(world.browser.render, repeat)
    total = parse + render
    return Result(
        "browser page observation (parse + render)",
        total * 1e3,
        "ms",
        "≤ 2 ms",
        total <= 2e-3,
        f"{len(html)} bytes of HTML; parse {parse * 1e3:.2f} ms, render {render * 1e3:.3f} ms",
    )


def browser_step(repeat: int) -> Result:
    """A whole browser step through the env (``env.step`` of ``browser_goto`` and of
    ``browser_click`` on the storefront's search page: dispatch, the site's handler and Jinja
    template, the mock network, parsing, rendering, feedback), against parsing + rendering the
    same page alone."""
    scenario = load_bundled("buy-shopping-list")
    scenario = scenario.model_copy(update={"max_steps": 10 * repeat + 100})
    env = env_for(scenario, score_at_end=False)
    env.reset()
    url = "https://shop.example/search?q=e"
    goto = ToolCall(tool="browser_goto", arguments={"url": url})
    click = ToolCall(tool="browser_click", arguments={"element": "link-next-page"})
    env.step(goto)
    html = env.world.network.send("GET", url, headers={}).text
    parse_render = median_s(
        lambda: (parse_page(url, 200, html), env.world.browser.render()), repeat
    )
    goto_s = median_s(lambda: env.step(goto), repeat)
    click_samples = []
    for index in range(repeat + max(1, repeat // 10)):
        env.step(goto)
        started = time.perf_counter()
        env.step(click)
        if index >= max(1, repeat // 10):  # after a warm-up
            click_samples.append(time.perf_counter() - started)
    click_s = statistics.median(click_samples)
    env.close()
    step = max(goto_s, click_s)
    return Result(
        "browser step (env.step of goto / click, the slower)",
        step * 1e3,
        "ms",
        "(no target yet)",
        None,
        f"goto {goto_s * 1e3:.2f} ms ({goto_s / parse_render:.1f}x parse+render), click "
        f"{click_s * 1e3:.2f} ms ({click_s / parse_render:.1f}x); parse+render "
        f"{parse_render * 1e3:.2f} ms of {len(html)} bytes",
        extra={
            "goto_ms": goto_s * 1e3,
            "click_ms": click_s * 1e3,
            "parse_render_ms": parse_render * 1e3,
            "goto_ratio": goto_s / parse_render,
            "click_ratio": click_s / parse_render,
        },
    )
