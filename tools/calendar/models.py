"""The calendar's resources: people (each with a time zone and working hours), events with
attendees and their responses, and free/busy queries."""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from sandbox.rest import PageQuery
from tools.calendar.times import valid_zone

EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
HHMM_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d$"
TIME_HELP = "ISO 8601 with a UTC offset, e.g. 2026-01-12T10:00:00+01:00 or 2026-01-12T09:00:00Z."


class ResponseStatus(StrEnum):
    needs_action = "needs_action"
    accepted = "accepted"
    tentative = "tentative"
    declined = "declined"


class WorkingHours(BaseModel):
    start: str = Field(default="09:00", pattern=HHMM_PATTERN, description="Local wall-clock time.")
    end: str = Field(default="17:00", pattern=HHMM_PATTERN, description="Local wall-clock time.")
    days: list[str] = Field(default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"])


class Person(BaseModel):
    id: str
    name: str
    email: str
    time_zone: str = Field(description="IANA time zone, e.g. Europe/Berlin.")
    working_hours: WorkingHours = Field(default_factory=WorkingHours)


class Attendee(BaseModel):
    email: str
    name: str | None = Field(default=None, description="From the directory, when known.")
    response: ResponseStatus = ResponseStatus.needs_action


class Event(BaseModel):
    id: str
    title: str
    description: str = ""
    location: str = ""
    start: str = Field(description="UTC, e.g. 2026-01-12T09:00:00Z.")
    end: str = Field(description="UTC; the event ends before this instant.")
    time_zone: str = Field(description="The event's IANA time zone (the organizer's by default).")
    start_local: str = Field(description="start in time_zone, with its offset.")
    end_local: str = Field(description="end in time_zone, with its offset.")
    organizer: str = Field(description="The organizer's email (also an accepted attendee).")
    attendees: list[Attendee] = Field(description="Sorted by email; declined ones are not busy.")
    created_at: str
    updated_at: str


def _zone(value: str | None) -> str | None:
    return None if value is None else valid_zone(value)


class EventCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    start: AwareDatetime = Field(description=TIME_HELP)
    end: AwareDatetime = Field(description=TIME_HELP + " After start.")
    organizer: str = Field(pattern=EMAIL_PATTERN, description="A person in the directory.")
    attendees: list[str] = Field(
        default_factory=list, max_length=50, description="Email addresses to invite."
    )
    time_zone: str | None = Field(default=None, description="IANA name; default: organizer's.")
    description: str = Field(default="", max_length=10_000)
    location: str = Field(default="", max_length=500)
    allow_conflicts: bool = Field(
        default=False, description="Book even if an attendee is busy (default: 409 conflict)."
    )

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return _zone(value)


class EventUpdate(BaseModel):
    """Only the fields sent change."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=200)
    start: AwareDatetime | None = Field(default=None, description=TIME_HELP)
    end: AwareDatetime | None = Field(default=None, description=TIME_HELP)
    attendees: list[str] | None = Field(
        default=None, max_length=50, description="Replace the invitees (emails)."
    )
    time_zone: str | None = None
    description: str | None = Field(default=None, max_length=10_000)
    location: str | None = Field(default=None, max_length=500)
    allow_conflicts: bool = Field(default=False, description="Move even if someone is busy.")

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        return _zone(value)


class ResponseUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    response: ResponseStatus


class FreeBusyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    time_min: AwareDatetime = Field(description=TIME_HELP)
    time_max: AwareDatetime = Field(description=TIME_HELP + " At most 62 days after time_min.")
    attendees: list[str] = Field(min_length=1, max_length=20, description="Emails to look up.")


class BusyBlock(BaseModel):
    start: str
    end: str
    start_local: str = Field(description="start in the person's time zone.")
    end_local: str


class FreeBusyCalendar(BaseModel):
    email: str
    name: str
    time_zone: str
    working_hours: WorkingHours
    busy: list[BusyBlock] = Field(description="Merged busy time within the range, in UTC.")


class FreeBusy(BaseModel):
    time_min: str
    time_max: str
    calendars: list[FreeBusyCalendar]


class EventQuery(PageQuery):
    attendee: str | None = Field(default=None, description="Events this email attends/organizes.")
    organizer: str | None = None
    time_min: AwareDatetime | None = Field(default=None, description="Events ending after this.")
    time_max: AwareDatetime | None = Field(default=None, description="Events starting before.")
    q: str | None = Field(default=None, description="Case-insensitive text in the title.")


class PeopleQuery(PageQuery):
    email: str | None = None
    time_zone: str | None = None
    q: str | None = Field(default=None, description="Case-insensitive text in the name.")
