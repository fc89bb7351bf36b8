"""``python -m bench [--smoke] [--out FILE] [--tau-bench PATH]``: every measure, as ratios
measured in one run.

Prints a table and writes the figures as JSON (default ``bench/results.json``, git-ignored).
``--smoke`` runs the same code at tiny sizes (the test suite runs it so the benchmarks cannot
rot; its figures mean nothing). ``--tau-bench PATH`` adds tau-bench's retail environment, run
from a checkout at PATH, beside ours (``bench/taubench.py``).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

from rich.console import Console
from rich.table import Table

from bench.library import (
    browser_observation,
    browser_step,
    replay_throughput,
    scoring_50_steps,
)
from bench.steps import fs_read_step, http_step, recording_overhead
from bench.taubench import checkout_problem, taubench_retail
from bench.timing import Result
from bench.worldcost import memory_per_env, reset_scaling, reset_vs_build, vector_efficiency

FULL = {
    "steps": 400,
    "episodes": 120,
    "resets": 200,
    "scaling": (10, 100, 1_000, 10_000),
    "memory": 1_000,
    "vector": (64, 6_400),
    "replay": 3,
    "score": 200,
    "browser": 500,
}
SMOKE = {
    "steps": 3,
    "episodes": 2,
    "resets": 3,
    "scaling": (10, 40),
    "memory": 3,
    "vector": (2, 4),
    "replay": 1,
    "score": 3,
    "browser": 3,
}


def measures(size: dict) -> list[tuple[str, Callable[[], Result | list[Result]]]]:
    return [
        ("fs step", lambda: fs_read_step(size["steps"])),
        ("http step", lambda: http_step(size["steps"])),
        ("recording", lambda: recording_overhead(size["episodes"])),
        ("reset", lambda: reset_vs_build(size["resets"])),
        ("reset scaling", lambda: reset_scaling(size["scaling"], size["resets"] // 4 or 1)),
        ("replay", lambda: replay_throughput(size["replay"])),
        ("scoring", lambda: scoring_50_steps(size["score"])),
        ("browser", lambda: browser_observation(size["browser"])),
        ("browser step", lambda: browser_step(size["browser"])),
        ("memory", lambda: memory_per_env(size["memory"])),
        ("vector", lambda: vector_efficiency(*size["vector"])),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="Tiny sizes: checks it runs.")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("results.json"))
    parser.add_argument("--only", nargs="*", help="Run only these measures (by name).")
    parser.add_argument(
        "--tau-bench",
        type=Path,
        metavar="PATH",
        help="A checkout of sierra-research/tau-bench: also measure its retail env (a peer).",
    )
    args = parser.parse_args(argv)
    if args.tau_bench is not None and (problem := checkout_problem(args.tau_bench)):
        parser.error(f"--tau-bench {problem}")
    console = Console()
    size = SMOKE if args.smoke else FULL
    results: list[Result] = []
    chosen = [(n, f) for n, f in measures(size) if not args.only or n in args.only]
    if args.tau_bench is not None:
        chosen.append(("tau-bench", lambda: taubench_retail(args.tau_bench)))
    with console.status("measuring") as status:
        for name, measure in chosen:
            status.update(f"measuring {name}")
            outcome = measure()
            results.extend(outcome if isinstance(outcome, list) else [outcome])
    table = Table("measure", "value", "target", "", "detail", title="agent-sandbox benchmarks")
    for result in results:
        mark = {True: "[green]ok[/]", False: "[red]missed[/]", None: "-"}[result.ok]
        table.add_row(result.name, f"{result.value:,.3g} {result.unit}", result.target, mark,
                      result.detail)  # fmt: skip
    console.print(table)
    args.out.write_text(
        json.dumps(
            {
                "smoke": args.smoke,
                "python": sys.version.split()[0],
                "machine": platform.machine(),
                "results": [asdict(result) for result in results],
            },
            indent=2,
        )
        + "\n",
        encoding="utf-8",
    )
    console.print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
