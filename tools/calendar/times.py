"""Time helpers for the calendar: UTC normalisation, IANA time zones, intervals, working hours.

Events are stored with ``start``/``end`` in UTC (``…Z``) so they compare as text and goal checks
need one spelling of an instant; ``start_local``/``end_local`` show the same instants in the
event's time zone. Time zones are IANA names resolved with ``zoneinfo`` (``tzdata`` provides the
database where the system has none).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Interval = tuple[datetime, datetime]


@cache
def all_zones() -> dict[str, ZoneInfo]:
    """Every IANA zone, loaded once (about 60 ms) and held: called when a world with a calendar
    is built, so no action ever reads the time-zone database from disk."""
    return {name: ZoneInfo(name) for name in available_timezones()}


@cache
def zone(name: str) -> ZoneInfo:
    """The IANA zone ``name``; ``ValueError`` naming an example when it is not one."""
    try:
        return all_zones()[name] if name in all_zones() else ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"unknown time zone {name!r}: use an IANA name such as Europe/Berlin or "
            "America/New_York"
        ) from None


def valid_zone(name: str) -> str:
    zone(name)
    return name


def to_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("a time needs a UTC offset, e.g. 2026-01-12T10:00:00+01:00 or …Z")
    return moment.astimezone(UTC)


def parse(text: str) -> datetime:
    """A stored ISO 8601 instant (``…Z`` or with an offset), in UTC."""
    return to_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))


def utc_iso(moment: datetime) -> str:
    return to_utc(moment).isoformat().replace("+00:00", "Z")


def local_iso(moment: datetime, time_zone: str) -> str:
    """The instant as wall-clock time with its offset in ``time_zone``."""
    return to_utc(moment).astimezone(zone(time_zone)).isoformat()


def overlaps(a: Interval, b: Interval) -> bool:
    """Half-open intervals: back-to-back meetings do not overlap."""
    return a[0] < b[1] and b[0] < a[1]


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted, with overlapping or touching intervals joined."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def hhmm(text: str) -> timedelta:
    hours, _, minutes = text.partition(":")
    return timedelta(hours=int(hours), minutes=int(minutes))


def within_working_hours(
    interval: Interval, time_zone: str, start: str, end: str, days: Iterable[str]
) -> bool:
    """Whether the interval lies inside one working day of someone in ``time_zone`` (wall-clock
    hours from ``start`` to ``end``, e.g. 09:00 to 17:00, on ``days``)."""
    tz = zone(time_zone)
    local_start, local_end = interval[0].astimezone(tz), interval[1].astimezone(tz)
    if WEEKDAYS[local_start.weekday()] not in set(days):
        return False
    midnight = local_start.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + hhmm(start) <= local_start and local_end <= midnight + hhmm(end)
