"""Core records that cross module boundaries: the call an actor makes and the ground truth.

``ToolCall`` is what an actor sends; ``Feedback`` is what the environment knows happened
(never computed from the actor's words); ``Change`` is one entry of a world diff.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

TOOL_NAME_PATTERN = r"^[a-zA-Z0-9_-]{1,64}$"
_TOOL_NAME = re.compile(TOOL_NAME_PATTERN)

Status = Literal["success", "partial", "failure"]
ChangeOp = Literal["create", "modify", "delete"]


class ToolCall(BaseModel):
    """One action: a tool name, its arguments, and optionally the actor's reasoning."""

    model_config = ConfigDict(extra="forbid")

    tool: str = Field(description="Tool name, e.g. fs_read_file.")
    arguments: dict[str, Any] = Field(default_factory=dict)
    thought: str | None = Field(default=None, description="The actor's reasoning for this call.")
    id: str | None = Field(default=None, description="Caller's id for this call, kept as given.")

    @field_validator("tool")
    @classmethod
    def _tool_name_shape(cls, value: str) -> str:
        if not _TOOL_NAME.match(value):
            raise ValueError(f"tool name {value!r} must match {TOOL_NAME_PATTERN}")
        return value


class ErrorInfo(BaseModel):
    """What went wrong in a step: a short type (``ENOENT``, ``unknown_tool``…) and the message."""

    type: str
    message: str
    http_status: int | None = Field(default=None, description="The HTTP status, where any.")


class Change(BaseModel):
    """One entry of a world diff: ``fs:/home/user/a.txt`` created, modified or deleted."""

    op: ChangeOp
    target: str
    detail: str | None = None


class Feedback(BaseModel):
    """Ground truth about one step, computed by the environment from what really happened."""

    status: Status
    error: ErrorInfo | None = None
    fault: str | None = Field(
        default=None, description="The injected fault that hit this step, or None."
    )
    changes: list[Change] = Field(default_factory=list)
    retry_after: float | None = Field(
        default=None, description="Seconds the service asked to wait (Retry-After), if any."
    )
    expected_recovery: str | None = Field(
        default=None,
        description="What a careful expert does next: retry_after_wait, retry_now, "
        "reauthenticate, fix_arguments, ask_user, use_alternative, escalate_or_report, none.",
    )


class Step(BaseModel):
    """One recorded step: the call, the observation it produced, and the ground truth."""

    index: int
    call: ToolCall
    observation: str
    feedback: Feedback
    sim_time: str = Field(description="Simulated clock after the step, ISO 8601.")
    wall_ms: float | None = Field(
        default=None,
        description="Wall-clock milliseconds the step took, as the recorder measured it "
        "(absent in the env's own info, which must be deterministic).",
    )
