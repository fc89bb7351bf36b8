"""One MCP server per episode: the scenario's tools, the task as a prompt and a resource, every
call stepped through the recorded ``ToolEnv`` so it lands in the trajectory with its feedback.

Tool results carry the observation as text and the ground truth as ``structured_content``
(``feedback``, ``step``, ``done``, ``score``); a failed step is an MCP tool error (``is_error``)
with the same message the env gives. A client may pass the actor's reasoning for a call in the
request's ``_meta`` as ``thought``; it is recorded with the call, and the tools' input schemas
stay exactly the scenario's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import mcp_types as types
from mcp.server import Server

import sandbox
from recorder.recorder import Recorder
from sandbox.env import ToolEnv
from sandbox.types import ToolCall

TASK_URI = "sandbox://task"
TASK_PROMPT = "task"


class Episodes:
    """The recorded episodes a server hosts, one per client session.

    A session is the transport's ``Mcp-Session-Id`` (streamable HTTP), else the ``episode`` a
    client names in ``_meta``, else the one default episode (stdio: one client, one world)."""

    def __init__(self, open_episode: Callable[[int], Recorder], seed: int | None = None) -> None:
        self._open = open_episode
        self._seed = seed
        self.recorders: dict[str, Recorder] = {}

    def for_request(self, ctx: Any, meta: dict[str, Any]) -> Recorder:
        key = _session_key(ctx, meta)
        recorder = self.recorders.get(key)
        if recorder is None:
            recorder = self.recorders[key] = self._open(len(self.recorders))
            recorder.reset(seed=self._seed)
        return recorder

    def close(self) -> None:
        for recorder in self.recorders.values():
            recorder.close()


def _session_key(ctx: Any, meta: dict[str, Any]) -> str:
    request = getattr(ctx, "request", None)
    headers = getattr(request, "headers", None)
    if headers is not None and headers.get("mcp-session-id"):
        return f"http:{headers['mcp-session-id']}"
    episode = meta.get("episode")
    return f"meta:{episode}" if isinstance(episode, str) and episode else "default"


def build_server(episodes: Episodes, env: ToolEnv) -> Server[Any]:
    """An MCP server whose calls step the session's recorded episode (serialised by a lock).
    ``env`` describes the tools and the task (it is never stepped itself)."""
    task = env.task
    lock = anyio.Lock()
    tools = [
        types.Tool(name=item.name, description=item.description, input_schema=item.input_schema)
        for item in env.toolset.values()
    ]

    async def list_tools(ctx: Any, params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=tools)

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        meta = params.meta
        if meta is not None and not isinstance(meta, dict):
            meta = meta.model_dump()
        meta = meta or {}
        thought = meta.get("thought")
        call = ToolCall(
            tool=params.name,
            arguments=dict(params.arguments or {}),
            thought=thought if isinstance(thought, str) else None,
        )
        async with lock:
            recorder = episodes.for_request(ctx, meta)
            observation, reward, terminated, truncated, info = recorder.step(call)
        feedback = info["feedback"]
        done = terminated or truncated
        structured: dict[str, Any] = {
            "step": info["step"].index,
            "feedback": feedback.model_dump(mode="json"),
            "done": done,
        }
        if done:
            structured["score"] = reward
        return types.CallToolResult(
            content=[types.TextContent(type="text", text=observation)],
            structured_content=structured,
            is_error=feedback.status == "failure",
        )

    async def list_prompts(ctx: Any, params: Any) -> types.ListPromptsResult:
        prompt = types.Prompt(name=TASK_PROMPT, description=f"The task of {task.scenario_id}")
        return types.ListPromptsResult(prompts=[prompt])

    async def get_prompt(ctx: Any, params: types.GetPromptRequestParams) -> types.GetPromptResult:
        message = types.PromptMessage(
            role="user", content=types.TextContent(type="text", text=task.text)
        )
        return types.GetPromptResult(
            description=f"The task of {task.scenario_id}", messages=[message]
        )

    async def list_resources(ctx: Any, params: Any) -> types.ListResourcesResult:
        resource = types.Resource(
            name="task", uri=TASK_URI, mime_type="text/plain", description="The task to perform"
        )
        return types.ListResourcesResult(resources=[resource])

    async def read_resource(
        ctx: Any, params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        contents = types.TextResourceContents(uri=TASK_URI, mime_type="text/plain", text=task.text)
        return types.ReadResourceResult(contents=[contents])

    return Server(
        f"agent-sandbox:{task.scenario_id}",
        version=sandbox.__version__,
        instructions=task.text,
        on_list_tools=list_tools,
        on_call_tool=call_tool,
        on_list_prompts=list_prompts,
        on_get_prompt=get_prompt,
        on_list_resources=list_resources,
        on_read_resource=read_resource,
    )
