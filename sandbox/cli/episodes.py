"""Commands that run episodes: solve, run and demo."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import Progress
from rich.table import Table

from recorder.runner import RunResult, run_actions, solve
from sandbox.cli.common import console, fail, handles_errors, print_json, refuse_overwrite
from scenarios.library import bundled_ids, load_bundled, resolve

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
ScenarioArg = Annotated[str, typer.Argument(help="A bundled scenario id, or a scenario file.")]
ForceOption = Annotated[bool, typer.Option("--force", help="Overwrite an existing --out.")]
OutOption = Annotated[Path, typer.Option("--out", "-o", help="Trajectory file to write (.jsonl).")]
SeedOption = Annotated[
    int | None, typer.Option("--seed", help="World seed (default: the scenario's own).")
]


def _report(result: RunResult, json: bool) -> None:
    if json:
        print_json(result.as_json())
        return
    state = "finished" if result.finished else "not finished (no submit)"
    console.print(
        f"{escape(result.scenario_id)}: {result.steps} steps, {state}, "
        f"score [bold]{result.score:.2f}[/] → {escape(str(result.path))}"
    )


@handles_errors
def solve_command(
    scenario_id: ScenarioArg,
    out: OutOption,
    solution: Annotated[
        str | None, typer.Option("--solution", help="Reference solution name (default: first).")
    ] = None,
    seed: SeedOption = None,
    force: ForceOption = False,
    json: JsonFlag = False,
) -> None:
    """Record one of a scenario's reference solutions."""
    refuse_overwrite(out, force)
    _report(solve(resolve(scenario_id), solution, out=out, seed=seed), json)


@handles_errors
def run(
    scenario_id: ScenarioArg,
    actions: Annotated[Path, typer.Option("--actions", help="JSONL file: one ToolCall per line.")],
    out: OutOption,
    seed: SeedOption = None,
    fault_seed: Annotated[
        int,
        typer.Option(
            "--fault-seed",
            help="Vary the scenario's probabilistic faults without editing it (default 0).",
        ),
    ] = 0,
    force: ForceOption = False,
    json: JsonFlag = False,
) -> None:
    """Run actions from a file and record them. Malformed lines become failed steps."""
    refuse_overwrite(out, force)
    scenario = resolve(scenario_id)
    try:
        lines = actions.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise fail(f"cannot read actions file {actions}: {error.strerror}") from None
    calls = [line for line in lines if line.strip()]
    result = run_actions(
        scenario, calls, out=out, seed=seed, actor=f"file:{actions.name}", fault_seed=fault_seed
    )
    _report(result, json)


@handles_errors
def demo(
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Folder for the recordings (default: a temp folder)."),
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Solve every bundled scenario with every reference solution, record, and tabulate."""
    folder = out or Path(tempfile.mkdtemp(prefix="sandbox-demo-"))
    jobs = [(sid, name) for sid in bundled_ids() for name in load_bundled(sid).solutions]
    results: list[tuple[str, RunResult]] = []
    with Progress(console=console, transient=True, disable=json) as progress:
        task = progress.add_task("solving", total=len(jobs))
        for scenario_id, name in jobs:
            path = folder / f"{scenario_id}--{name}.jsonl"
            results.append((name, solve(load_bundled(scenario_id), name, out=path)))
            progress.advance(task)
    if json:
        print_json([{"solution": name, **result.as_json()} for name, result in results])
    else:
        table = Table("scenario", "solution", "steps", "score", "time (ms)")
        for name, result in results:
            colour = "green" if result.score == 1.0 else "red"
            table.add_row(
                result.scenario_id,
                name,
                str(result.steps),
                f"[{colour}]{result.score:.2f}[/]",
                f"{result.seconds * 1000:.1f}",
            )
        console.print(table)
        perfect = sum(result.score == 1.0 for _, result in results)
        console.print(
            f"{perfect}/{len(results)} reference solutions scored 1.0 · recordings in {folder}"
        )
    if any(result.score != 1.0 for _, result in results):
        raise typer.Exit(1)
