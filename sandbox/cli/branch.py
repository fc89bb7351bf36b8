"""``sandbox branch``: fork a recording after step K and continue it another way."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from recorder.branch import branch
from recorder.storage import load_trajectory
from sandbox.cli.common import console, fail, handles_errors, print_json
from sandbox.cli.play import interact
from scenarios.library import resolve


@handles_errors
def branch_command(
    trajectory_path: Annotated[Path, typer.Argument(metavar="TRAJ", help="Parent trajectory.")],
    at: Annotated[int, typer.Option("--at", help="Keep the parent's first K steps.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="New trajectory file (.jsonl).")],
    actions: Annotated[
        Path | None, typer.Option("--actions", help="JSONL of ToolCalls to continue with.")
    ] = None,
    play: Annotated[bool, typer.Option("--play", help="Continue interactively.")] = False,
    actor: Annotated[str | None, typer.Option("--actor", help="Who continues it.")] = None,
    scenario: Annotated[
        str | None, typer.Option("--scenario", help="Scenario file, if not bundled.")
    ] = None,
    json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """Restore the world after step K of TRAJ and continue with new actions (a file, or --play)."""
    if (actions is None) == (not play):
        raise fail("give exactly one of --actions FILE or --play")
    parent = load_trajectory(trajectory_path)
    env = branch(parent, at, out, actor=actor, scenario=resolve(scenario) if scenario else None)
    if play:
        console.print(f"Branched {escape(str(trajectory_path))} after {at} step(s); continue:")
        interact(env)
        return
    assert actions is not None
    try:
        lines = [line for line in actions.read_text(encoding="utf-8").splitlines() if line.strip()]
    except OSError as error:
        env.close()
        raise fail(f"cannot read actions file {actions}: {error.strerror}") from None
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
