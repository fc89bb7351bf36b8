"""``sandbox replay``: show a recording step by step, or verify that recordings reproduce
exactly (one, or a whole dataset across worker processes)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.progress import Progress
from rich.syntax import Syntax

from recorder.replay import VerifyReport, verify_files
from recorder.stats import trajectory_files
from recorder.storage import Trajectory, load_trajectory
from sandbox.cli.common import console, errors, fail, handles_errors, print_json
from scenarios.library import resolve


def _show(trajectory: Trajectory, start: int) -> None:
    header = trajectory.header
    console.print(
        f"[bold]{escape(header.scenario_id)}[/] · seed {header.seed} · actor "
        f"{escape(header.actor)} · {len(trajectory.steps)} steps"
    )
    for step in trajectory.steps[start:]:
        colour = {"success": "green", "partial": "yellow", "failure": "red"}[step.feedback.status]
        title = f"step {step.index} · {step.call.tool} · [{colour}]{step.feedback.status}[/]"
        body = ""
        if step.call.thought:
            body += f"[italic]{escape(step.call.thought)}[/]\n"
        body += f"[dim]{escape(str(step.call.arguments))}[/]\n\n{escape(step.observation)}"
        for change in step.feedback.changes:
            body += f"\n[cyan]{change.op} {escape(change.target)}[/]"
        console.print(Panel(body, title=title, title_align="left"))
    if trajectory.end:
        console.print(f"end: {trajectory.end.outcome}, score {trajectory.end.score:.2f}")
    if trajectory.torn_tail is not None:
        console.print("[yellow]the last line is torn (a crash mid-write); shown up to it[/]")


@handles_errors
def replay(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="TRAJ...",
            help="Trajectory (.jsonl); with --verify, any number of files and folders.",
        ),
    ],
    verify_: Annotated[
        bool,
        typer.Option(
            "--verify", help="Re-execute every call and compare; exit 1 on any difference."
        ),
    ] = False,
    step: Annotated[int, typer.Option("--step", help="Show from step K on.")] = 0,
    scenario: Annotated[
        str | None, typer.Option("--scenario", help="Scenario file, if not bundled.")
    ] = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=0, help="Worker processes for --verify of many (0: one per CPU)."
        ),
    ] = 1,
    json: Annotated[bool, typer.Option("--json", help="Print JSON (with --verify).")] = False,
) -> None:
    """Show a recorded episode step by step, or --verify that recordings reproduce exactly."""
    files = trajectory_files(paths)
    if not verify_:
        if len(files) != 1:
            raise fail(f"showing takes one trajectory, not {len(files)}; to check many, --verify")
        trajectory = load_trajectory(files[0])
        if not 0 <= step <= len(trajectory.steps):
            raise fail(f"--step must be between 0 and {len(trajectory.steps)}, not {step}")
        _show(trajectory, step)
        return
    if not files:
        raise fail("no trajectories found in " + ", ".join(map(str, paths)))
    chosen = resolve(scenario) if scenario else None
    if len(files) == 1 and paths[0].is_file():
        (report,) = verify_files(files, chosen)
        _report_one(report, json)
        if not report.identical:
            raise typer.Exit(1)
        return
    started = time.perf_counter()
    reports: list[VerifyReport] = []
    with Progress(console=console, transient=True, disable=json) as progress:
        task = progress.add_task("verifying", total=len(files))
        for report in verify_files(files, chosen, jobs=jobs):
            reports.append(report)
            progress.advance(task)
    _report_many(reports, time.perf_counter() - started, json)
    if not all(r.identical for r in reports):
        raise typer.Exit(1)


def _report_one(report: VerifyReport, json: bool) -> None:
    if json:
        print_json(report.as_json())
        return
    if report.error:
        errors.print(f"[red]error[/]: {escape(report.error)}")
        return
    if report.scenario_changed:
        errors.print(
            "[yellow]warning:[/] the scenario changed since this was recorded: "
            + ", ".join(report.scenario_changed)
        )
    if report.first is None:
        console.print(f"[green]identical[/]: {report.steps} steps reproduce exactly")
    else:
        console.print(
            f"[red]diverges[/] at step {report.first.step} ({report.first.field}); "
            f"{len(report.divergent_steps)} divergent step(s): {report.divergent_steps}"
        )
        console.print(Syntax(report.first.diff, "diff", word_wrap=True))


def _report_many(reports: list[VerifyReport], seconds: float, json: bool) -> None:
    steps = sum(r.steps for r in reports)
    bad = [r for r in reports if not r.identical]
    if json:
        print_json(
            {
                "recordings": len(reports),
                "identical": len(reports) - len(bad),
                "diverged": len(bad),
                "steps": steps,
                "seconds": round(seconds, 3),
                "reports": [r.as_json() for r in reports],
            }
        )
        return
    for report in bad:
        if report.error:
            console.print(f"[red]error[/] {escape(report.error)}")
        elif report.first is not None:
            console.print(
                f"[red]diverges[/] {escape(report.path)} at step {report.first.step} "
                f"({report.first.field}); replay it alone to see the diff"
            )
    colour = "red" if bad else "green"
    console.print(
        f"[{colour}]{len(reports) - len(bad)} of {len(reports)} identical[/]: {steps} steps "
        f"in {seconds:.2f} s ({steps / seconds if seconds else 0:,.0f} steps/s)"
    )
