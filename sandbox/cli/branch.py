"""``sandbox branch``: fork a recording after step K and continue it another way."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from recorder.branch import branch
from recorder.recorder import Recorder
from recorder.storage import load_trajectory
from sandbox.cli.common import console, fail, handles_errors, print_json, refuse_overwrite
from sandbox.cli.play import interact
from scenarios.library import resolve


@handles_errors
def branch_command(
    trajectory_path: Annotated[Path, typer.Argument(metavar="TRAJ", help="Parent trajectory.")],
    at: Annotated[
        int,
        typer.Option(
            "--at", help="Keep the parent's steps 0..K-1 (replay's numbers); continue as step K."
        ),
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="New trajectory file (.jsonl).")],
    actions: Annotated[
        Path | None, typer.Option("--actions", help="JSONL of ToolCalls to continue with.")
    ] = None,
    play: Annotated[bool, typer.Option("--play", help="Continue interactively.")] = False,
    actor: Annotated[str | None, typer.Option("--actor", help="Who continues it.")] = None,
    scenario: Annotated[
        str | None, typer.Option("--scenario", help="Scenario file, if not bundled.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing --out.")] = False,
    ignore_divergence: Annotated[
        bool,
        typer.Option(
            "--ignore-divergence", help="Branch even if the kept steps do not replay as recorded."
        ),
    ] = False,
    json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Restore the world after the first K steps of TRAJ and continue with new actions (a file,
    or --play). The kept steps must replay exactly as recorded."""
    if (actions is None) == (not play):
        raise fail("give exactly one of --actions FILE or --play")
    refuse_overwrite(out, force)
    lines: list[str] = []
    if actions is not None:
        try:
            text = actions.read_text(encoding="utf-8")
        except OSError as error:
            raise fail(f"cannot read actions file {actions}: {error.strerror}") from None
        lines = [line for line in text.splitlines() if line.strip()]
    parent = load_trajectory(trajectory_path)
    env = branch(
        parent, at, out, actor=actor, scenario=resolve(scenario) if scenario else None,
        force=ignore_divergence,
    )  # fmt: skip
    assert isinstance(env, Recorder)
    if play:
        console.print(f"Branched {escape(str(trajectory_path))} after {at} step(s); continue:")
        interact(env)
        return
    score, finished, steps = 0.0, False, at
    try:
        for line in lines:
            _, _, terminated, truncated, info = env.step(line)
            steps += 1
            if terminated or truncated:
                score, finished = float(info["score"]), True
                break
        if not finished:
            score = env.tool_env.score()
    finally:
        env.close()
    result = {
        "path": str(env.paths[-1]),
        "score": score,
        "steps": steps,
        "finished": finished,
        "parent": parent.header.trajectory_id,
        "branch_step": at,
    }
    if json:
        print_json(result)
    else:
        console.print(
            f"branch of {escape(parent.header.trajectory_id)} at step {at}: {steps} steps, "
            f"score [bold]{score:.2f}[/] → {escape(result['path'])}"
        )
