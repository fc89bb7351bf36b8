"""``wait``: let simulated time pass — what a careful client does after a 429 or a 503 with
``Retry-After``, or when a file is locked by another process."""

from __future__ import annotations

from pydantic import BaseModel, Field

from sandbox.tool import tool
from sandbox.world import World


class WaitArgs(BaseModel):
    seconds: float = Field(gt=0, le=3600, description="How long to wait, in seconds (≤ 3600).")


@tool(sim_seconds=0.0)
def wait(world: World, args: WaitArgs) -> str:
    """Wait before the next action (e.g. the Retry-After of a 429 or 503). Time is simulated."""
    world.clock.advance(args.seconds)
    return f"Waited {args.seconds:g} s; the time is now {world.clock.isoformat()}."
