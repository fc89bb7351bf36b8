"""The calendar's background data: a team spread over time zones and three weeks of meetings,
each inside its attendees' working hours and never double-booking anyone who accepted."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sandbox.records import Record
from tools.calendar.times import Interval, local_iso, overlaps, utc_iso, within_working_hours
from tools.seeddata import COMPANY_DOMAIN, iso, person

ZONES = (
    ("Europe/Berlin", "09:00", "17:00"), ("Europe/London", "09:00", "17:30"),
    ("America/New_York", "09:00", "17:00"), ("Europe/Lisbon", "08:30", "16:30"),
    ("Asia/Kolkata", "10:00", "18:00"), ("Europe/Berlin", "08:00", "16:00"),
    ("America/Chicago", "08:00", "16:00"), ("Asia/Tokyo", "09:00", "18:00"),
    ("Europe/Madrid", "09:00", "17:00"), ("America/Los_Angeles", "09:00", "17:00"),
)  # fmt: skip
TITLES = (
    "Weekly sync", "1:1", "Design review", "Sprint planning", "Customer call", "Budget review",
    "Hiring debrief", "Roadmap check-in", "Incident review", "Lunch & learn",
)  # fmt: skip
LOCATIONS = ("Video call", "Room Atlas", "Room Borealis", "Video call", "Phone")
RESPONSES = ("accepted", "accepted", "accepted", "tentative", "needs_action", "declined")


def _names(rng: random.Random, count: int) -> list[str]:
    """``count`` names with distinct first and last names (no two Lenas to mix up)."""
    names: list[str] = []
    while len(names) < count:
        name = person(rng)[0]
        first, last = name.split(" ", 1)
        if all(first != n.split(" ", 1)[0] and last != n.split(" ", 1)[1] for n in names):
            names.append(name)
    return names


def _people(rng: random.Random) -> list[Record]:
    return [
        {
            "id": f"per_{101 + n}",
            "name": name,
            "email": name.lower().replace(" ", ".").replace("á", "a").replace("é", "e")
            + f"@{COMPANY_DOMAIN}",
            "time_zone": zone,
            "working_hours": {
                "start": start,
                "end": end,
                "days": ["mon", "tue", "wed", "thu", "fri"],
            },
        }
        for n, (name, (zone, start, end)) in enumerate(zip(_names(rng, 10), ZONES, strict=True))
    ]


def _works(someone: Record, when: Interval) -> bool:
    hours = someone["working_hours"]
    return within_working_hours(
        when, someone["time_zone"], hours["start"], hours["end"], hours["days"]
    )


def generate(rng: random.Random, start: datetime) -> dict[str, list[Record]]:
    directory = _people(rng)
    busy: dict[str, list[Interval]] = {p["email"]: [] for p in directory}
    events: list[Record] = []
    first_day = (start - timedelta(days=7)).replace(hour=0, minute=0, second=0, microsecond=0)
    for offset in range(21):
        day = first_day + timedelta(days=offset)
        if day.weekday() >= 5:
            continue
        for _ in range(rng.randint(6, 9)):
            length = timedelta(minutes=rng.choice((30, 30, 60, 60, 90)))
            for _attempt in range(25):
                group = rng.sample(directory, rng.choice((2, 2, 2, 3, 3, 4)))
                begin = day + timedelta(minutes=30 * rng.randint(10, 44))
                when = (begin, begin + length)
                free = all(
                    _works(p, when) and not any(overlaps(when, b) for b in busy[p["email"]])
                    for p in group
                )
                if free:
                    events.append(_event(rng, group, when, start))
                    for attendee in events[-1]["attendees"]:
                        if attendee["response"] != "declined":
                            busy[attendee["email"]].append(when)
                    break
    events.sort(key=lambda e: (e["start"], e["title"]))
    for n, event in enumerate(events, start=1):
        event["id"] = f"evt_{1000 + n}"
    return {"people": directory, "events": events}


def _event(rng: random.Random, group: list[Record], when: Interval, now: datetime) -> Record:
    organizer, zone = group[0]["email"], group[0]["time_zone"]
    created = iso(min(when[0], now) - timedelta(days=rng.randint(1, 20)))
    attendees = [
        {
            "email": person["email"],
            "name": person["name"],
            "response": "accepted" if person is group[0] else rng.choice(RESPONSES),
        }
        for person in group
    ]
    return {
        "id": "",
        "title": rng.choice(TITLES),
        "description": "",
        "location": rng.choice(LOCATIONS),
        "start": utc_iso(when[0]),
        "end": utc_iso(when[1]),
        "time_zone": zone,
        "start_local": local_iso(when[0], zone),
        "end_local": local_iso(when[1], zone),
        "organizer": organizer,
        "attendees": sorted(attendees, key=lambda a: a["email"]),
        "created_at": created,
        "updated_at": created,
    }
