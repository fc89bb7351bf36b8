"""The calendar's booking rules: who is busy when, attendee lists, and double-booking conflicts."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from sandbox.records import Record
from sandbox.service import Call, HttpError
from tools.calendar.models import EMAIL_PATTERN, Event, Person, ResponseStatus
from tools.calendar.times import Interval, local_iso, overlaps, parse, utc_iso

MAX_DURATION = timedelta(days=14)


def person(record: Record) -> Record:
    """A person record with defaults filled in (scenarios may leave out working hours)."""
    return Person.model_validate(record).model_dump(mode="json")


def directory(call: Call) -> dict[str, Record]:
    """People by (lower-case) email."""
    found = (person(record) for record in call.data.view("people"))  # validated: new dicts
    return {someone["email"].lower(): someone for someone in found}


def event(record: Record, people: dict[str, Record]) -> Record:
    """An event record as the API shows it: times in UTC with local copies, attendee names,
    defaults filled in. Scenarios may give just id, title, start, end, organizer, attendees."""
    full = dict(record)
    organizer = str(full["organizer"]).lower()
    full["organizer"] = organizer
    full.setdefault("description", "")
    full.setdefault("location", "")
    zone = full.get("time_zone") or people.get(organizer, {}).get("time_zone", "UTC")
    full["time_zone"] = zone
    full.setdefault("created_at", full["start"])
    full.setdefault("updated_at", full["created_at"])
    full["attendees"] = attendees(
        organizer, [a["email"] for a in full.get("attendees", [])], people,
        full.get("attendees", []),
    )  # fmt: skip
    set_times(full, parse(full["start"]), parse(full["end"]))
    ordered = {name: full.pop(name) for name in Event.model_fields if name in full}
    return {**ordered, **full}


def span(record: Record) -> Interval:
    return parse(record["start"]), parse(record["end"])


def overlapping(call: Call, when: Interval) -> list[Record]:
    """Stored events (as stored, not normalised: cheap) that overlap ``when``; the store's own
    records, for reading only."""
    return call.data.view("events", where=lambda r: overlaps(when, span(r)))


def takes_part(record: Record, email: str) -> bool:
    """Whether ``email`` organizes or is invited to an event (stored or normalised)."""
    return str(record["organizer"]).lower() == email or any(
        str(a["email"]).lower() == email for a in record.get("attendees", [])
    )


def is_busy(record: Record, email: str) -> bool:
    """Whether ``email`` is busy during an event (stored or normalised): the organizer always,
    an attendee unless they declined."""
    if str(record["organizer"]).lower() == email:
        return True
    return any(
        str(a["email"]).lower() == email and a.get("response") != ResponseStatus.declined
        for a in record.get("attendees", [])
    )


def check_times(start: datetime, end: datetime) -> None:
    if end <= start:
        raise HttpError(
            422,
            f"end {utc_iso(end)} must be after start {utc_iso(start)}",
            code="validation_error",
            field="end",
        )
    if end - start > MAX_DURATION:
        raise HttpError(422, "an event lasts at most 14 days", code="validation_error", field="end")


def attendees(
    organizer: str, emails: list[str], people: dict[str, Record], previous: list[Record]
) -> list[dict[str, Any]]:
    """The attendee list: the organizer (accepted) and each invitee once, sorted by email;
    responses already given are kept."""
    before = {a["email"].lower(): a.get("response", "needs_action") for a in previous}
    chosen: dict[str, dict[str, Any]] = {}
    for index, raw in enumerate([organizer, *emails]):
        email = raw.strip().lower()
        if not re.match(EMAIL_PATTERN, email):
            raise HttpError(
                422,
                f"attendees.{index - 1}: {raw!r} is not an email address",
                code="validation_error",
                field=f"attendees.{index - 1}",
            )
        default = ResponseStatus.accepted if email == organizer else ResponseStatus.needs_action
        person = people.get(email)
        chosen[email] = {
            "email": email,
            "name": person["name"] if person else None,
            "response": str(before.get(email, default)),
        }
    return [chosen[email] for email in sorted(chosen)]


def set_times(record: Record, start: datetime, end: datetime) -> None:
    record["start"], record["end"] = utc_iso(start), utc_iso(end)
    record["start_local"] = local_iso(start, record["time_zone"])
    record["end_local"] = local_iso(end, record["time_zone"])


def clashes(call: Call, booked: Record, people: dict[str, Record]) -> list[dict[str, str]]:
    """Other events that overlap ``booked`` for one of its (non-declining, known) attendees."""
    found = []
    for other in overlapping(call, span(booked)):
        if other["id"] == booked["id"]:
            continue
        for attendee in booked["attendees"]:
            email = attendee["email"]
            if attendee["response"] == ResponseStatus.declined or email not in people:
                continue
            if is_busy(other, email):
                found.append(
                    {
                        "email": email,
                        "event_id": other["id"],
                        "title": other["title"],
                        "start": utc_iso(parse(other["start"])),
                        "end": utc_iso(parse(other["end"])),
                    }
                )
    return found


def refuse_double_booking(found: list[dict[str, str]]) -> None:
    if not found:
        return
    shown = "; ".join(
        f"{c['email']} already has {c['title']!r} ({c['event_id']}) {c['start']} to {c['end']}"
        for c in found[:3]
    )
    more = f" and {len(found) - 3} more" if len(found) > 3 else ""
    raise HttpError(
        409,
        f"double booking: {shown}{more}. Find a time everyone is free with POST /freebusy, or "
        "send allow_conflicts: true to book anyway",
        code="conflict",
        details=found,
    )
