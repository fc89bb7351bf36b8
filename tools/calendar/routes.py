"""The calendar's HTTP API: people, events with attendees, responses, free/busy, conflicts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sandbox.records import Record
from sandbox.rest import add_token_endpoint, filter_and_sort, paginate, require
from sandbox.service import Call, HttpError, Reply, Service
from tools.calendar import booking
from tools.calendar.models import (
    BusyBlock,
    Event,
    EventCreate,
    EventQuery,
    EventUpdate,
    FreeBusy,
    FreeBusyCalendar,
    FreeBusyRequest,
    PeopleQuery,
    Person,
    ResponseUpdate,
)
from tools.calendar.seed import generate
from tools.calendar.times import all_zones, local_iso, merge, overlaps, to_utc, utc_iso

CALENDAR = Service(
    "calendar",
    "https://api.calendar.example/v1",
    title="Calendar API",
    description="People with time zones and working hours, events with attendees, free/busy. "
    "Times are ISO 8601 with an offset; events are stored in UTC with local copies. Booking "
    "someone who is busy is a 409 conflict unless allow_conflicts is true.",
)
add_token_endpoint(CALENDAR)
CALENDAR.seed(generate)
CALENDAR.prepare = all_zones  # time-zone data is read at build time, never by an action

MAX_FREEBUSY_RANGE = timedelta(days=62)


# ---- people ----------------------------------------------------------------------------------


@CALENDAR.endpoint("GET", "/people", scope="people:read", query=PeopleQuery, response=Person,
                   paginated=True)  # fmt: skip
def list_people(call: Call) -> dict[str, Any]:
    """List people (each has a calendar), filtered by email, time zone or name text."""
    records = list(booking.directory(call).values())
    if call.query.q:
        records = [r for r in records if call.query.q.lower() in r["name"].lower()]
    records = filter_and_sort(
        call, records, filters=("email", "time_zone"), sortable=("name", "email")
    )
    return paginate(call, records, "/people")


@CALENDAR.endpoint("GET", "/people/{person_id}", scope="people:read", response=Person,
                   errors=(404,))  # fmt: skip
def get_person(call: Call) -> Record:
    """Get one person: time zone and working hours."""
    return booking.person(require(call, "people", call.params["person_id"], "person"))


# ---- events ----------------------------------------------------------------------------------


@CALENDAR.endpoint("GET", "/events", scope="events:read", query=EventQuery, response=Event,
                   paginated=True)  # fmt: skip
def list_events(call: Call) -> dict[str, Any]:
    """List events by start time, filtered by attendee, organizer, time range or title text."""
    query: EventQuery = call.query
    low = to_utc(query.time_min) if query.time_min else None
    high = to_utc(query.time_max) if query.time_max else None
    attendee = query.attendee.lower() if query.attendee else None
    text = query.q.lower() if query.q else None

    def wanted(r: Record) -> bool:
        return (
            (low is None or booking.span(r)[1] > low)
            and (high is None or booking.span(r)[0] < high)
            and (attendee is None or booking.takes_part(r, attendee))
            and (text is None or text in r["title"].lower())
        )

    records = call.data.view("events", where=wanted)
    people = booking.directory(call)
    records = [booking.event(r, people) for r in records]
    if not query.sort:
        records.sort(key=lambda r: r["start"])
    records = filter_and_sort(
        call, records, filters=("organizer",), sortable=("start", "end", "title", "created_at")
    )
    return paginate(call, records, "/events")


@CALENDAR.endpoint("POST", "/events", scope="events:write", body=EventCreate, response=Event,
                   status=201, errors=(409, 422), idempotent=True)  # fmt: skip
def create_event(call: Call) -> Reply:
    """Create an event; 409 if an attendee is busy then (unless allow_conflicts)."""
    body: EventCreate = call.body
    people = booking.directory(call)
    organizer = body.organizer.lower()
    if organizer not in people:
        raise HttpError(
            422,
            f"organizer {body.organizer!r} has no calendar here; people are listed at GET /people",
            code="unknown_person",
            field="organizer",
        )
    booking.check_times(body.start, body.end)
    now = call.now_iso()
    event: Record = {
        "id": "",
        "title": body.title,
        "description": body.description,
        "location": body.location,
        "time_zone": body.time_zone or people[organizer]["time_zone"],
        "organizer": organizer,
        "attendees": booking.attendees(organizer, body.attendees, people, []),
        "created_at": now,
        "updated_at": now,
    }
    booking.set_times(event, body.start, body.end)
    if not body.allow_conflicts:
        booking.refuse_double_booking(booking.clashes(call, event, people))
    event["id"] = call.new_id("evt")
    event = Event.model_validate(event).model_dump(mode="json")
    call.data.put("events", event["id"], event)
    return Reply(event, status=201, headers={"Location": call.url(f"/events/{event['id']}")})


@CALENDAR.endpoint("GET", "/events/{event_id}", scope="events:read", response=Event,
                   errors=(404,))  # fmt: skip
def get_event(call: Call) -> Record:
    """Get one event with its attendees and their responses."""
    record = require(call, "events", call.params["event_id"], "event")
    return booking.event(record, booking.directory(call))


@CALENDAR.endpoint("PATCH", "/events/{event_id}", scope="events:write", body=EventUpdate,
                   response=Event, errors=(404, 409, 422))  # fmt: skip
def update_event(call: Call) -> Record:
    """Change an event: sending only start moves it and keeps its length; 409 on a clash."""
    people = booking.directory(call)
    event = booking.event(require(call, "events", call.params["event_id"], "event"), people)
    body: EventUpdate = call.body
    sent = {name for name in body.model_fields_set if getattr(body, name) is not None}
    if not sent - {"allow_conflicts"}:
        fields = ", ".join(n for n in EventUpdate.model_fields if n != "allow_conflicts")
        raise HttpError(422, f"nothing to change: send at least one of {fields}", field="(body)")
    updated = dict(event)
    for name in ("title", "description", "location", "time_zone"):
        if name in sent:
            updated[name] = getattr(body, name)
    start, end = booking.span(event)
    if body.start is not None:
        end = body.end if body.end is not None else body.start + (end - start)
        start = body.start
    elif body.end is not None:
        end = body.end
    booking.check_times(start, end)
    booking.set_times(updated, start, end)
    if body.attendees is not None:
        updated["attendees"] = booking.attendees(
            event["organizer"], body.attendees, people, event["attendees"]
        )
    moved = (updated["start"], updated["end"]) != (event["start"], event["end"])
    invited = {a["email"] for a in updated["attendees"]} - {a["email"] for a in event["attendees"]}
    if (moved or invited) and not body.allow_conflicts:
        found = booking.clashes(call, updated, people)
        if not moved:
            found = [c for c in found if c["email"] in invited]
        booking.refuse_double_booking(found)
    if updated != event:
        updated["updated_at"] = call.now_iso()
        call.data.put("events", event["id"], updated)
    return updated


@CALENDAR.endpoint("DELETE", "/events/{event_id}", scope="events:write", errors=(404,))
def delete_event(call: Call) -> None:
    """Delete (cancel) an event for everyone."""
    event = require(call, "events", call.params["event_id"], "event")
    call.data.delete("events", event["id"])


@CALENDAR.endpoint("PATCH", "/events/{event_id}/attendees/{email}", scope="events:write",
                   body=ResponseUpdate, response=Event, errors=(404,))  # fmt: skip
def respond(call: Call) -> Record:
    """Record an attendee's response: accepted, tentative or declined."""
    record = require(call, "events", call.params["event_id"], "event")
    event = booking.event(record, booking.directory(call))
    email = call.params["email"].lower()
    attendee = next((a for a in event["attendees"] if a["email"] == email), None)
    if attendee is None:
        invited = ", ".join(a["email"] for a in event["attendees"])
        raise HttpError(
            404, f"{email} is not invited to {event['id']} (attendees: {invited})",
            code="not_found",
        )  # fmt: skip
    if attendee["response"] != call.body.response:
        attendee["response"] = call.body.response.value
        event["updated_at"] = call.now_iso()
        call.data.put("events", event["id"], event)
    return event


# ---- free/busy -------------------------------------------------------------------------------


@CALENDAR.endpoint("POST", "/freebusy", scope="events:read", body=FreeBusyRequest,
                   response=FreeBusy, errors=(422,))  # fmt: skip
def free_busy(call: Call) -> FreeBusy:
    """When each person is busy between time_min and time_max (merged blocks, in UTC)."""
    body: FreeBusyRequest = call.body
    low, high = to_utc(body.time_min), to_utc(body.time_max)
    if high <= low:
        raise HttpError(422, "time_max must be after time_min", field="time_max")
    if high - low > MAX_FREEBUSY_RANGE:
        raise HttpError(422, "ask for at most 62 days at a time", field="time_max")
    people = booking.directory(call)
    events = booking.overlapping(call, (low, high))
    calendars = []
    for index, raw in enumerate(body.attendees):
        person = people.get(raw.strip().lower())
        if person is None:
            raise HttpError(
                422,
                f"attendees.{index}: no calendar for {raw!r}; people are listed at GET /people",
                code="unknown_person",
                field=f"attendees.{index}",
            )
        email = person["email"].lower()
        spans = [booking.span(e) for e in events if booking.is_busy(e, email)]
        blocks = merge(
            (max(start, low), min(end, high))
            for start, end in spans
            if overlaps((start, end), (low, high))
        )
        zone = person["time_zone"]
        calendars.append(
            FreeBusyCalendar(
                email=person["email"],
                name=person["name"],
                time_zone=zone,
                working_hours=person["working_hours"],
                busy=[
                    BusyBlock(
                        start=utc_iso(s),
                        end=utc_iso(e),
                        start_local=local_iso(s, zone),
                        end_local=local_iso(e, zone),
                    )
                    for s, e in blocks
                ],
            )
        )
    return FreeBusy(time_min=utc_iso(low), time_max=utc_iso(high), calendars=calendars)
