"""Benchmark: scoring a 50-step episode (target: ≤ 5 ms), and what watching costs per step.

Run: .venv/bin/python bench/score_bench.py [--steps 50] [--repeat 200]

The episode is organise-downloads' first reference solution padded with reads, failed calls
and retries up to --steps, so every part of the scorer has work to do. Reference solutions are
run once before timing (they are cached per scenario version, as in real use).
"""

from __future__ import annotations

import argparse
import statistics
import time

from sandbox.env import ToolEnv
from scenarios import env_for, load_bundled, score_episode
from scenarios.reference import reference_stats


def _padded_calls(steps: int) -> list[dict]:
    scenario = load_bundled("organise-downloads")
    solution = [call.model_dump() for call in scenario.solutions["one-by-one"]]
    padding = [
        {"tool": "fs_read_file", "arguments": {"path": "~/Downloads/meeting-notes.txt"}},
        {"tool": "fs_list_dir", "arguments": {"path": "~/Downloads", "pattern": "*.pdf"}},
        {"tool": "fs_read_file", "arguments": {"path": "~/Downloads/nothing.txt"}},
        {"tool": "fs_search", "arguments": {"pattern": "invoice", "path": "~/Documents"}},
        {"tool": "fs_stat", "arguments": {"path": "~/Documents/tax-return-2024.pdf"}},
    ]
    extra = [padding[i % len(padding)] for i in range(max(0, steps - len(solution)))]
    return solution[:2] + extra + solution[2:]


def _run(env: ToolEnv, calls: list[dict]) -> float:
    env.reset()
    started = time.perf_counter()
    for call in calls:
        env.step(call)
    return (time.perf_counter() - started) * 1000 / len(calls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    # room for the padded episode to finish (the scenario allows 40 steps)
    scenario = load_bundled("organise-downloads").model_copy(update={"max_steps": 10_000})
    calls = _padded_calls(args.steps)
    reference_stats(scenario)  # warm the per-scenario cache, as a running service would be

    env = env_for(scenario)
    per_step = [_run(env, calls) for _ in range(20)]
    episode = env.episode
    assert episode is not None and len(episode.steps) == len(calls)
    timings = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        report = score_episode(scenario, episode)
        timings.append((time.perf_counter() - started) * 1000)

    bare = env_for(scenario)
    bare._observer = None  # the same env without watching, to price the watcher
    bare_step = [_run(bare, calls) for _ in range(20)]

    median = statistics.median(timings)
    print(f"episode: {len(calls)} steps, overall {report.overall:.3f}")
    print(
        f"score_episode: median {median:.2f} ms, p90 "
        f"{statistics.quantiles(timings, n=10)[-1]:.2f} ms over {args.repeat} runs "
        f"(target ≤ 5 ms) {'OK' if median <= 5 else 'OVER'}"
    )
    print(
        f"env step with watching {statistics.median(per_step):.3f} ms, without "
        f"{statistics.median(bare_step):.3f} ms"
    )


if __name__ == "__main__":
    main()
