"""``sandbox mcp SCENARIO --out T.jsonl``: serve one scenario to any MCP client, recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import typer

from sandbox.cli.common import errors, fail, handles_errors, refuse_overwrite

Transport = Literal["stdio", "http"]


@handles_errors
def mcp(
    scenario_id: Annotated[str, typer.Argument(help="A bundled scenario id, or a scenario file.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Trajectory file to write (.jsonl).")],
    seed: Annotated[int | None, typer.Option(help="World seed (default: the scenario's).")] = None,
    transport: Annotated[
        str, typer.Option(help="stdio (one client, e.g. a desktop assistant) or http.")
    ] = "stdio",
    host: Annotated[str, typer.Option(help="Address for --transport http.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port for --transport http.")] = 8765,
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing recordings.")] = False,
) -> None:
    """Serve a scenario over MCP: its tools, the task as a prompt and a resource, every call
    recorded with ground-truth feedback. The `submit` tool ends the episode. Over http each
    client session gets its own world (trajectories OUT, OUT-2, …)."""
    try:
        from sandbox.mcp.serve import serve
    except ImportError as error:
        raise fail(
            f"the MCP server needs the mcp extra ({error.name} is missing): "
            "pip install 'agent-sandbox[mcp]'"
        ) from None
    if transport not in ("stdio", "http"):
        raise fail(f"--transport must be stdio or http, not {transport!r}")
    refuse_overwrite(out, force)
    if transport == "http":  # later sessions record to OUT-2, OUT-3…: refuse those too
        for sibling in sorted(out.parent.glob(f"{out.stem}-*{out.suffix}")):
            if sibling.stem.removeprefix(f"{out.stem}-").isdigit():
                refuse_overwrite(sibling, force)
    if transport == "http":
        errors.print(f"MCP over streamable HTTP at http://{host}:{port}/mcp (Ctrl-C to stop)")
    serve(scenario_id, out, seed=seed, transport=transport, host=host, port=port)  # type: ignore[arg-type]
