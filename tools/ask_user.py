"""``ask_user``: put a question to the person who gave the task (the scenario's simulated user)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from sandbox.errors import ToolError
from sandbox.tool import tool
from sandbox.world import World


class AskArgs(BaseModel):
    question: str = Field(min_length=3, description="One clear question for the user.")


@tool(sim_seconds=30.0)
def ask_user(world: World, args: AskArgs) -> str:
    """Ask the user who gave you the task a question, when something is ambiguous or missing and
    cannot be found in the files or services. Asking costs the user's time: be specific."""
    user = world.user
    if user is None:
        raise ToolError("there is no one to ask in this scenario", type="no_user")
    return f"{user.name}: {user.answer(args.question)}"
