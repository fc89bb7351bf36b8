"""Commands that judge recordings: score (the scorer's verdict) and audit (human labels)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from recorder.audit import AuditReport, audit
from recorder.rerun import rerun
from recorder.stats import trajectory_files
from recorder.storage import load_trajectory
from sandbox.cli.common import console, errors, handles_errors, print_json
from scenarios.library import resolve
from scenarios.report import ScoreReport
from scenarios.scoring import score_episode

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]


def _mark(passed: bool) -> str:
    return "[green]✓[/]" if passed else "[red]✗[/]"


def _show_report(report: ScoreReport) -> None:
    colour = "green" if report.overall >= 0.9 else "yellow" if report.overall >= 0.5 else "red"
    console.print(
        f"[bold]{escape(report.scenario_id)}[/] · {report.steps} steps · "
        f"overall [bold {colour}]{report.overall:.3f}[/]"
    )
    parts = report.components
    table = Table("part", "value", "weight", title="components", title_justify="left")
    weights = report.weights
    table.add_row("goal", f"{parts.goal:.3f}", f"{weights.goal:g}")
    table.add_row(
        "milestones",
        "—" if parts.milestones is None else f"{parts.milestones:.3f}",
        f"{weights.milestones:g}",
    )
    table.add_row("efficiency", f"{parts.efficiency:.3f}", f"{weights.efficiency:g}")
    table.add_row("error handling", f"{parts.error_handling:.3f}", f"{weights.error_handling:g}")
    table.add_row(
        "collateral", f"-{parts.collateral_penalty:.3f}" if parts.collateral_penalty else "0", ""
    )
    if parts.cap is not None:
        table.add_row("cap", f"{parts.cap:g}", escape("; ".join(parts.cap_reasons)))
    console.print(table)
    goal = Table("", "check", "evidence", title="goal", title_justify="left")
    for check in report.goal.checks:
        goal.add_row(_mark(check.passed), escape(check.label), escape(check.evidence))
        for item in check.items:
            goal.add_row(_mark(item.passed), "  " + escape(item.label), escape(item.evidence))
    console.print(goal)
    if report.milestones.items:
        milestones = Table("", "milestone", "step", "evidence", title="milestones")
        milestones.title_justify = "left"
        for item in report.milestones.items:
            milestones.add_row(
                _mark(item.status == "reached"),
                escape(item.id),
                "" if item.step is None else str(item.step),
                escape(item.evidence),
            )
        console.print(milestones)
    console.print("[bold]explanations[/]")
    for explanation in report.explanations:
        where = f"step {explanation.step:>3}" if explanation.step is not None else "        "
        console.print(f"  {where}  [dim]{explanation.kind:<14}[/] {escape(explanation.text)}")


@handles_errors
def score_command(
    trajectory: Annotated[Path, typer.Argument(help="A trajectory file (.jsonl).")],
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario", help="Scenario id or file (default: the one the recording names)."
        ),
    ] = None,
    json: JsonFlag = False,
) -> None:
    """Score a recording: goal, milestones, minefields, collateral, efficiency, error handling.

    Explanations point at step indices. The world is rebuilt by re-running the recorded calls.
    """
    loaded = load_trajectory(trajectory)
    with rerun(loaded, resolve(scenario) if scenario else None) as episode_run:
        report = score_episode(episode_run.scenario, episode_run.episode)
        divergences = episode_run.divergences
        hash_matches = episode_run.hash_matches
    if json:
        print_json(
            {
                "trajectory": str(trajectory),
                "path": str(trajectory),
                "score": report.overall,
                "scenario_hash_matches": hash_matches,
                "divergences": [divergence.as_json() for divergence in divergences],
                **report.model_dump(mode="json"),
            }
        )
        return
    if loaded.torn_tail is not None:
        errors.print(f"[yellow]warning:[/] {escape(str(trajectory))} ends with a torn line")
    if not hash_matches:
        errors.print(
            "[yellow]warning:[/] the scenario changed since this was recorded "
            "(content hash differs)"
        )
    for divergence in divergences[:5]:
        errors.print(
            f"[yellow]warning:[/] step {divergence.step}: {divergence.field} differs from the "
            f"recording: {escape(divergence.recorded)} → {escape(divergence.now)}"
        )
    if len(divergences) > 5:
        errors.print(f"[yellow]warning:[/] … {len(divergences) - 5} more divergences")
    _show_report(report)


def _show_audit(result: AuditReport) -> None:
    overall = result.overall
    if not overall.labelled:
        console.print(f"no labelled steps in {result.files} file(s) ({result.steps} steps)")
        return
    kappa = "undefined" if overall.kappa is None else f"{overall.kappa:.3f}"
    console.print(
        f"{overall.labelled} labelled steps in {result.files} file(s): agreement "
        f"[bold]{overall.percent:.1f}%[/], Cohen's kappa [bold]{kappa}[/]"
    )
    confusion = Table("label ↓ / feedback →", *result.confusion, title="confusion")
    for label, row in result.confusion.items():
        confusion.add_row(label, *(str(count) for count in row.values()))
    console.print(confusion)
    if len(result.annotators) > 1:
        people = Table("annotator", "labelled", "agreement", "kappa")
        for person in result.annotators:
            people.add_row(
                escape(person.annotator),
                str(person.labelled),
                f"{person.percent:.1f}%" if person.percent is not None else "—",
                "—" if person.kappa is None else f"{person.kappa:.3f}",
            )
        console.print(people)
    if result.disagreements:
        table = Table("file", "step", "annotator", "label", "feedback", "tool", "comment")
        table.title = "disagreements"
        for item in result.disagreements:
            table.add_row(
                escape(Path(item.trajectory).name),
                str(item.step),
                escape(item.annotator),
                item.label,
                item.feedback + (f" ({item.error})" if item.error else ""),
                item.tool,
                escape(item.comment or ""),
            )
        console.print(table)
    for problem in result.problems:
        errors.print(f"[yellow]warning:[/] {escape(problem)}")


@handles_errors
def audit_command(
    trajectories: Annotated[list[Path], typer.Argument(help="Trajectory files or folders.")],
    json: JsonFlag = False,
) -> None:
    """Compare annotators' step labels with the environment's feedback (QA for annotators).

    Reports agreement in percent, Cohen's kappa, a confusion table and each disagreement.
    """
    result = audit(load_trajectory(path) for path in trajectory_files(trajectories))
    if json:
        print_json(result.model_dump(mode="json"))
        return
    _show_audit(result)
