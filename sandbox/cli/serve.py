"""``sandbox serve``: the annotation workbench in a browser (extra ``web``)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from sandbox.cli.common import errors, fail, handles_errors


@handles_errors
def serve(
    host: Annotated[
        str, typer.Option(help="Address to bind (localhost by default).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8765,
    data: Annotated[Path, typer.Option(help="Folder for the recordings.")] = Path("runs"),
    allow_host: Annotated[
        list[str] | None,
        typer.Option(
            help="Another name this machine is reached by (repeatable); requests naming any "
            "other host are refused (DNS rebinding)."
        ),
    ] = None,
    no_reasoning: Annotated[
        bool, typer.Option("--no-reasoning", help="Do not require reasoning before each call.")
    ] = False,
) -> None:
    """Serve the annotation workbench: pick a task, act through forms generated from each tool's
    JSON Schema with your reasoning, then review, label and approve recordings."""
    try:
        import uvicorn

        from sandbox.web.app import create_app
    except ImportError as error:
        raise fail(
            f"the workbench needs the web extra ({error.name} is missing): "
            "pip install 'agent-sandbox[web]'"
        ) from None
    data.mkdir(parents=True, exist_ok=True)
    errors.print(f"workbench at http://{host}:{port}/ (recordings in {data}; Ctrl-C to stop)")
    uvicorn.run(
        create_app(
            data,
            require_thought=not no_reasoning,
            host=host,
            allowed_hosts=tuple(allow_host or ()),
        ),
        host=host,
        port=port,
        log_level="warning",
    )
