"""The helpdesk agent portal at https://support.acme.example: ticket lists, a ticket page with
the conversation, a reply form and status/assignee updates — all through the helpdesk API's
own handlers, so a reply here is the comment the API returns."""

from __future__ import annotations

import math
from typing import Any

from tools.helpdesk import HELPDESK
from tools.sites.internal import api
from tools.sites.site import Html, PageError, Site, Visit, add_login

PORTAL = Site(
    "portal",
    "support.acme.example",
    title="Acme Support",
    backends=(HELPDESK,),
    help=(
        "Tickets lists every ticket, newest first; filter by status. On a ticket, Reply sends "
        "a message to the customer (tick Internal note to keep it among agents), and Update "
        "changes its status and assignee. A ticket can only be solved once it has an assignee.",
    ),
)
STATUSES = ("new", "open", "pending", "solved", "closed")
PAGE_SIZE = 10


def _agents(visit: Visit) -> dict[str, str]:
    return {a["id"]: a["name"] for a in visit.world.records.list("helpdesk", "agents")}


def _render(visit: Visit, template: str, status: int = 200, **context: Any) -> Html:
    return visit.render(
        template, status=status, agents=_agents(visit), statuses=STATUSES, **context
    )


@PORTAL.page("GET", "/")
def home(visit: Visit) -> Html:
    return visit.redirect("/tickets" if visit.session else "/login")


add_login(
    PORTAL,
    "portal/login.html",
    home="/tickets",
    context=lambda visit: {"agents": _agents(visit), "statuses": STATUSES},
    session_extra=lambda account: {"agent_id": account.get("agent_id")},
)


@PORTAL.page("GET", "/tickets")
def tickets(visit: Visit) -> Html:
    visit.require_login()
    status = visit.query.get("status", "")
    records = visit.world.records.list("helpdesk", "tickets")
    if status:
        records = [t for t in records if t["status"] == status]
    records.sort(key=lambda t: t["created_at"], reverse=True)
    pages = max(1, math.ceil(len(records) / PAGE_SIZE))
    page = min(max(1, visit.page_number()), pages)
    shown = records[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return _render(
        visit, "portal/tickets.html", page=page, pages=pages, tickets=shown, filter_status=status
    )


def _ticket(visit: Visit) -> dict[str, Any]:
    ticket = visit.world.records.get("helpdesk", "tickets", visit.params["ticket_id"])
    if ticket is None:
        raise PageError(404, "This ticket does not exist.")
    return ticket


def _ticket_page(visit: Visit, status: int = 200, **extra: Any) -> Html:
    ticket = _ticket(visit)
    comments = [
        c
        for c in visit.world.records.list("helpdesk", "comments")
        if c.get("ticket_id") == ticket["id"]
    ]
    return _render(
        visit, "portal/ticket.html", status=status, ticket=ticket, comments=comments, **extra
    )


@PORTAL.page("GET", "/tickets/{ticket_id}")
def ticket_page(visit: Visit) -> Html:
    visit.require_login()
    return _ticket_page(visit)


@PORTAL.page("POST", "/tickets/{ticket_id}/comments")
def reply(visit: Visit) -> Html:
    session = visit.require_login()
    ticket = _ticket(visit)
    body = {
        "body": visit.form.get("body", ""),
        "public": visit.form.get("internal") != "on",
        "author_id": session.get("agent_id"),
    }
    status, answer = api(visit.world, HELPDESK, "POST", f"/tickets/{ticket['id']}/comments", body)
    if status >= 400:
        return _ticket_page(visit, status=status, errors=[answer["error"]["message"]])
    return _ticket_page(visit, flash="Reply added.")


@PORTAL.page("POST", "/tickets/{ticket_id}")
def update(visit: Visit) -> Html:
    visit.require_login()
    ticket = _ticket(visit)
    change: dict[str, Any] = {}
    if visit.form.get("status") and visit.form["status"] != ticket["status"]:
        change["status"] = visit.form["status"]
    assignee = visit.form.get("assignee_id") or None
    if assignee != ticket.get("assignee_id"):
        change["assignee_id"] = assignee
    if not change:
        return _ticket_page(visit, flash="Nothing changed.")
    if "assignee_id" in change and "status" in change:  # assign first: solving needs an assignee
        first = {"assignee_id": change.pop("assignee_id")}
        status, answer = api(visit.world, HELPDESK, "PATCH", f"/tickets/{ticket['id']}", first)
        if status >= 400:
            return _ticket_page(visit, status=status, errors=[answer["error"]["message"]])
    status, answer = api(visit.world, HELPDESK, "PATCH", f"/tickets/{ticket['id']}", change)
    if status >= 400:
        return _ticket_page(visit, status=status, errors=[answer["error"]["message"]])
    return _ticket_page(visit, flash="Ticket saved.")
