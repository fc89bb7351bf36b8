"""Reset, build, memory and vectorised stepping: what a world costs to keep and to restore."""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable

from bench.timing import Result, median_s, paired_ratio, settle
from bench.worlds import fresh_env, read_call, scenario, write_call
from scenarios import env_for, vector_env
from scenarios.build import build_world

TOUCHED = 5


def reset_vs_build(size: int) -> Result:
    """env.reset of a 200-file, 3-service world after an episode, vs building it anew."""
    spec = scenario(200)
    env = fresh_env(200)

    def episode_then_reset() -> None:
        for n in range(TOUCHED):
            env.step(write_call(n))
        started = time.perf_counter()
        env.reset()
        samples.append(time.perf_counter() - started)

    samples: list[float] = []
    for _ in range(size):
        episode_then_reset()
    samples.sort()
    reset = samples[len(samples) // 2]
    build = median_s(lambda: build_world(spec), max(3, size // 10), warmup=1)
    return Result(
        "reset (200 files + 3 services)",
        reset * 1e3,
        "ms",
        "≤ 1 ms, ≥ 10x cheaper than a build",
        reset <= 1e-3 and build / reset >= 10,
        f"build {build * 1e3:.1f} ms → reset is {build / reset:.0f}x cheaper",
        {"build_ms": build * 1e3},
    )


def reset_scaling(sizes: tuple[int, ...], repeat: int) -> Result:
    """Reset cost as the world grows, touching the same few files each episode."""
    costs: dict[int, float] = {}
    for files in sizes:
        env = fresh_env(files)
        samples = []
        for _ in range(repeat):
            for n in range(TOUCHED):
                env.step(write_call(n))
            started = time.perf_counter()
            env.reset()
            samples.append(time.perf_counter() - started)
        samples.sort()
        costs[files] = samples[len(samples) // 2]
    small, large = costs[sizes[0]], costs[sizes[-1]]
    growth = (large / small) / (sizes[-1] / sizes[0])
    shown = ", ".join(f"{n}: {c * 1e6:.0f} µs" for n, c in costs.items())
    return Result(
        "reset growth ÷ world growth",
        growth,
        "x",
        "sub-linear (≪ 1)",
        growth < 0.5,
        shown,
        {f"reset_us_{n}": c * 1e6 for n, c in costs.items()},
    )


def memory_per_env(count: int) -> Result:
    """Memory per live env (200 files, 3 services), from ``count`` envs in one process."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    envs = [fresh_env(200) for _ in range(count)]
    for env in envs:
        env.step(read_call())
    gc.collect()
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    per_env = (after - before) / count / 2**20
    del envs
    return Result(
        f"memory per live env ({count} envs)",
        per_env,
        "MiB",
        "≤ 1 MiB",
        per_env <= 1.0,
        "tracemalloc, 200 files + shop, helpdesk, calendar",
    )


def vector_efficiency(envs: int, steps: int, rounds: int = 15) -> Result:
    """SyncVectorEnv of ``envs`` envs, built by ``scenarios.vector_env`` as a trainer would
    (worlds built once, then frozen out of the GC's walks): steps/s ÷ (envs x single-env
    steps/s). Beside it, the same worlds stepped one after another without the wrapper: what
    ``envs`` live worlds cost by themselves, apart from the wrapper. The three are timed in
    turn (each leading in turn), ``rounds`` times, and each ratio is the median of the rounds'
    own ratios (a noisy neighbour then slows both sides of a ratio alike rather than one)."""
    spec = scenario(200)
    action = read_call()
    batches = max(1, steps // envs)

    def seconds_per_step(run: Callable[[], None], count: int) -> float:
        settle()
        started = time.perf_counter()
        run()
        return (time.perf_counter() - started) / count

    single = env_for(spec)
    single.reset(seed=0)
    vector = vector_env(spec, envs, seed=0)
    plain = list(vector.envs)
    batch = tuple([action] * envs)
    count = batches * envs
    timings: dict[str, list[float]] = {"single": [], "plain": [], "vector": []}
    phases: dict[str, Callable[[], None]] = {
        "single": lambda: [single.step(action) for _ in range(count)],
        "plain": lambda: [env.step(action) for _ in range(batches) for env in plain],
        "vector": lambda: [vector.step(batch) for _ in range(batches)],
    }
    for round_number in range(rounds):
        order = list(phases)  # each phase leads in turn: none always follows the same one
        order = order[round_number % 3 :] + order[: round_number % 3]
        for name in order:
            run = phases[name]
            # Every phase starts from fresh episodes (an episode has max_steps), so none walks
            # the steps another phase left alive in its garbage collections.
            single.reset()
            vector.reset()
            timings[name].append(seconds_per_step(run, count))
    vector.close()
    plain.clear()
    gc.unfreeze()  # what vector_env froze: the other measures run as before
    single_rate, plain_rate, vector_rate = (
        1 / statistics.median(timings[name]) for name in ("single", "plain", "vector")
    )
    # each round's ratio (the three phases of a round run back to back), median over rounds
    efficiency = paired_ratio(timings["single"], timings["vector"])
    plain_ratio = paired_ratio(timings["single"], timings["plain"])
    wrapper_ratio = paired_ratio(timings["plain"], timings["vector"])
    wrapper_us = (1 / vector_rate - 1 / plain_rate) * 1e6
    return Result(
        f"SyncVectorEnv({envs}) steps/s ÷ {envs} x single",
        efficiency,
        "",
        "≥ 0.9",
        efficiency >= 0.9,
        f"single {single_rate:.0f} steps/s, vector {vector_rate:.0f} env-steps/s (medians; "
        f"their ratio {vector_rate / single_rate:.2f}); {envs} plain envs in turn "
        f"{plain_rate:.0f} ({plain_ratio:.2f} of single: the worlds' own cost), wrapper "
        f"{wrapper_ratio:.2f} of that (gymnasium's bookkeeping: {wrapper_us:.1f} µs per "
        f"env-step next to a {1e6 / single_rate:.0f} µs step); ratios are medians of "
        f"{rounds} rounds' own ratios",
        {
            "plain_ratio": plain_ratio,
            "wrapper_ratio": wrapper_ratio,
            "wrapper_us_per_env_step": wrapper_us,
            "ratio_of_medians": vector_rate / single_rate,
        },
    )
