"""Streamable HTTP: two concurrent client sessions get two worlds (and two recordings)."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest

pytest.importorskip("mcp")
uvicorn = pytest.importorskip("uvicorn")

from mcp import Client  # noqa: E402

from recorder.recorder import Recorder  # noqa: E402
from recorder.storage import load_trajectory  # noqa: E402
from sandbox.mcp.server import Episodes, build_server  # noqa: E402
from scenarios import env_for, load_bundled  # noqa: E402

EDIT = {"path": "~/project/.env", "old": "sk_live_7f3a9c21", "new": "sk_live_b84e0d55"}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Episodes]]:
    scenario = load_bundled("rotate-leaked-key")
    episodes = Episodes(
        lambda index: Recorder(env_for(scenario), tmp_path / f"t{index}.jsonl", actor="mcp")
    )
    app = build_server(episodes, env_for(scenario)).streamable_http_app(host="127.0.0.1")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started, "the MCP HTTP server did not start"
    yield f"http://127.0.0.1:{port}/mcp", episodes
    server.should_exit = True
    thread.join(10)
    episodes.close()


def test_two_concurrent_sessions_do_not_share_a_world(served: tuple[str, Episodes]) -> None:
    url, episodes = served
    outcomes: list[bool] = []

    async def session() -> None:
        async with Client(url, mode="legacy") as client:  # stateful: an Mcp-Session-Id each
            result = await client.call_tool("fs_edit_file", EDIT)
            outcomes.append(result.is_error)

    async def main() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(session)
            group.start_soon(session)

    anyio.run(main)
    # in a shared world the second edit would fail (the old key is gone)
    assert outcomes == [False, False]
    assert len(episodes.recorders) == 2
    for recorder in episodes.recorders.values():
        assert len(load_trajectory(recorder.paths[-1]).steps) == 1
