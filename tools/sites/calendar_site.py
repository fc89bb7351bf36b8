"""The calendar web page at https://calendar.acme.example: the signed-in person's week (in
their time zone), event pages, and a form that books through the calendar API (its conflict
rule shows as the page's error)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from tools.calendar import CALENDAR
from tools.calendar.times import zone as time_zone
from tools.sites.internal import api, api_ok
from tools.sites.site import Html, PageError, Site, Visit, add_login

CALENDAR_SITE = Site(
    "calendar",
    "calendar.acme.example",
    title="Acme Calendar",
    backends=(CALENDAR,),
    help=(
        "This week shows your events day by day, in your own time zone; move a week at a time "
        "with Previous week and Next week. New event books a meeting: a slot that clashes with "
        "an attendee's busy time is refused, with the conflict named.",
    ),
)


def _person(visit: Visit) -> dict[str, Any]:
    session = visit.require_login()
    people = visit.world.records.list("calendar", "people")
    person = next((p for p in people if p["email"] == session["account"]), None)
    if person is None:
        raise PageError(403, "Your account has no calendar.")
    return person


add_login(CALENDAR_SITE, "cal/login.html")


@CALENDAR_SITE.page("GET", "/")
def week(visit: Visit) -> Html:
    person = _person(visit)
    zone = time_zone(person["time_zone"])
    today = visit.world.clock.now().astimezone(zone).date()
    try:
        wanted = visit.query.get("week")
        anchor = date.fromisoformat(wanted) if wanted else today
    except ValueError:
        raise PageError(400, "week must be a date like 2026-01-12.") from None
    monday = anchor - timedelta(days=anchor.weekday())
    listed = api_ok(visit.world, CALENDAR, "GET", f"/events?attendee={person['email']}&limit=100")
    events = listed["data"] if isinstance(listed, dict) and "data" in listed else []
    days = []
    for offset in range(7):
        day = monday + timedelta(days=offset)
        todays = [e for e in events if _day(e["start"], zone) == day]
        todays.sort(key=lambda e: e["start"])
        shown = [
            e | {"start_local": _local(e["start"], zone), "end_local": _local(e["end"], zone)}
            for e in todays
        ]
        days.append((day.strftime("%A %Y-%m-%d"), shown))
    return visit.render(
        "cal/week.html",
        monday=monday.isoformat(),
        zone=person["time_zone"],
        days=days,
        previous=(monday - timedelta(days=7)).isoformat(),
        following=(monday + timedelta(days=7)).isoformat(),
    )


def _day(stamp: str, zone: ZoneInfo) -> date:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(zone).date()


def _local(stamp: str, zone: ZoneInfo) -> str:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).astimezone(zone).isoformat()


@CALENDAR_SITE.page("GET", "/events/{event_id}")
def event_page(visit: Visit) -> Html:
    _person(visit)
    status, event = api(visit.world, CALENDAR, "GET", f"/events/{visit.params['event_id']}")
    if status >= 400:
        raise PageError(status, event["error"]["message"])
    return visit.render("cal/event.html", event=event)


FIELDS = ("title", "date", "start", "duration", "attendees")


@CALENDAR_SITE.page("GET", "/new")
def new_form(visit: Visit) -> Html:
    person = _person(visit)
    form = dict.fromkeys(FIELDS, "") | {"duration": "30"}
    return visit.render("cal/new.html", form=form, zone=person["time_zone"])


@CALENDAR_SITE.page("POST", "/new")
def create(visit: Visit) -> Html:
    person = _person(visit)
    form = {key: visit.form.get(key, "").strip() for key in FIELDS}
    zone = time_zone(person["time_zone"])
    try:
        start = datetime.fromisoformat(f"{form['date']}T{form['start']}").replace(tzinfo=zone)
        minutes = int(form["duration"] or "30")
    except ValueError:
        return visit.render(
            "cal/new.html",
            status=422,
            form=form,
            zone=person["time_zone"],
            errors=["Date must be YYYY-MM-DD and start HH:MM."],
        )
    body = {
        "title": form["title"],
        "start": start.isoformat(),
        "end": (start + timedelta(minutes=minutes)).isoformat(),
        "organizer": person["email"],
        "attendees": [a.strip() for a in form["attendees"].split(",") if a.strip()],
    }
    status, answer = api(visit.world, CALENDAR, "POST", "/events", body)
    if status >= 400:
        error = answer["error"]
        details = error.get("details")
        lines = [error["message"]]
        if isinstance(details, list):
            lines += [str(d.get("message", d)) if isinstance(d, dict) else str(d) for d in details]
        return visit.render(
            "cal/new.html", status=status, form=form, zone=person["time_zone"], errors=lines
        )
    return visit.redirect(f"/events/{answer['id']}")
