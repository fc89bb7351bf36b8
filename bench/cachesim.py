"""``python -m bench.cachesim [--envs 64] [--steps 3200] [--json]``: the vector measure on
simulated caches, where noisy neighbours cannot reach it.

The wall-clock ratio of ``SyncVectorEnv(64)`` to one env moves between 0.73 and 0.95 on a
shared VM from one run to the next. Here valgrind's callgrind counts, for the same steps, the
instructions and the misses of a simulated L1 (32 KiB) and L2 (``--l2``, 512 KiB: this machine's
per-core share), which repeat to within 1% whatever else the machine does. Estimated cycles per
env-step = instructions + 10 x L1 misses + 40 x L2 misses (an L2 hit and an L3 hit, roughly); the
ratio is single ÷ vector, as in ``bench/worldcost.py``. What it cannot see is the latency of an
L2 miss on the real machine: served by L3 it costs ~40 cycles, from memory (when neighbours have
filled the shared L3) ~300, so the L2-miss count per step is printed beside the ratio.

Each side runs in its own process under valgrind, the two side by side (~3 minutes; build and
warm-up are not instrumented): both build one env and a vector of ``--envs``, then one steps
the single env and the other the vector.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

L1_MISS_CYCLES = 10
L2_MISS_CYCLES = 40
COUNTS = {
    "instructions": "I   refs",
    "i1_misses": "I1  misses",
    "d1_misses": "D1  misses",
    "l2i_misses": "LLi misses",
    "l2d_misses": "LLd misses",
}


def parse_summary(text: str) -> dict[str, int]:
    """The counts from valgrind's closing summary (``==PID== I   refs:  213,425,939``)."""
    counts = {}
    for name, label in COUNTS.items():
        found = re.search(re.escape(label) + r":\s+([\d,]+)", text)
        if found is None:
            raise ValueError(f"valgrind's summary has no {label!r} line; is --cache-sim=yes on?")
        counts[name] = int(found.group(1).replace(",", ""))
    return counts


def cycles(counts: dict[str, int]) -> float:
    l1 = counts["i1_misses"] + counts["d1_misses"]
    l2 = counts["l2i_misses"] + counts["l2d_misses"]
    return counts["instructions"] + L1_MISS_CYCLES * l1 + L2_MISS_CYCLES * l2


def env_steps(steps: int, envs: int) -> int:
    """The env-steps each side takes for ``--steps``: whole batches of ``envs``."""
    return max(1, steps // envs) * envs


def step_under_callgrind(mode: str, envs: int, steps: int) -> None:
    """The child: build, warm up, then step ``mode``'s side with instrumentation on."""
    from bench.worlds import read_call, scenario
    from scenarios import env_for, vector_env

    spec, action = scenario(200), read_call()
    single = env_for(spec)
    single.reset(seed=0)
    vector = vector_env(spec, envs, seed=0)
    batch = tuple([action] * envs)
    total = env_steps(steps, envs)
    if mode == "single":
        run = lambda: [single.step(action) for _ in range(total)]  # noqa: E731
    else:
        run = lambda: [vector.step(batch) for _ in range(total // envs)]  # noqa: E731
    run()  # warm-up: every path taken once, caches filled
    single.reset()
    vector.reset()
    control = ["callgrind_control", "-i"]
    subprocess.run([*control, "on", str(os.getpid())], check=True, capture_output=True)
    run()
    subprocess.run([*control, "off", str(os.getpid())], check=True, capture_output=True)


def simulate(mode: str, envs: int, steps: int, l2_bytes: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        log = Path(folder) / "valgrind.log"
        command = [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            "--cache-sim=yes",
            "--I1=32768,8,64",
            "--D1=32768,8,64",
            f"--LL={l2_bytes},8,64",
            f"--log-file={log}",
            f"--callgrind-out-file={Path(folder) / 'callgrind.out'}",
            sys.executable,
            "-m",
            "bench.cachesim",
            "--child",
            mode,
            "--envs",
            str(envs),
            "--steps",
            str(steps),
        ]
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        text = log.read_text() if log.exists() else ""
        if done.returncode != 0:
            tail = "\n".join((text + done.stderr).strip().splitlines()[-15:])
            raise SystemExit(f"error: the {mode} side failed under valgrind:\n{tail}")
        counts = parse_summary(text)
    taken = env_steps(steps, envs)
    per_step: dict[str, float] = {name: value / taken for name, value in counts.items()}
    per_step["cycles"] = cycles(counts) / taken
    return per_step


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.cachesim", description=__doc__)
    parser.add_argument("--envs", type=int, default=64, help="envs in the vector (default 64)")
    parser.add_argument("--steps", type=int, default=3200, help="env-steps timed on each side")
    parser.add_argument("--l2", type=int, default=512 * 1024, help="simulated L2 bytes")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--child", choices=("single", "vector"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        step_under_callgrind(args.child, args.envs, args.steps)
        return 0
    missing = [tool for tool in ("valgrind", "callgrind_control") if shutil.which(tool) is None]
    if missing:
        print(f"error: {', '.join(missing)} not found; install valgrind", file=sys.stderr)
        return 2
    with ThreadPoolExecutor(2) as pool:  # one valgrind process per side, side by side
        futures = {
            mode: pool.submit(simulate, mode, args.envs, args.steps, args.l2)
            for mode in ("single", "vector")
        }
        sides = {mode: future.result() for mode, future in futures.items()}
    ratio = sides["single"]["cycles"] / sides["vector"]["cycles"]
    if args.json:
        print(json.dumps({"ratio": ratio, **sides}, indent=2))
        return 0
    for mode, figures in sides.items():
        print(
            f"{mode:7s} per env-step: {figures['instructions']:,.0f} instructions, "
            f"{figures['d1_misses']:,.0f} L1d misses, "
            f"{figures['l2i_misses'] + figures['l2d_misses']:,.0f} L2 misses, "
            f"~{figures['cycles']:,.0f} cycles"
        )
    print(f"SyncVectorEnv({args.envs}) ÷ {args.envs} x single, simulated: {ratio:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
