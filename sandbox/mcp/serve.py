"""Run the MCP server for a scenario over stdio or streamable HTTP."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import anyio

from recorder.recorder import Recorder
from sandbox.mcp.episodes import Episodes
from sandbox.mcp.server import build_server
from scenarios import env_for
from scenarios.library import resolve


def episodes_for(scenario_id: str, out: Path, seed: int | None) -> tuple[Episodes, object]:
    scenario = resolve(scenario_id)

    def open_episode(index: int) -> Recorder:  # index 0, 1, 2…: one per session, never reused
        path = out if index == 0 else out.with_name(f"{out.stem}-{index + 1}{out.suffix}")
        return Recorder(env_for(scenario), path, actor="mcp")

    return Episodes(open_episode, seed), env_for(scenario)


def serve(
    scenario_id: str,
    out: Path,
    *,
    seed: int | None,
    transport: Literal["stdio", "http"],
    host: str = "127.0.0.1",
    port: int = 8765,
) -> None:
    episodes, env = episodes_for(scenario_id, out, seed)
    server = build_server(episodes, env)  # type: ignore[arg-type]
    try:
        if transport == "stdio":
            from mcp.server.stdio import stdio_server

            async def run() -> None:
                async with stdio_server() as (read, write):
                    await server.run(read, write, server.create_initialization_options())

            anyio.run(run)
        else:
            import uvicorn

            from sandbox.mcp.http import http_app

            app = http_app(server, host=host)
            uvicorn.run(app, host=host, port=port, log_level="warning")
    finally:
        episodes.close()
