"""``sandbox replay``: show a recording step by step, or verify it reproduces exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.panel import Panel
from rich.syntax import Syntax

from recorder.replay import verify
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
    trajectory_path: Annotated[Path, typer.Argument(metavar="TRAJ", help="Trajectory (.jsonl).")],
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
    json: Annotated[bool, typer.Option("--json", help="Print JSON (with --verify).")] = False,
) -> None:
    """Show a recorded episode step by step, or --verify that it reproduces exactly."""
    trajectory = load_trajectory(trajectory_path)
    if not verify_:
        if not 0 <= step <= len(trajectory.steps):
            raise fail(f"--step must be between 0 and {len(trajectory.steps)}, not {step}")
        _show(trajectory, step)
        return
    report = verify(trajectory, resolve(scenario) if scenario else None)
    if json:
        print_json(report.as_json())
    else:
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
    if not report.identical:
        raise typer.Exit(1)
