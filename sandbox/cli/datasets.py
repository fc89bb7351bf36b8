"""Commands that turn recordings into data: annotate, review, export, stats."""

from __future__ import annotations

import json as jsonlib
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from recorder.annotate import annotate, latest_annotations, review
from recorder.export.batch import ALL_FORMATS, STATUSES, check_options, export_files
from recorder.export.parquet import feedback_path_for
from recorder.stats import stats, trajectory_files
from recorder.storage import load_trajectory
from sandbox.cli.common import console, errors, fail, handles_errors, print_json

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
TrajArg = Annotated[Path, typer.Argument(help="A trajectory file (.jsonl).")]


@handles_errors
def annotate_command(
    trajectory: TrajArg,
    step: Annotated[int | None, typer.Option(help="The step index to annotate.")] = None,
    label: Annotated[str | None, typer.Option(help="success, partial or failure.")] = None,
    comment: Annotated[str | None, typer.Option(help="Free text.")] = None,
    next_action: Annotated[
        str | None, typer.Option("--next-action", help="What should have come next.")
    ] = None,
    annotator: Annotated[str, typer.Option(help="Who is annotating.")] = "unknown",
    show: Annotated[bool, typer.Option("--show", help="List the annotations instead.")] = False,
    json: JsonFlag = False,
) -> None:
    """Append a judgement of one step to the trajectory (recorded lines are never rewritten),
    or --show the annotations (the latest per annotator and step counts)."""
    if show:
        loaded = load_trajectory(trajectory)
        latest = latest_annotations(loaded)
        rows = [a.model_dump(mode="json") for a in latest.values()]
        if json:
            every = [a.model_dump(mode="json") for a in loaded.annotations]
            print_json({"status": loaded.status, "annotations": rows, "all": every})
            return
        table = Table("step", "annotator", "label", "next action", "comment")
        for row in sorted(rows, key=lambda r: (r["step"], r["annotator"])):
            table.add_row(str(row["step"]), row["annotator"], row["label"] or "-",
                          row["next_action"] or "", row["comment"] or "")  # fmt: skip
        console.print(table)
        console.print(f"review status: {loaded.status}")
        return
    if step is None:
        raise fail("give --step K (and --label, --comment or --next-action), or --show")
    record = annotate(
        trajectory, step=step, label=label, annotator=annotator,
        next_action=next_action, comment=comment,
    )  # fmt: skip
    if json:
        print_json(record.model_dump(mode="json"))
    else:
        console.print(f"annotated step {step} of {trajectory} ({record.label or 'note'})")


@handles_errors
def review_command(
    trajectory: TrajArg,
    approve: Annotated[bool, typer.Option("--approve/--reject", help="The verdict.")],
    reason: Annotated[str, typer.Option(help="Why (required to reject).")] = "",
    reviewer: Annotated[str, typer.Option(help="Who is reviewing.")] = "unknown",
) -> None:
    """Approve or reject a whole trajectory (appended; the latest review counts)."""
    record = review(trajectory, approve=approve, reason=reason, reviewer=reviewer)
    console.print(f"{trajectory}: {record.verdict}")


@handles_errors
def export_command(
    paths: Annotated[list[Path], typer.Argument(help="Trajectory files or folders.")],
    format: Annotated[str, typer.Option("--format", "-f", help=", ".join(ALL_FORMATS))],
    out: Annotated[
        Path,
        typer.Option(
            "--out", "-o", help="File to write (JSONL; parquet: OUT and OUT.feedback.parquet)."
        ),
    ],
    min_score: Annotated[
        float | None,
        typer.Option("--min-score", help="Keep episodes scoring at least this (re-scored)."),
    ] = None,
    status: Annotated[
        str | None, typer.Option(help=f"Keep only this review status: {', '.join(STATUSES)}.")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 1 when any file could not be exported.")
    ] = False,
    json: JsonFlag = False,
) -> None:
    """Export recordings as training data: one example per line, ground truth in metadata.
    Unreadable files are skipped and listed; the output is written whole or not at all."""
    check_options(format, status)
    outputs = {out.resolve()}
    if format == "parquet":
        outputs.add(feedback_path_for(out).resolve())
    files = [f for f in trajectory_files(paths) if f.resolve() not in outputs]
    with Progress(console=console, transient=True, disable=json) as progress:
        task = progress.add_task("exporting", total=len(files))
        summary = export_files(
            files, format, out, min_score=min_score, status=status,
            advance=lambda: progress.advance(task),
        )  # fmt: skip
    for path, error in summary.bad:
        errors.print(f"[yellow]skipped[/] {path}: {error}", soft_wrap=True)
    if json:
        print_json(summary.as_json())
    else:
        where = f"{out} and {summary.feedback_path}" if summary.feedback_path else str(out)
        bad = f", {len(summary.bad)} unreadable" if summary.bad else ""
        console.print(
            f"exported {summary.exported} episode(s) to {where} ({summary.skipped} skipped{bad})"
        )
    if strict and summary.bad:
        raise typer.Exit(1)


@handles_errors
def stats_command(
    paths: Annotated[list[Path], typer.Argument(help="Trajectory files or folders.")],
    json: JsonFlag = False,
) -> None:
    """What the recordings hold: episodes, steps, scores, fault coverage, labels, reasoning."""
    trajectories = [load_trajectory(path) for path in trajectory_files(paths)]
    report = stats(trajectories)
    if json:
        print_json(report)
        return
    for key, value in report.items():
        shown = jsonlib.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value
        console.print(f"[bold]{key}[/]: {shown}")
