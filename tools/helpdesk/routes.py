"""The helpdesk's HTTP API: tickets with status rules and ETags, comments, agents."""

from __future__ import annotations

from typing import Any

from sandbox.records import Record
from sandbox.rest import (
    add_token_endpoint,
    check_if_match,
    filter_and_sort,
    paginate,
    require,
    with_etag,
)
from sandbox.service import Call, HttpError, Reply, Service
from tools.helpdesk.models import (
    PRIORITY_RANK,
    Agent,
    AgentQuery,
    BulkResult,
    BulkTicketUpdate,
    Comment,
    CommentCreate,
    CommentQuery,
    Ticket,
    TicketCreate,
    TicketQuery,
    TicketStatus,
    TicketUpdate,
)
from tools.helpdesk.seed import generate

HELPDESK = Service(
    "helpdesk",
    "https://api.helpdesk.example/v1",
    title="Helpdesk API",
    description="Support tickets, public replies and internal notes, agents. GET a ticket for "
    "its ETag and send it back as If-Match when you change the ticket.",
)
add_token_endpoint(HELPDESK)
HELPDESK.seed(generate)

S = TicketStatus
TRANSITIONS: dict[str, tuple[TicketStatus, ...]] = {
    S.new: (S.open, S.pending, S.solved),
    S.open: (S.pending, S.solved),
    S.pending: (S.open, S.solved),
    S.solved: (S.open, S.closed),
    S.closed: (),
}
"""Status → the statuses it may move to. Closed is final."""

TICKET_SORTABLE = ("created_at", "updated_at", "priority", "subject")


# ---- records: scenarios may leave out fields that have an obvious default ----------------------


def _ticket(record: Record) -> Record:
    full: Record = {"body": "", "priority": "normal", "tags": [], "assignee_id": None,
                    "comment_count": 0, **record}  # fmt: skip
    full.setdefault("requester_name", str(full.get("requester", "")).split("@")[0])
    full.setdefault("updated_at", full.get("created_at"))
    ordered = {name: full.pop(name) for name in Ticket.model_fields if name in full}
    return {**ordered, **full}


def _tickets(call: Call) -> list[Record]:
    return [_ticket(record) for record in call.data.view("tickets")]


def _require_ticket(call: Call) -> Record:
    return _ticket(require(call, "tickets", call.params["ticket_id"], "ticket"))


def _agent_record(record: Record) -> Record:
    return {"team": "", "active": True, **record}


# ---- rules -----------------------------------------------------------------------------------


def _closed(ticket: Record) -> HttpError:
    return HttpError(
        409,
        f"ticket {ticket['id']} is closed, and closed tickets are final (rule: no changes or "
        "comments after closing); open a new ticket to follow up",
        code="ticket_closed",
    )


def _check_transition(ticket: Record, wanted: TicketStatus) -> None:
    current = ticket["status"]
    if wanted == current:
        return
    allowed = TRANSITIONS[current]
    if wanted not in allowed:
        nexts = ", ".join(str(s) for s in allowed) or "none"
        raise HttpError(
            409,
            f"ticket {ticket['id']} cannot go from {current} to {wanted} "
            f"(rule: {current} may move to {nexts})",
            code="invalid_transition",
            field="status",
        )


def _agent(call: Call, agent_id: str, field: str) -> Record:
    """An active agent, or a 422 naming the field."""
    found = call.data.get("agents", agent_id)
    if found is None:
        hint = " (that looks like an email: look its id up with GET /agents?email=…)" if (
            "@" in agent_id
        ) else ""  # fmt: skip
        raise HttpError(
            422,
            f"{field} {agent_id!r} is not an agent id{hint}; agents are listed at GET /agents",
            code="unknown_agent",
            field=field,
        )
    agent = _agent_record(found)
    if not agent["active"]:
        raise HttpError(
            422,
            f"agent {agent_id} ({agent['name']}) is away (active: false) and cannot take work; "
            f"choose an active agent of team {agent['team']}",
            code="agent_inactive",
            field=field,
        )
    return agent


def _require_assignee_to_solve(ticket: Record) -> None:
    if ticket["status"] == S.solved and ticket["assignee_id"] is None:
        raise HttpError(
            409,
            f"ticket {ticket['id']} has no assignee (rule: a ticket needs an assignee before it "
            "can be solved); set assignee_id in the same request or first",
            code="assignee_required",
            field="assignee_id",
        )


# ---- tickets ---------------------------------------------------------------------------------


@HELPDESK.endpoint("GET", "/tickets", scope="tickets:read", query=TicketQuery, response=Ticket,
                   paginated=True)  # fmt: skip
def list_tickets(call: Call) -> dict[str, Any]:
    """List tickets, filtered by status, priority, assignee, tag, requester or text."""
    query: TicketQuery = call.query
    records = _tickets(call)
    if query.assignee_id is not None:
        wanted = None if query.assignee_id.lower() == "none" else query.assignee_id
        records = [r for r in records if r["assignee_id"] == wanted]
    if query.tag is not None:
        records = [r for r in records if query.tag.lower() in r["tags"]]
    if query.q:
        needle = query.q.lower()
        records = [
            r for r in records if needle in r["subject"].lower() or needle in r["body"].lower()
        ]
    records = filter_and_sort(
        call, records, filters=("status", "priority", "requester"), sortable=TICKET_SORTABLE
    )
    if query.sort and query.sort.removeprefix("-") == "priority":
        rank = PRIORITY_RANK
        records.sort(key=lambda r: rank[r["priority"]], reverse=query.sort.startswith("-"))
    return paginate(call, records, "/tickets")


@HELPDESK.endpoint("POST", "/tickets", scope="tickets:write", body=TicketCreate, response=Ticket,
                   status=201, errors=(422,))  # fmt: skip
def create_ticket(call: Call) -> Reply:
    """Open a ticket on a requester's behalf."""
    body: TicketCreate = call.body
    if body.assignee_id is not None:
        _agent(call, body.assignee_id, "assignee_id")
    now = call.now_iso()
    ticket = Ticket(
        id=call.new_id("tkt"),
        subject=body.subject,
        body=body.body,
        requester=body.requester.lower(),
        requester_name=body.requester_name or body.requester.split("@")[0],
        priority=body.priority,
        tags=body.tags,
        status=S.open if body.assignee_id else S.new,
        assignee_id=body.assignee_id,
        created_at=now,
        updated_at=now,
    ).model_dump(mode="json")
    call.data.put("tickets", ticket["id"], ticket)
    return with_etag(ticket, 201, {"Location": call.url(f"/tickets/{ticket['id']}")})


@HELPDESK.endpoint("GET", "/tickets/{ticket_id}", scope="tickets:read", response=Ticket,
                   errors=(404,))  # fmt: skip
def get_ticket(call: Call) -> Reply:
    """Get one ticket; the ETag header is what If-Match expects when you change it."""
    return with_etag(_require_ticket(call))


@HELPDESK.endpoint("PATCH", "/tickets/{ticket_id}", scope="tickets:write", body=TicketUpdate,
                   response=Ticket, errors=(404, 409, 412))  # fmt: skip
def update_ticket(call: Call) -> Reply:
    """Change a ticket's status, priority, assignee, tags or subject (If-Match honoured)."""
    ticket = _require_ticket(call)
    check_if_match(call, ticket)
    return with_etag(_apply_update(call, ticket, call.body))


def _apply_update(call: Call, ticket: Record, body: TicketUpdate) -> Record:
    """Apply ``body`` to ``ticket`` with the status rules and store it; an ``HttpError`` when a
    rule refuses (nothing is stored then)."""
    sent = {name for name in body.model_fields_set if name == "assignee_id" or
            getattr(body, name) is not None}  # fmt: skip
    if not sent:
        fields = ", ".join(TicketUpdate.model_fields)
        raise HttpError(422, f"nothing to change: send at least one of {fields}", field="(body)")
    if ticket["status"] == S.closed:
        raise _closed(ticket)
    if "tags" in sent and sent & {"add_tags", "remove_tags"}:
        raise HttpError(
            422, "send either tags (replace all) or add_tags/remove_tags, not both", field="tags"
        )
    updated = dict(ticket)
    if body.status is not None:
        _check_transition(ticket, body.status)
        updated["status"] = body.status.value
    if "assignee_id" in sent:
        if body.assignee_id is not None:
            _agent(call, body.assignee_id, "assignee_id")
        updated["assignee_id"] = body.assignee_id
    if body.priority is not None:
        updated["priority"] = body.priority.value
    if body.subject is not None:
        updated["subject"] = body.subject
    tags = set(body.tags if body.tags is not None else ticket["tags"])
    tags = (tags | set(body.add_tags or ())) - set(body.remove_tags or ())
    updated["tags"] = sorted(tags)
    _require_assignee_to_solve(updated)
    if updated != ticket:
        updated["updated_at"] = call.now_iso()
        call.data.put("tickets", ticket["id"], updated)
    return updated


@HELPDESK.endpoint("POST", "/tickets/bulk-update", scope="tickets:write", body=BulkTicketUpdate,
                   response=BulkResult, errors=(422,))  # fmt: skip
def bulk_update_tickets(call: Call) -> Reply:
    """Apply one change to many tickets; each is judged on its own (207 when some failed)."""
    body: BulkTicketUpdate = call.body
    results: list[dict[str, Any]] = []
    for ticket_id in body.ticket_ids:
        ticket = call.data.get("tickets", ticket_id)
        try:
            if ticket is None:
                raise HttpError(404, f"ticket {ticket_id!r} not found", code="not_found")
            updated = _apply_update(call, _ticket(ticket), body.update)
        except HttpError as error:
            results.append({"id": ticket_id, "status": error.status, "ticket": None,
                            "error": {"code": error.code, "message": error.message}})  # fmt: skip
        else:
            results.append({"id": ticket_id, "status": 200, "ticket": updated, "error": None})
    failed = sum(1 for item in results if item["error"] is not None)
    if failed == len(results):
        raise HttpError(
            422,
            f"none of the {len(results)} tickets was updated; see details",
            code="bulk_failed",
            details=results,
        )
    summary = {"updated": len(results) - failed, "failed": failed, "results": results}
    return Reply(summary, status=207 if failed else 200)


# ---- comments --------------------------------------------------------------------------------


@HELPDESK.endpoint("GET", "/tickets/{ticket_id}/comments", scope="tickets:read",
                   query=CommentQuery, response=Comment, paginated=True,
                   errors=(404,))  # fmt: skip
def list_comments(call: Call) -> dict[str, Any]:
    """A ticket's comments, oldest first: public replies and internal notes."""
    ticket = _require_ticket(call)
    records = call.data.view("comments", where=lambda c: c["ticket_id"] == ticket["id"])
    records = filter_and_sort(call, records, filters=("public",), sortable=("created_at",))
    return paginate(call, records, f"/tickets/{ticket['id']}/comments")


@HELPDESK.endpoint("POST", "/tickets/{ticket_id}/comments", scope="tickets:write",
                   body=CommentCreate, response=Comment, status=201,
                   errors=(404, 409, 422))  # fmt: skip
def add_comment(call: Call) -> Reply:
    """Reply to the requester (public) or leave an internal note (public: false)."""
    ticket = _require_ticket(call)
    if ticket["status"] == S.closed:
        raise _closed(ticket)
    body: CommentCreate = call.body
    if body.author_id is not None:
        _agent(call, body.author_id, "author_id")
    comment = Comment(
        id=call.new_id("cmt"),
        ticket_id=ticket["id"],
        body=body.body,
        public=body.public,
        author_id=body.author_id,
        created_at=call.now_iso(),
    ).model_dump(mode="json")
    call.data.put("comments", comment["id"], comment)
    ticket["comment_count"] += 1
    ticket["updated_at"] = comment["created_at"]
    call.data.put("tickets", ticket["id"], ticket)
    location = call.url(f"/tickets/{ticket['id']}/comments")
    return Reply(comment, status=201, headers={"Location": location})


# ---- agents ----------------------------------------------------------------------------------


@HELPDESK.endpoint("GET", "/agents", scope="agents:read", query=AgentQuery, response=Agent,
                   paginated=True)  # fmt: skip
def list_agents(call: Call) -> dict[str, Any]:
    """List agents (assignees), filtered by team, active flag or email."""
    agents = [_agent_record(record) for record in call.data.view("agents")]
    records = filter_and_sort(call, agents, filters=("team", "active", "email"), sortable=("name",))
    return paginate(call, records, "/agents")


@HELPDESK.endpoint("GET", "/agents/{agent_id}", scope="agents:read", response=Agent,
                   errors=(404,))  # fmt: skip
def get_agent(call: Call) -> Record:
    """Get one agent."""
    return _agent_record(require(call, "agents", call.params["agent_id"], "agent"))
