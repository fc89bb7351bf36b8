"""Typed helpdesk tools: the SDK path through the same routes as ``http_request``."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from sandbox.tool import ToolResult, tool
from sandbox.world import World
from tools.api_client import (
    PageArgs,
    api_response,
    call_api,
    decode,
    show,
    show_multi_status,
    show_page,
)
from tools.helpdesk.models import Priority, TicketStatus
from tools.helpdesk.routes import HELPDESK


class ListTicketsArgs(PageArgs):
    status: TicketStatus | None = None
    priority: Priority | None = None
    assignee_id: str | None = Field(
        default=None, description="An agent id (agt_101), or 'none' for unassigned tickets."
    )
    tag: str | None = Field(default=None, description="Only tickets carrying this tag.")
    requester: str | None = Field(default=None, description="The requester's email.")
    q: str | None = Field(default=None, description="Text in the subject or body.")
    sort: str | None = Field(
        default=None,
        description="created_at, updated_at, priority or subject; prefix '-' for descending.",
    )


@tool()
def helpdesk_list_tickets(world: World, args: ListTicketsArgs) -> str | ToolResult:
    """List helpdesk tickets (one page; follow next_cursor for more), filtered by status,
    priority, assignee, tag, requester or text."""
    query = args.model_dump(mode="json")
    return show_page(call_api(world, HELPDESK, "GET", "/tickets", query=query))


class TicketArgs(BaseModel):
    ticket_id: str = Field(description="e.g. tkt_1012")


def _with_etag(payload: Any, etag: str | None) -> str:
    return (f"ETag: {etag}\n" if etag else "") + show(payload)


@tool()
def helpdesk_get_ticket(world: World, args: TicketArgs) -> str:
    """Get one ticket: subject, body, requester, status, priority, tags, assignee. Also shows
    its ETag, which helpdesk_update_ticket takes as if_match to avoid overwriting a newer edit."""
    path = f"/tickets/{args.ticket_id}"
    response = api_response(world, HELPDESK, "GET", path)
    return _with_etag(decode(response, "GET", path), response.headers.get("etag"))


class CreateTicketArgs(BaseModel):
    subject: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, description="The requester's message.")
    requester: str = Field(description="The requester's email address.")
    requester_name: str | None = None
    priority: Priority = Priority.normal
    tags: list[str] = Field(default_factory=list)
    assignee_id: str | None = Field(default=None, description="An active agent's id.")


@tool()
def helpdesk_create_ticket(world: World, args: CreateTicketArgs) -> str:
    """Open a new ticket on a requester's behalf (status new, or open when assigned)."""
    body = args.model_dump(mode="json", exclude_none=True)
    return show(call_api(world, HELPDESK, "POST", "/tickets", body=body))


class UpdateTicketArgs(TicketArgs):
    status: TicketStatus | None = Field(
        default=None,
        description="new→open|pending|solved, open→pending|solved, pending→open|solved, "
        "solved→open|closed; closed is final. Solving needs an assignee.",
    )
    priority: Priority | None = None
    assignee_id: str | None = Field(default=None, description="An active agent's id (agt_101).")
    unassign: bool = Field(default=False, description="Remove the assignee.")
    add_tags: list[str] | None = Field(default=None, description="Tags to add.")
    remove_tags: list[str] | None = Field(default=None, description="Tags to remove.")
    tags: list[str] | None = Field(default=None, description="Replace all tags with these.")
    subject: str | None = None
    if_match: str | None = Field(
        default=None,
        description="The ETag from helpdesk_get_ticket: the update fails (412) if the ticket "
        "changed since.",
    )


@tool()
def helpdesk_update_ticket(world: World, args: UpdateTicketArgs) -> str:
    """Change a ticket: status (with the transition rules), priority, assignee, tags, subject.
    Only the fields given change."""
    body = args.model_dump(
        mode="json", exclude={"ticket_id", "unassign", "if_match"}, exclude_none=True
    )
    if args.unassign:
        body["assignee_id"] = None
    headers = {"If-Match": args.if_match} if args.if_match else None
    path = f"/tickets/{args.ticket_id}"
    response = api_response(world, HELPDESK, "PATCH", path, body=body, headers=headers)
    return _with_etag(decode(response, "PATCH", path), response.headers.get("etag"))


class BulkUpdateArgs(BaseModel):
    ticket_ids: list[str] = Field(min_length=1, max_length=50, description="Tickets to change.")
    status: TicketStatus | None = Field(
        default=None, description="The new status for each (the transition rules apply to each)."
    )
    priority: Priority | None = None
    assignee_id: str | None = Field(default=None, description="An active agent's id (agt_101).")
    add_tags: list[str] | None = Field(default=None, description="Tags to add.")
    remove_tags: list[str] | None = Field(default=None, description="Tags to remove.")


@tool()
def helpdesk_bulk_update_tickets(world: World, args: BulkUpdateArgs) -> str | ToolResult:
    """Apply one change to many tickets at once. Each ticket is judged on its own: when some
    fail (a closed ticket, a refused transition) the others still change, and the step is
    partial, naming the failed tickets."""
    update = args.model_dump(mode="json", exclude={"ticket_ids"}, exclude_none=True)
    path = "/tickets/bulk-update"
    body = {"ticket_ids": args.ticket_ids, "update": update}
    return show_multi_status(api_response(world, HELPDESK, "POST", path, body=body), "POST", path)


class AddCommentArgs(TicketArgs):
    body: str = Field(min_length=1, description="The text of the reply or note.")
    public: bool = Field(
        default=True,
        description="true: a reply emailed to the requester; false: an internal note for agents.",
    )
    author_id: str | None = Field(default=None, description="The writing agent's id.")


@tool()
def helpdesk_add_comment(world: World, args: AddCommentArgs) -> str:
    """Reply to a ticket's requester (public) or add an internal note (public: false)."""
    body = args.model_dump(exclude={"ticket_id"}, exclude_none=True)
    path = f"/tickets/{args.ticket_id}/comments"
    return show(call_api(world, HELPDESK, "POST", path, body=body))


class ListCommentsArgs(TicketArgs, PageArgs):
    public: bool | None = Field(default=None, description="Only replies (true) or notes (false).")


@tool()
def helpdesk_list_comments(world: World, args: ListCommentsArgs) -> str | ToolResult:
    """A ticket's comments, oldest first (public replies and internal notes)."""
    query = args.model_dump(exclude={"ticket_id"})
    path = f"/tickets/{args.ticket_id}/comments"
    return show_page(call_api(world, HELPDESK, "GET", path, query=query))


class ListAgentsArgs(PageArgs):
    team: str | None = Field(default=None, description="billing, accounts, technical, support…")
    active: bool | None = Field(default=None, description="Only agents at work (true) or away.")
    email: str | None = None


@tool()
def helpdesk_list_agents(world: World, args: ListAgentsArgs) -> str | ToolResult:
    """List helpdesk agents (the people tickets are assigned to): id, name, email, team, active."""
    return show_page(call_api(world, HELPDESK, "GET", "/agents", query=args.model_dump()))


HELPDESK_TOOLS = (
    helpdesk_list_tickets,
    helpdesk_get_ticket,
    helpdesk_create_ticket,
    helpdesk_update_ticket,
    helpdesk_bulk_update_tickets,
    helpdesk_add_comment,
    helpdesk_list_comments,
    helpdesk_list_agents,
)
