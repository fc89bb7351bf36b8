"""Streamable HTTP: every client connection — in the SDK client's default mode too — gets its own
world and recording, closed when its session ends."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import anyio
import pytest

pytest.importorskip("mcp")
uvicorn = pytest.importorskip("uvicorn")

from mcp import Client  # noqa: E402
from mcp.client.streamable_http import streamable_http_client  # noqa: E402
from mcp.shared.exceptions import MCPError  # noqa: E402

from recorder.recorder import Recorder  # noqa: E402
from recorder.storage import load_trajectory  # noqa: E402
from sandbox.mcp.episodes import Episodes  # noqa: E402
from sandbox.mcp.http import http_app  # noqa: E402
from sandbox.mcp.server import build_server  # noqa: E402
from scenarios import env_for, load_bundled  # noqa: E402

SCENARIO = "rotate-leaked-key"
EDIT = {"path": "~/project/.env", "old": "sk_live_7f3a9c21", "new": "sk_live_b84e0d55"}


class Served:
    def __init__(self, url: str, episodes: Episodes, folder: Path) -> None:
        self.url, self.episodes, self.folder = url, episodes, folder

    def recordings(self) -> list[Path]:
        return sorted(self.folder.glob("t*.jsonl"))


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@contextmanager
def serve(folder: Path, *, idle_timeout: float | None = None) -> Iterator[Served]:
    scenario = load_bundled(SCENARIO)
    episodes = Episodes(
        lambda index: Recorder(env_for(scenario), folder / f"t{index}.jsonl", actor="mcp")
    )
    options = {} if idle_timeout is None else {"session_idle_timeout": idle_timeout}
    app = http_app(build_server(episodes, env_for(scenario)), host="127.0.0.1", **options)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    assert wait_for(lambda: server.started), "the MCP HTTP server did not start"
    try:
        yield Served(f"http://127.0.0.1:{port}/mcp", episodes, folder)
    finally:
        server.should_exit = True
        thread.join(10)
        episodes.close()


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    with serve(tmp_path) as running:
        yield running


@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_two_concurrent_sessions_do_not_share_a_world(served: Served, mode: str) -> None:
    outcomes: list[bool] = []
    live_during: list[int] = []

    async def session() -> None:
        # mode="auto" is the client's default: it probes server/discover and would speak the
        # stateless protocol (no Mcp-Session-Id) if the server let it
        client = Client(served.url) if mode == "auto" else Client(served.url, mode="legacy")
        async with client:
            result = await client.call_tool("fs_edit_file", EDIT)
            outcomes.append(result.is_error)
            await anyio.sleep(0.2)  # both sessions are open at once
            live_during.append(len(served.episodes.recorders))

    async def main() -> None:
        async with anyio.create_task_group() as group:
            group.start_soon(session)
            group.start_soon(session)

    anyio.run(main)
    # in a shared world the second edit would fail (the old key is gone)
    assert outcomes == [False, False]
    assert max(live_during) == 2
    paths = served.recordings()
    assert len(paths) == 2
    # each session's end (the client's DELETE) closes its recording and drops its world
    assert wait_for(lambda: not served.episodes.recorders), served.episodes.recorders
    for path in paths:
        trajectory = load_trajectory(path)
        assert len(trajectory.steps) == 1 and not trajectory.steps[0].feedback.error
        assert trajectory.end is not None and trajectory.end.outcome == "abandoned"


def test_submit_ends_the_recording_and_later_calls_say_how_to_start_again(
    served: Served,
) -> None:
    async def main() -> tuple[bool, str, dict]:
        async with Client(served.url) as client:
            await client.call_tool("fs_edit_file", EDIT)
            done = await client.call_tool("submit", {"answer": "rotated"})
            assert done.structured_content["done"] is True
            later = await client.call_tool("fs_read_file", {"path": "~/project/.env"})
            return later.is_error, later.content[0].text, later.structured_content

    is_error, text, structured = anyio.run(main)
    assert is_error
    assert "the episode has ended (submitted)" in text and "new MCP session" in text
    assert "reset()" not in text
    assert structured["feedback"]["error"]["type"] == "episode_over"
    (path,) = served.recordings()
    trajectory = load_trajectory(path)
    assert [step.call.tool for step in trajectory.steps] == ["fs_edit_file", "submit"]
    assert trajectory.end is not None and trajectory.end.outcome == "terminated"
    assert wait_for(lambda: not served.episodes.recorders and not served.episodes.ended)


def test_a_vanished_client_is_abandoned_when_its_session_times_out(tmp_path: Path) -> None:
    async def main(url: str) -> None:
        transport = streamable_http_client(url, terminate_on_close=False)
        async with Client(transport) as client:  # no DELETE on the way out
            await client.call_tool("fs_edit_file", EDIT)

    with serve(tmp_path, idle_timeout=1.0) as served:
        anyio.run(main, served.url)
        assert wait_for(lambda: not served.episodes.recorders), "the idle session was kept"
        (path,) = served.recordings()
        trajectory = load_trajectory(path)
        assert trajectory.end is not None and trajectory.end.outcome == "abandoned"


def test_a_stateless_call_names_its_episode_or_is_refused(served: Served) -> None:
    async def main() -> tuple[str, bool, bool]:
        async with Client(served.url, mode="2026-07-28") as client:  # pinned: no handshake
            with pytest.raises(MCPError) as refused:
                await client.call_tool("fs_edit_file", EDIT)
            first = await client.call_tool("fs_edit_file", EDIT, meta={"episode": "a"})
            second = await client.call_tool("fs_edit_file", EDIT, meta={"episode": "b"})
            return refused.value.message, first.is_error, second.is_error

    message, first_failed, second_failed = anyio.run(main)
    assert "_meta.episode" in message and "Mcp-Session-Id" in message
    assert not first_failed and not second_failed  # b's world was untouched by a
    assert len(served.recordings()) == 2
    assert len(served.episodes.recorders) == 2
