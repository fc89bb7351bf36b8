"""``sandbox replay``: show a recording step by step, or verify that recordings reproduce
exactly (one, or a whole dataset across worker processes)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

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


def _as_json(trajectory: Trajectory, start: int) -> dict[str, Any]:
    """The recording as data: header, the steps from ``start``, end, annotations, reviews."""
    return {
        "path": str(trajectory.path),
        "header": trajectory.header.model_dump(mode="json"),
        "steps": [step.model_dump(mode="json") for step in trajectory.steps[start:]],
        "end": trajectory.end.model_dump(mode="json") if trajectory.end else None,
        "score": trajectory.end.score if trajectory.end else None,
        "annotations": [a.model_dump(mode="json") for a in trajectory.annotations],
        "reviews": [r.model_dump(mode="json") for r in trajectory.reviews],
        "status": trajectory.status,
        "torn_tail": trajectory.torn_tail is not None,
    }


def _warnings(report: VerifyReport, name: str = "") -> None:
    prefix = f"{escape(name)}: " if name else ""
    if report.scenario_changed:
        errors.print(
            f"[yellow]warning:[/] {prefix}the scenario changed since this was recorded: "
            + ", ".join(report.scenario_changed)
        )
    if report.torn_tail:
        errors.print(
            f"[yellow]warning:[/] {prefix}the last line is torn (a crash mid-write); "
            "verified up to it"
        )


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
    json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Show a recorded episode step by step, or --verify that recordings reproduce exactly."""
    files = trajectory_files(paths)
    if not verify_:
        if len(files) != 1:
            raise fail(f"showing takes one trajectory, not {len(files)}; to check many, --verify")
        trajectory = load_trajectory(files[0])
        if not 0 <= step <= len(trajectory.steps):
            raise fail(f"--step must be between 0 and {len(trajectory.steps)}, not {step}")
        if json:
            print_json(_as_json(trajectory, step))
        else:
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
    _warnings(report)
    if report.first is not None:
        console.print(
            f"[red]diverges[/] at step {report.first.step} ({report.first.field}); "
            f"{len(report.divergent_steps)} divergent step(s): {report.divergent_steps}"
        )
        console.print(Syntax(report.first.diff, "diff", word_wrap=True))
    for text in report.end_divergences:
        console.print(f"[red]diverges[/] at the end line: {escape(text)}")
    if report.identical:
        console.print(f"[green]identical[/]: {report.steps} steps and the end reproduce exactly")


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
    for report in reports:
        if report.error is None:
            _warnings(report, report.path)
    for report in bad:
        if report.end_divergences and report.first is None:
            console.print(
                f"[red]diverges[/] {escape(report.path)} at the end line: "
                + escape("; ".join(report.end_divergences))
            )
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
