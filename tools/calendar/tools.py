"""Typed calendar tools: the SDK path through the same routes as ``http_request``."""

from __future__ import annotations

from urllib.parse import quote

from pydantic import BaseModel, Field

from sandbox.tool import ToolResult, tool
from sandbox.world import World
from tools.api_client import PageArgs, call_api, show, show_page
from tools.calendar.models import TIME_HELP, ResponseStatus
from tools.calendar.routes import CALENDAR


class ListPeopleArgs(PageArgs):
    q: str | None = Field(default=None, description="Text in the person's name.")
    email: str | None = None
    time_zone: str | None = Field(default=None, description="IANA name, e.g. Europe/Berlin.")


@tool()
def calendar_list_people(world: World, args: ListPeopleArgs) -> str | ToolResult:
    """List people in the calendar directory: email, IANA time zone and working hours."""
    return show_page(call_api(world, CALENDAR, "GET", "/people", query=args.model_dump()))


class ListEventsArgs(PageArgs):
    attendee: str | None = Field(default=None, description="Only events this email attends.")
    organizer: str | None = Field(default=None, description="Only events this email organizes.")
    time_min: str | None = Field(default=None, description="Events ending after this. " + TIME_HELP)
    time_max: str | None = Field(default=None, description="Events starting before this.")
    q: str | None = Field(default=None, description="Text in the title.")
    sort: str | None = Field(
        default=None, description="start (default), end, title or created_at; '-' descending."
    )


@tool()
def calendar_list_events(world: World, args: ListEventsArgs) -> str | ToolResult:
    """List calendar events (one page, by start time), filtered by attendee, organizer, time
    range or title text."""
    return show_page(call_api(world, CALENDAR, "GET", "/events", query=args.model_dump()))


class EventArgs(BaseModel):
    event_id: str = Field(description="e.g. evt_1012")


@tool()
def calendar_get_event(world: World, args: EventArgs) -> str:
    """Get one event: times (UTC and local), organizer, attendees and their responses."""
    return show(call_api(world, CALENDAR, "GET", f"/events/{args.event_id}"))


class CreateEventArgs(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    start: str = Field(description=TIME_HELP)
    end: str = Field(description=TIME_HELP)
    organizer: str = Field(description="The organizer's email (someone in the directory).")
    attendees: list[str] = Field(default_factory=list, description="Emails to invite.")
    time_zone: str | None = Field(default=None, description="IANA name; default: organizer's.")
    location: str | None = None
    description: str | None = None
    allow_conflicts: bool = Field(
        default=False, description="Book even if someone is busy (otherwise a 409 conflict)."
    )


@tool()
def calendar_create_event(world: World, args: CreateEventArgs) -> str:
    """Create an event. Fails with a 409 naming the clash if an attendee is already busy,
    unless allow_conflicts is true."""
    body = args.model_dump(exclude_none=True)
    return show(call_api(world, CALENDAR, "POST", "/events", body=body))


class UpdateEventArgs(EventArgs):
    start: str | None = Field(
        default=None, description="New start; sent alone it moves the event, keeping its length."
    )
    end: str | None = Field(default=None, description="New end. " + TIME_HELP)
    title: str | None = None
    attendees: list[str] | None = Field(default=None, description="Replace the invitees (emails).")
    time_zone: str | None = None
    location: str | None = None
    description: str | None = None
    allow_conflicts: bool = Field(default=False, description="Move even if someone is busy.")


@tool()
def calendar_update_event(world: World, args: UpdateEventArgs) -> str:
    """Change or move an event (only the fields given change); a move onto someone's busy time
    is a 409 unless allow_conflicts is true."""
    body = args.model_dump(exclude={"event_id"}, exclude_none=True)
    if not body.get("allow_conflicts"):
        body.pop("allow_conflicts", None)
    return show(call_api(world, CALENDAR, "PATCH", f"/events/{args.event_id}", body=body))


@tool()
def calendar_delete_event(world: World, args: EventArgs) -> str:
    """Delete (cancel) an event for everyone."""
    return show(call_api(world, CALENDAR, "DELETE", f"/events/{args.event_id}"))


class FreeBusyArgs(BaseModel):
    time_min: str = Field(description="Start of the range. " + TIME_HELP)
    time_max: str = Field(description="End of the range (at most 62 days later).")
    attendees: list[str] = Field(min_length=1, max_length=20, description="Emails to look up.")


@tool()
def calendar_free_busy(world: World, args: FreeBusyArgs) -> str:
    """When each person is busy in a time range (merged blocks in UTC and their local time),
    with their time zone and working hours: the way to find a slot free for everyone."""
    return show(call_api(world, CALENDAR, "POST", "/freebusy", body=args.model_dump()))


class RespondArgs(EventArgs):
    email: str = Field(description="The attendee answering.")
    response: ResponseStatus


@tool()
def calendar_respond_to_event(world: World, args: RespondArgs) -> str:
    """Record an attendee's answer to an invitation: accepted, tentative or declined."""
    path = f"/events/{args.event_id}/attendees/{quote(args.email, safe='@')}"
    body = {"response": args.response.value}
    return show(call_api(world, CALENDAR, "PATCH", path, body=body))


CALENDAR_TOOLS = (
    calendar_list_people,
    calendar_list_events,
    calendar_get_event,
    calendar_create_event,
    calendar_update_event,
    calendar_delete_event,
    calendar_free_busy,
    calendar_respond_to_event,
)
