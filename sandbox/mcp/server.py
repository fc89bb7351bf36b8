"""One MCP server per scenario, one recorded episode per client session: the scenario's tools,
the task as a prompt and a resource, every call stepped through the session's recorded
``ToolEnv`` so it lands in the trajectory with its feedback.

Tool results carry the observation as text and the ground truth as ``structured_content``
(``feedback``, ``step``, ``done``, ``score``); a failed step is an MCP tool error (``is_error``)
with the same message the env gives. A client may pass the actor's reasoning for a call in the
request's ``_meta`` as ``thought``; it is recorded with the call, and the tools' input schemas
stay exactly the scenario's. An unknown prompt or resource, or a call that belongs to no episode,
is an MCP error (not a step: there is no episode to record it in).
"""

from __future__ import annotations

from typing import Any

import mcp_types as types
from mcp.server import Server
from mcp.shared.exceptions import MCPError

import sandbox
from sandbox.env import ToolEnv
from sandbox.mcp.episodes import Ended, Episodes, NoEpisode
from sandbox.types import ErrorInfo, Feedback, ToolCall

__all__ = ["TASK_PROMPT", "TASK_URI", "Episodes", "build_server"]

TASK_URI = "sandbox://task"
TASK_PROMPT = "task"


def _meta_of(params: types.CallToolRequestParams) -> dict[str, Any]:
    meta = params.meta
    if meta is not None and not isinstance(meta, dict):
        meta = meta.model_dump()
    return dict(meta or {})


def _ended_result(ended: Ended) -> types.CallToolResult:
    """A call after the episode is over: refused (not recorded), saying how to get a new one."""
    message = (
        f"the episode has ended ({ended.reason}); start a new MCP session (over stdio: restart "
        "the server) for a new episode"
    )
    feedback = Feedback(
        status="failure",
        error=ErrorInfo(type="episode_over", message=message),
        expected_recovery="none",
    )
    return types.CallToolResult(
        content=[types.TextContent(type="text", text=message)],
        structured_content={
            "step": None,
            "feedback": feedback.model_dump(mode="json"),
            "done": True,
        },
        is_error=True,
    )


def build_server(episodes: Episodes, env: ToolEnv) -> Server[Any]:
    """An MCP server whose calls step the session's recorded episode (serialised by
    ``episodes.lock``). ``env`` describes the tools and the task (it is never stepped itself)."""
    task = env.task
    tools = [
        types.Tool(name=item.name, description=item.description, input_schema=item.input_schema)
        for item in env.toolset.values()
    ]

    async def list_tools(ctx: Any, params: Any) -> types.ListToolsResult:
        return types.ListToolsResult(tools=tools)

    async def call_tool(ctx: Any, params: types.CallToolRequestParams) -> types.CallToolResult:
        meta = _meta_of(params)
        thought = meta.get("thought")
        call = ToolCall(
            tool=params.name,
            arguments=dict(params.arguments or {}),
            thought=thought if isinstance(thought, str) else None,
        )
        async with episodes.lock:
            try:
                key, episode = episodes.get(ctx, meta)
            except NoEpisode as error:
                raise MCPError(types.INVALID_PARAMS, str(error)) from None
            if isinstance(episode, Ended):
                return _ended_result(episode)
            observation, reward, terminated, truncated, info = episode.step(call)
            done = terminated or truncated
            if done:
                outcome = "terminated" if terminated else "truncated"
                episodes.finish(key, outcome, info["step"].index + 1)
        feedback = info["feedback"]
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

    prompt_description = f"The task of {task.scenario_id}"

    async def list_prompts(ctx: Any, params: Any) -> types.ListPromptsResult:
        prompt = types.Prompt(name=TASK_PROMPT, description=prompt_description)
        return types.ListPromptsResult(prompts=[prompt])

    async def get_prompt(ctx: Any, params: types.GetPromptRequestParams) -> types.GetPromptResult:
        if params.name != TASK_PROMPT:
            raise MCPError(
                types.INVALID_PARAMS,
                f"unknown prompt {params.name!r}: this server has one prompt, {TASK_PROMPT!r}",
            )
        message = types.PromptMessage(
            role="user", content=types.TextContent(type="text", text=task.text)
        )
        return types.GetPromptResult(description=prompt_description, messages=[message])

    async def list_resources(ctx: Any, params: Any) -> types.ListResourcesResult:
        resource = types.Resource(
            name="task", uri=TASK_URI, mime_type="text/plain", description="The task to perform"
        )
        return types.ListResourcesResult(resources=[resource])

    async def read_resource(
        ctx: Any, params: types.ReadResourceRequestParams
    ) -> types.ReadResourceResult:
        if str(params.uri) != TASK_URI:
            raise MCPError(  # SEP-2164: an unknown resource is invalid params, naming the uri
                types.INVALID_PARAMS,
                f"resource not found: {str(params.uri)!r}; this server has one, {TASK_URI!r}",
                {"uri": str(params.uri)},
            )
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
