"""The helpdesk's resources: tickets, their comments, and the agents who work them."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sandbox.rest import PageQuery

TAG_PATTERN = r"^[a-z0-9][a-z0-9_:-]{0,39}$"
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


class TicketStatus(StrEnum):
    new = "new"
    open = "open"
    pending = "pending"
    solved = "solved"
    closed = "closed"


class Priority(StrEnum):
    low = "low"
    normal = "normal"
    high = "high"
    urgent = "urgent"


PRIORITY_RANK = {Priority.low: 0, Priority.normal: 1, Priority.high: 2, Priority.urgent: 3}


def _clean_tags(tags: list[str] | None) -> list[str] | None:
    """Tags are a set: lower-cased, deduplicated and sorted, so two ways of tagging agree."""
    return None if tags is None else sorted({tag.strip().lower() for tag in tags})


class Agent(BaseModel):
    id: str
    name: str
    email: str
    team: str
    active: bool = Field(default=True, description="False while the agent is away.")


class Ticket(BaseModel):
    id: str
    subject: str
    body: str = Field(description="The requester's original message.")
    requester: str = Field(description="The requester's email address.")
    requester_name: str
    priority: Priority
    tags: list[str] = Field(default_factory=list, description="Sorted, lower-case.")
    status: TicketStatus
    assignee_id: str | None = Field(default=None, description="An agent id, or null.")
    comment_count: int = 0
    created_at: str
    updated_at: str


class TicketCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=20_000)
    requester: str = Field(pattern=EMAIL_PATTERN, description="The requester's email address.")
    requester_name: str | None = Field(default=None, max_length=200)
    priority: Priority = Priority.normal
    tags: list[str] = Field(default_factory=list, max_length=20)
    assignee_id: str | None = Field(default=None, description="An active agent's id.")

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        return _checked_tags(value) or []


class TicketUpdate(BaseModel):
    """Only the fields sent change; ``assignee_id: null`` unassigns."""

    model_config = ConfigDict(extra="forbid")

    subject: str | None = Field(default=None, min_length=1, max_length=200)
    status: TicketStatus | None = Field(
        default=None,
        description="new→open|pending|solved, open→pending|solved, pending→open|solved, "
        "solved→open|closed; closed is final. Solving needs an assignee.",
    )
    priority: Priority | None = None
    assignee_id: str | None = Field(
        default=None, description="An active agent's id; null unassigns."
    )
    tags: list[str] | None = Field(default=None, max_length=20, description="Replace all tags.")
    add_tags: list[str] | None = Field(default=None, max_length=20)
    remove_tags: list[str] | None = Field(default=None, max_length=20)

    @field_validator("tags", "add_tags", "remove_tags")
    @classmethod
    def _tags(cls, value: list[str] | None) -> list[str] | None:
        return _checked_tags(value)


class BulkTicketUpdate(BaseModel):
    """One change for many tickets."""

    model_config = ConfigDict(extra="forbid")

    ticket_ids: list[str] = Field(min_length=1, max_length=50, description="Tickets to change.")
    update: TicketUpdate = Field(description="The change, as for PATCH /tickets/{ticket_id}.")


class BulkItem(BaseModel):
    id: str
    status: int = Field(description="200, or the status this ticket alone would have got.")
    ticket: Ticket | None = None
    error: dict[str, str] | None = None


class BulkResult(BaseModel):
    updated: int
    failed: int
    results: list[BulkItem]


def _checked_tags(value: list[str] | None) -> list[str] | None:
    cleaned = _clean_tags(value)
    for tag in cleaned or []:
        if not re.match(TAG_PATTERN, tag):
            raise ValueError(
                f"invalid tag {tag!r}: use lower-case letters, digits, '_', ':' or '-' "
                "(at most 40 characters)"
            )
    return cleaned


class Comment(BaseModel):
    id: str
    ticket_id: str
    body: str
    public: bool = Field(description="Public replies are emailed to the requester; "
                         "internal notes are seen by agents only.")  # fmt: skip
    author_id: str | None = Field(default=None, description="The agent who wrote it, if any.")
    created_at: str


class CommentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(min_length=1, max_length=20_000)
    public: bool = Field(
        default=True, description="true: a reply the requester receives; false: an internal note."
    )
    author_id: str | None = Field(default=None, description="The writing agent's id.")


class TicketQuery(PageQuery):
    status: TicketStatus | None = None
    priority: Priority | None = None
    assignee_id: str | None = Field(
        default=None, description="An agent id, or 'none' for unassigned tickets."
    )
    tag: str | None = Field(default=None, description="Tickets carrying this tag.")
    requester: str | None = Field(default=None, description="The requester's email.")
    q: str | None = Field(default=None, description="Case-insensitive text in subject or body.")


class CommentQuery(PageQuery):
    public: bool | None = Field(default=None, description="Only replies (true) or notes (false).")


class AgentQuery(PageQuery):
    team: str | None = None
    active: bool | None = None
    email: str | None = None
