"""The MCP server, driven by the official SDK's client: in process and over stdio."""

from __future__ import annotations

import sys
from pathlib import Path

import anyio
import pytest

pytest.importorskip("mcp")

from mcp import Client, StdioServerParameters
from mcp.shared.exceptions import MCPError

from recorder.recorder import Recorder
from recorder.replay import verify
from recorder.rerun import rerun
from recorder.storage import load_trajectory
from sandbox.mcp.server import Episodes, build_server
from scenarios import env_for, load_bundled, score_episode

SCENARIO = "rotate-leaked-key"


def server_for(out: Path):
    scenario = load_bundled(SCENARIO)
    episodes = Episodes(lambda index: Recorder(env_for(scenario), out, actor="mcp"))
    return build_server(episodes, env_for(scenario)), episodes


async def solve_with(client: Client) -> dict:
    scenario = load_bundled(SCENARIO)
    tools = await client.list_tools()
    assert [tool.name for tool in tools.tools] == list(env_for(scenario).toolset)
    prompt = await client.get_prompt("task")
    assert prompt.messages[0].content.text == scenario.task
    result = None
    for call in scenario.solutions["search-then-edit"]:
        meta = {"thought": call.thought} if call.thought else None
        result = await client.call_tool(call.tool, call.arguments, meta=meta)
        assert not result.is_error, result.content[0].text
    assert result is not None
    return result.structured_content


def check_recording(path: Path) -> None:
    trajectory = load_trajectory(path)
    assert trajectory.end is not None and trajectory.end.score == 1.0
    assert any(step.call.thought for step in trajectory.steps)
    assert verify(trajectory).identical
    with rerun(trajectory) as result:
        assert score_episode(result.scenario, result.episode).overall == 1.0


def test_in_process_client_solves_and_the_recording_replays(tmp_path: Path) -> None:
    out = tmp_path / "t.jsonl"
    server, episodes = server_for(out)

    async def main() -> dict:
        async with Client(server) as client:
            return await solve_with(client)

    done = anyio.run(main)
    episodes.close()
    assert done["done"] is True and done["score"] == 1.0
    check_recording(out)


def test_bad_arguments_are_tool_errors_not_crashes(tmp_path: Path) -> None:
    server, episodes = server_for(tmp_path / "t.jsonl")

    async def main() -> None:
        async with Client(server) as client:
            bad = await client.call_tool("fs_read_file", {"paht": "~/x"})
            assert bad.is_error
            assert "bad arguments for fs_read_file" in bad.content[0].text
            assert bad.structured_content["feedback"]["error"]["type"] == "invalid_arguments"
            unknown = await client.call_tool("rm_rf", {})
            assert unknown.is_error and "unknown tool" in unknown.content[0].text
            resources = await client.list_resources()
            text = await client.read_resource(resources.resources[0].uri)
            assert text.contents[0].text == load_bundled(SCENARIO).task

    anyio.run(main)
    episodes.close()


@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_unknown_prompts_and_resources_are_mcp_errors(tmp_path: Path, mode: str) -> None:
    server, episodes = server_for(tmp_path / "t.jsonl")

    async def main() -> tuple[MCPError, MCPError]:
        async with Client(server, mode=mode) as client:
            with pytest.raises(MCPError) as prompt:
                await client.get_prompt("solution")
            with pytest.raises(MCPError) as resource:
                await client.read_resource("sandbox://answers")
            assert (await client.get_prompt("task")).messages  # the real ones still answer
            assert (await client.read_resource("sandbox://task")).contents
            return prompt.value, resource.value

    prompt, resource = anyio.run(main)
    episodes.close()
    assert prompt.code == -32602 and "unknown prompt 'solution'" in prompt.message
    assert resource.code == -32602 and "resource not found: 'sandbox://answers'" in resource.message
    assert resource.data == {"uri": "sandbox://answers"}  # SEP-2164


def test_named_episodes_do_not_share_a_world(tmp_path: Path) -> None:
    scenario = load_bundled(SCENARIO)
    paths = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    episodes = Episodes(lambda index: Recorder(env_for(scenario), paths[index], actor="mcp"))
    server = build_server(episodes, env_for(scenario))
    edit = {"path": "~/project/.env", "old": "sk_live_7f3a9c21", "new": "sk_live_b84e0d55"}

    async def main() -> None:
        async with Client(server) as client:
            first = await client.call_tool("fs_edit_file", edit, meta={"episode": "a"})
            second = await client.call_tool("fs_edit_file", edit, meta={"episode": "b"})
            assert not first.is_error and not second.is_error  # b's world was untouched by a

    anyio.run(main)
    episodes.close()
    assert all(len(load_trajectory(p).steps) == 1 for p in paths)


def test_stdio_client_solves_a_scenario(tmp_path: Path) -> None:
    out = tmp_path / "stdio.jsonl"
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "sandbox.cli.app", "mcp", SCENARIO, "--out", str(out)],
        cwd=str(tmp_path),
    )

    async def main() -> dict:
        async with Client(params) as client:
            return await solve_with(client)

    done = anyio.run(main)
    assert done["score"] == 1.0
    check_recording(out)


def test_a_submitted_named_episode_stays_over_and_others_go_on(tmp_path: Path) -> None:
    scenario = load_bundled(SCENARIO)
    opened: list[Path] = []

    def open_episode(index: int) -> Recorder:
        opened.append(tmp_path / f"e{index}.jsonl")
        return Recorder(env_for(scenario), opened[-1], actor="mcp")

    episodes = Episodes(open_episode)
    server = build_server(episodes, env_for(scenario))
    edit = {"path": "~/project/.env", "old": "sk_live_7f3a9c21", "new": "sk_live_b84e0d55"}

    async def main() -> None:
        async with Client(server) as client:
            a = {"episode": "a"}
            await client.call_tool("submit", {"answer": "nothing to do"}, meta=a)
            assert "meta:a" not in episodes.recorders  # its world is released at once
            again = await client.call_tool("fs_edit_file", edit, meta=a)
            assert again.is_error and "the episode has ended (submitted)" in again.content[0].text
            other = await client.call_tool("fs_edit_file", edit, meta={"episode": "b"})
            assert not other.is_error

    anyio.run(main)
    episodes.close()
    assert opened == [tmp_path / "e0.jsonl", tmp_path / "e1.jsonl"]  # "a" was not reopened
    first, second = (load_trajectory(path) for path in opened)
    assert first.end is not None and first.end.outcome == "terminated" and len(first.steps) == 1
    assert second.end is not None and second.end.outcome == "abandoned"
