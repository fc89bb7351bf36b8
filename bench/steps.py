"""What one step costs next to the work it wraps, and what recording adds."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from pyfakefs.fake_filesystem import FakeFileOpen

from bench.timing import Result, median_of_batches, paired_ratio, settle
from bench.worlds import AUTH, ORDER_URL, fresh_env, http_call, read_call
from recorder.recorder import Recorder


def fs_read_step(size: int) -> Result:
    """env.step(fs_read_file) with recording (per-episode durability) ÷ the pyfakefs read."""
    env = fresh_env()
    world = env.world
    assert world is not None
    path = world.fs.resolve(read_call()["arguments"]["path"])
    opener = FakeFileOpen(world.fs.fs)

    def raw_open_read() -> None:
        with opener(path, "rb") as handle:
            handle.read()

    raw = median_of_batches(raw_open_read, 50, size)
    raw_object = median_of_batches(lambda: world.fs.fs.get_object(path).byte_contents, 200, size)
    with tempfile.TemporaryDirectory() as folder:
        recorded = Recorder(env, Path(folder) / "t.jsonl", durability="episode")
        call = read_call()
        samples = []
        for _ in range(size):  # a fresh episode per batch: an episode has at most max_steps
            recorded.reset()
            started = time.perf_counter()
            for _ in range(50):
                recorded.step(call)
            samples.append((time.perf_counter() - started) / 50)
        recorded.close()
        step = statistics.median(samples)
    ratio = step / raw
    return Result(
        "fs_read_file step ÷ pyfakefs open+read",
        ratio,
        "x",
        "≤ 1.5x",
        ratio <= 1.5,
        f"step {step * 1e6:.0f} µs (recorded), pyfakefs open+read {raw * 1e6:.0f} µs, "
        f"get_object {raw_object * 1e6:.1f} µs (step ÷ get_object {step / raw_object:.1f}x)",
        {"step_us": step * 1e6, "raw_us": raw * 1e6, "get_object_us": raw_object * 1e6},
    )


def http_step(size: int) -> Result:
    """env.step(http_request GET) ÷ the raw httpx call through the same router."""
    env = fresh_env()
    world = env.world
    assert world is not None
    raw = median_of_batches(lambda: world.http.get(ORDER_URL, headers=AUTH), 20, size)
    call = http_call()
    samples = []
    for _ in range(size):
        env.reset()
        started = time.perf_counter()
        for _ in range(20):
            env.step(call)
        samples.append((time.perf_counter() - started) / 20)
    step = statistics.median(samples)
    ratio = step / raw
    return Result(
        "http_request GET step ÷ raw httpx call",
        ratio,
        "x",
        "≤ 1.5x",
        ratio <= 1.5,
        f"step {step * 1e6:.0f} µs, raw httpx through the router {raw * 1e6:.0f} µs",
        {"step_us": step * 1e6, "raw_us": raw * 1e6},
    )


def recording_overhead(size: int) -> list[Result]:
    """Per-episode and per-step durability ÷ no recorder, over a mixed read/HTTP episode. The
    three run one episode each in turn, ``size`` times, and each figure is the median of its
    episodes: a slow spell of the machine then costs all three alike."""
    calls = [read_call(n) if n % 2 else http_call() for n in range(19)]
    calls.append({"tool": "submit", "arguments": {"answer": "done"}})  # scored in both runs

    def episode(env) -> float:
        started = time.perf_counter()
        env.reset()
        for call in calls:
            env.step(call)
        return time.perf_counter() - started

    with tempfile.TemporaryDirectory() as folder:
        envs = {
            "bare": fresh_env(),
            "episode": Recorder(fresh_env(), Path(folder) / "e.jsonl", durability="episode"),
            "step": Recorder(fresh_env(), Path(folder) / "s.jsonl", durability="step"),
        }
        samples: dict[str, list[float]] = {name: [] for name in envs}
        for env in envs.values():  # warm-up
            episode(env)
            episode(env)
        settle()
        for round_number in range(size):
            order = list(envs)
            order = order[round_number % 3 :] + order[: round_number % 3]
            for name in order:
                samples[name].append(episode(envs[name]))
        for env in envs.values():
            env.close()
    bare, per_episode, per_step = (
        statistics.median(samples[name]) for name in ("bare", "episode", "step")
    )
    episode_ratio = paired_ratio(samples["episode"], samples["bare"])  # each round's, median
    step_ratio = paired_ratio(samples["step"], samples["bare"])
    return [
        Result(
            "recording, per-episode durability ÷ none",
            episode_ratio,
            "x",
            "≤ 1.1x",
            episode_ratio <= 1.1,
            f"{bare * 1e3:.2f} ms bare vs {per_episode * 1e3:.2f} ms for a 20-step episode "
            f"(medians of {size}, taken in turn; their ratio {per_episode / bare:.2f}, the "
            f"figure is the median of the rounds' own ratios)",
            {"ratio_of_medians": per_episode / bare},
        ),
        Result(
            "recording, fsync every step ÷ none",
            step_ratio,
            "x",
            "report",
            None,
            f"{per_step * 1e3:.2f} ms for a 20-step episode (ratio of medians "
            f"{per_step / bare:.2f})",
        ),
    ]
