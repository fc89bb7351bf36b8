"""``submit``: the actor's final answer, which ends the episode."""

from __future__ import annotations

from pydantic import BaseModel, Field

from sandbox.tool import ToolResult, tool
from sandbox.world import World


class SubmitArgs(BaseModel):
    answer: str = Field(
        description="Your final answer or a short summary of what you did. Ends the episode."
    )


@tool(sim_seconds=0.0)
def submit(world: World, args: SubmitArgs) -> ToolResult:
    """Finish the task: give your final answer (or a summary of what you did). Ends the episode."""
    return ToolResult(text="Submitted. The episode is over.", ends_episode=True, answer=args.answer)
