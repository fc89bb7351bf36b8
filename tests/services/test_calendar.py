"""The calendar: every route's success and error codes, time zones, conflicts, free/busy,
pagination, reset and isolation, and typed tools == raw HTTP."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from openapi_spec_validator import validate

from sandbox.errors import NetworkError
from tools.calendar import tools as cal
from tools.calendar.times import merge, parse, within_working_hours

ANA, BEN, CHO = "ana@acme.example", "ben@acme.example", "cho@acme.example"
PEOPLE = [
    {"id": "per_1", "name": "Ana", "email": ANA, "time_zone": "Europe/Berlin"},
    {"id": "per_2", "name": "Ben", "email": BEN, "time_zone": "America/New_York"},
    {"id": "per_3", "name": "Cho", "email": CHO, "time_zone": "Asia/Tokyo",
     "working_hours": {"start": "10:00", "end": "19:00", "days": ["mon", "tue", "wed"]}},
]  # fmt: skip
EVENTS = [
    {
        "id": "evt_1",
        "title": "Standup",
        "description": "",
        "location": "Video call",
        "start": "2026-01-12T14:00:00Z",
        "end": "2026-01-12T15:00:00Z",
        "time_zone": "Europe/Berlin",
        "start_local": "2026-01-12T15:00:00+01:00",
        "end_local": "2026-01-12T16:00:00+01:00",
        "organizer": ANA,
        "attendees": [
            {"email": ANA, "name": "Ana", "response": "accepted"},
            {"email": BEN, "name": "Ben", "response": "declined"},
        ],
        "created_at": "2026-01-01T00:00:00Z",
        "updated_at": "2026-01-01T00:00:00Z",
    }
]


def _spec() -> dict:
    return {"generate": False, "records": {"people": PEOPLE, "events": EVENTS}}


@pytest.fixture
def world(world_with):
    return world_with("calendar", calendar=_spec())


@pytest.fixture
def api(world, api_for):
    return api_for(world, "calendar")


def _event(**fields) -> dict:
    body = {
        "title": "Sync",
        "start": "2026-01-13T10:00:00+01:00",
        "end": "2026-01-13T11:00:00+01:00",
        "organizer": ANA,
        "attendees": [BEN],
    }
    return {**body, **fields}


def test_openapi_document_validates(world, api_for) -> None:
    document = api_for(world, "calendar", key="")("GET", "/openapi.json").json()
    validate(document)
    assert "409" in document["paths"]["/events"]["post"]["responses"]


def test_people(api) -> None:
    assert api("GET", "/people").json()["total"] == 3
    assert api("GET", "/people/per_2").json()["time_zone"] == "America/New_York"
    assert api("GET", "/people/per_2").json()["working_hours"]["start"] == "09:00"
    assert api("GET", "/people/per_9").status_code == 404
    tokyo = api("GET", "/people", params={"time_zone": "Asia/Tokyo"}).json()["data"]
    assert [p["id"] for p in tokyo] == ["per_3"]
    assert [p["id"] for p in api("GET", "/people", params={"q": "BE"}).json()["data"]] == ["per_2"]


def test_create_normalises_to_utc_with_local_copies(api) -> None:
    created = api("POST", "/events", json=_event(attendees=[BEN, "Guest@Other.example", ANA]))
    assert created.status_code == 201
    event = created.json()
    assert created.headers["location"].endswith(f"/events/{event['id']}")
    assert (event["start"], event["end"]) == ("2026-01-13T09:00:00Z", "2026-01-13T10:00:00Z")
    assert event["time_zone"] == "Europe/Berlin"
    assert event["start_local"] == "2026-01-13T10:00:00+01:00"
    assert [(a["email"], a["response"]) for a in event["attendees"]] == [
        (ANA, "accepted"),
        (BEN, "needs_action"),
        ("guest@other.example", "needs_action"),
    ]
    in_ny = api("POST", "/events", json=_event(title="NY", start="2026-01-20T15:00:00Z",
                                                end="2026-01-20T15:30:00Z",
                                                time_zone="America/New_York"))  # fmt: skip
    assert in_ny.json()["start_local"] == "2026-01-20T10:00:00-05:00"
    assert api("GET", f"/events/{event['id']}").json() == event


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"start": "2026-01-13T10:00:00"}, "start"),
        ({"end": "2026-01-13T09:00:00+01:00"}, "end"),
        ({"end": "2026-02-13T09:00:00+01:00"}, "end"),
        ({"organizer": "nobody@acme.example"}, "organizer"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"attendees": ["not-an-email"]}, "attendees.0"),
        ({"title": ""}, "title"),
    ],
)
def test_create_refuses_bad_fields_by_name(api, fields, field) -> None:
    refused = api("POST", "/events", json=_event(**fields))
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == field


def test_double_booking_is_a_409_naming_the_clash(api) -> None:
    clash = _event(start="2026-01-12T14:30:00Z", end="2026-01-12T15:30:00Z", organizer=CHO,
                   attendees=[ANA, BEN])  # fmt: skip
    refused = api("POST", "/events", json=clash)
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == "conflict" and "evt_1" in error["message"] and ANA in error["message"]
    assert [c["email"] for c in error["details"]] == [ANA]  # Ben declined the standup
    booked = api("POST", "/events", json={**clash, "allow_conflicts": True})
    assert booked.status_code == 201
    back_to_back = _event(start="2026-01-12T13:30:00Z", end="2026-01-12T14:00:00Z", attendees=[])
    assert api("POST", "/events", json=back_to_back).status_code == 201


def test_create_honours_idempotency_keys(api) -> None:
    headers = {"Idempotency-Key": "book-1"}
    first = api("POST", "/events", json=_event(), headers=headers)
    again = api("POST", "/events", json=_event(), headers=headers)
    assert again.json()["id"] == first.json()["id"]
    assert again.headers["idempotent-replayed"] == "true"
    assert api("GET", "/events").json()["total"] == 2


def test_update_moves_keeping_length_and_checks_conflicts(api) -> None:
    event = api("POST", "/events", json=_event()).json()
    moved = api("PATCH", f"/events/{event['id']}", json={"start": "2026-01-14T08:00:00Z"})
    assert moved.status_code == 200
    assert (moved.json()["start"], moved.json()["end"]) == (
        "2026-01-14T08:00:00Z",
        "2026-01-14T09:00:00Z",
    )
    onto_standup = api("PATCH", f"/events/{event['id']}", json={"start": "2026-01-12T14:00:00Z"})
    assert onto_standup.status_code == 409 and "evt_1" in onto_standup.json()["error"]["message"]
    forced = api("PATCH", f"/events/{event['id']}",
                 json={"start": "2026-01-12T14:00:00Z", "allow_conflicts": True})  # fmt: skip
    assert forced.status_code == 200
    renamed = api("PATCH", f"/events/{event['id']}", json={"title": "Renamed"})
    assert renamed.status_code == 200, "an existing overlap does not block other edits"
    assert (
        api("PATCH", f"/events/{event['id']}", json={"end": "2026-01-12T13:00:00Z"}).status_code
        == 422
    )
    assert api("PATCH", f"/events/{event['id']}", json={}).status_code == 422
    assert api("PATCH", "/events/evt_404", json={"title": "x"}).status_code == 404
    zone = api("PATCH", f"/events/{event['id']}", json={"time_zone": "Asia/Tokyo"}).json()
    assert zone["start_local"] == "2026-01-12T23:00:00+09:00"


def test_inviting_someone_busy_is_a_conflict(api) -> None:
    event = api("POST", "/events", json=_event(start="2026-01-12T14:00:00Z",
                                               end="2026-01-12T14:30:00Z", organizer=CHO,
                                               attendees=[]))  # fmt: skip
    refused = api("PATCH", f"/events/{event.json()['id']}", json={"attendees": [ANA]})
    assert refused.status_code == 409
    ok = api("PATCH", f"/events/{event.json()['id']}", json={"attendees": [BEN]})
    assert ok.status_code == 200, "Ben declined the standup, so he is free"


def test_responses_and_delete(api) -> None:
    accepted = api("PATCH", f"/events/evt_1/attendees/{BEN}", json={"response": "accepted"})
    assert accepted.status_code == 200
    assert {a["email"]: a["response"] for a in accepted.json()["attendees"]}[BEN] == "accepted"
    assert (
        api("PATCH", f"/events/evt_1/attendees/{CHO}", json={"response": "accepted"}).status_code
        == 404
    )
    assert (
        api("PATCH", f"/events/evt_1/attendees/{BEN}", json={"response": "maybe"}).status_code
        == 422
    )
    deleted = api("DELETE", "/events/evt_1")
    assert deleted.status_code == 204 and deleted.content == b""
    assert api("DELETE", "/events/evt_1").status_code == 404
    assert api("GET", "/events/evt_1").status_code == 404
    assert api("PUT", "/events/evt_1").status_code == 405


def test_free_busy_merges_and_skips_declined(api) -> None:
    late = _event(start="2026-01-12T14:30:00Z", end="2026-01-12T16:00:00Z", attendees=[])
    api("POST", "/events", json={**late, "allow_conflicts": True})
    answer = api("POST", "/freebusy", json={"time_min": "2026-01-12T00:00:00Z",
                                             "time_max": "2026-01-13T00:00:00+00:00",
                                             "attendees": [ANA, BEN]})  # fmt: skip
    assert answer.status_code == 200
    calendars = {c["email"]: c for c in answer.json()["calendars"]}
    assert calendars[ANA]["busy"] == [
        {"start": "2026-01-12T14:00:00Z", "end": "2026-01-12T16:00:00Z",
         "start_local": "2026-01-12T15:00:00+01:00", "end_local": "2026-01-12T17:00:00+01:00"}
    ]  # fmt: skip
    assert calendars[BEN]["busy"] == [] and calendars[BEN]["time_zone"] == "America/New_York"
    clipped = api("POST", "/freebusy", json={"time_min": "2026-01-12T14:30:00Z",
                                              "time_max": "2026-01-12T15:00:00Z",
                                              "attendees": [ANA]})  # fmt: skip
    assert clipped.json()["calendars"][0]["busy"][0]["start"] == "2026-01-12T14:30:00Z"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"time_max": "2026-01-11T00:00:00Z"}, "time_max"),
        ({"time_max": "2026-06-01T00:00:00Z"}, "time_max"),
        ({"attendees": ["who@acme.example"]}, "attendees.0"),
        ({"attendees": []}, "attendees"),
        ({"time_min": "2026-01-12"}, "time_min"),
    ],
)
def test_free_busy_refuses_bad_queries(api, body, field) -> None:
    query = {
        "time_min": "2026-01-12T00:00:00Z",
        "time_max": "2026-01-13T00:00:00Z",
        "attendees": [ANA],
    }
    refused = api("POST", "/freebusy", json={**query, **body})
    assert refused.status_code == 422 and refused.json()["error"]["field"] == field


def test_list_filters_and_range(api) -> None:
    api("POST", "/events", json=_event())

    def ids(**params):
        return [
            e["id"] for e in api("GET", "/events", params={"limit": 100, **params}).json()["data"]
        ]

    assert ids() == ["evt_1", "evt_0002"]
    assert ids(attendee=BEN) == ["evt_1", "evt_0002"]
    assert ids(organizer=ANA, q="sync") == ["evt_0002"]
    assert ids(time_min="2026-01-13T00:00:00+01:00") == ["evt_0002"]
    assert ids(time_max="2026-01-12T14:00:00Z") == []
    assert ids(sort="-start") == ["evt_0002", "evt_1"]
    assert api("GET", "/events", params={"time_min": "yesterday"}).status_code == 400


def test_pagination_walks_every_generated_event(world_with, api_for) -> None:
    world = world_with("calendar")
    api = api_for(world, "calendar")
    seen: list[str] = []
    params: dict = {"limit": 9}
    while True:
        page = api("GET", "/events", params=params).json()
        seen += [e["id"] for e in page["data"]]
        if not page["has_more"]:
            break
        params = {"limit": 9, "cursor": page["next_cursor"]}
    assert len(seen) == len(set(seen)) == world.records.count("calendar", "events") > 40
    starts = [world.records.get("calendar", "events", i)["start"] for i in seen]
    assert starts == sorted(starts)


def test_generated_calendars_are_consistent(world_with) -> None:
    world = world_with("calendar", seed=5)
    assert world.snapshot() == world_with("calendar", seed=5).snapshot()
    people = {p["email"]: p for p in world.records.list("calendar", "people")}
    events = world.records.list("calendar", "events")
    busy: dict[str, list] = {}
    for event in events:
        span = (parse(event["start"]), parse(event["end"]))
        for attendee in event["attendees"]:
            person = people[attendee["email"]]
            hours = person["working_hours"]
            assert within_working_hours(
                span, person["time_zone"], hours["start"], hours["end"], hours["days"]
            )
            if attendee["response"] != "declined":
                busy.setdefault(attendee["email"], []).append(span)
    for spans in busy.values():
        assert len(merge(spans)) <= len(spans)
        ordered = sorted(spans)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(ordered)), "no double booking"


def test_working_hours_follow_the_local_wall_clock() -> None:
    nine_berlin = (datetime(2026, 7, 1, 7, 0, tzinfo=UTC), datetime(2026, 7, 1, 8, 0, tzinfo=UTC))
    assert within_working_hours(nine_berlin, "Europe/Berlin", "09:00", "17:00", ["wed"])
    winter = (datetime(2026, 1, 7, 7, 0, tzinfo=UTC), datetime(2026, 1, 7, 8, 0, tzinfo=UTC))
    assert not within_working_hours(winter, "Europe/Berlin", "09:00", "17:00", ["wed"])
    assert not within_working_hours(nine_berlin, "Europe/Berlin", "09:00", "17:00", ["mon"])


def test_reset_restores_and_worlds_are_separate(world_with, api_for) -> None:
    first, second = world_with("calendar"), world_with("calendar")
    baseline = first.snapshot()
    api = api_for(first, "calendar")
    some = first.records.list("calendar", "events")[0]
    api("DELETE", f"/events/{some['id']}")
    later = {"start": "2027-01-01T10:00:00Z", "end": "2027-01-01T11:00:00Z"}
    api("POST", "/events", json=_event(organizer=some["organizer"], attendees=[], **later))
    assert first.snapshot() != baseline and second.snapshot() == baseline
    assert api_for(second, "calendar")("GET", f"/events/{some['id']}").status_code == 200
    assert f"calendar:events/{some['id']}" in {c.target for c in first.baseline_diff()}
    first.reset()
    assert first.snapshot() == baseline


def test_typed_tools_and_raw_http_make_the_same_change(world_with, api_for) -> None:
    typed, raw = world_with("calendar", calendar=_spec()), world_with("calendar", calendar=_spec())
    cal.calendar_create_event.run(typed, cal.CreateEventArgs(**_event()))
    cal.calendar_update_event.run(
        typed, cal.UpdateEventArgs(event_id="evt_0002", start="2026-01-13T12:00:00Z")
    )
    cal.calendar_respond_to_event.run(
        typed, cal.RespondArgs(event_id="evt_0002", email=BEN, response="tentative")
    )
    cal.calendar_delete_event.run(typed, cal.EventArgs(event_id="evt_1"))
    api = api_for(raw, "calendar")
    api("POST", "/events", json=_event())
    api("PATCH", "/events/evt_0002", json={"start": "2026-01-13T12:00:00Z"})
    api("PATCH", f"/events/evt_0002/attendees/{BEN}", json={"response": "tentative"})
    api("DELETE", "/events/evt_1")
    assert typed.snapshot() == raw.snapshot()
    assert typed.baseline_diff() == raw.baseline_diff()


def test_typed_tools_report_conflicts_and_read(world) -> None:
    with pytest.raises(NetworkError) as caught:
        cal.calendar_create_event.run(
            world,
            cal.CreateEventArgs(**_event(start="2026-01-12T14:00:00Z", end="2026-01-12T14:30:00Z")),
        )
    assert caught.value.http_status == 409 and "evt_1" in str(caught.value)
    day = {"time_min": "2026-01-12T00:00:00Z", "time_max": "2026-01-13T00:00:00Z"}
    busy = cal.calendar_free_busy.run(world, cal.FreeBusyArgs(**day, attendees=[ANA]))
    assert "2026-01-12T14:00:00Z" in str(busy)
    assert "Ana" in str(cal.calendar_list_people.run(world, cal.ListPeopleArgs(q="ana")))
    assert "evt_1" in str(cal.calendar_list_events.run(world, cal.ListEventsArgs(attendee=ANA)))
    assert "Standup" in str(cal.calendar_get_event.run(world, cal.EventArgs(event_id="evt_1")))
    assert "no content" in str(
        cal.calendar_delete_event.run(world, cal.EventArgs(event_id="evt_1"))
    )


def test_minimal_scenario_records_get_defaults(world_with, api_for) -> None:
    event = {"id": "evt_9", "title": "Offsite", "start": "2026-01-14T09:00:00+01:00",
             "end": "2026-01-14T10:00:00+01:00", "organizer": "Ana@acme.example",
             "attendees": [{"email": BEN}]}  # fmt: skip
    world = world_with("calendar", calendar={"generate": False, "records": {
        "people": [{"id": "per_1", "name": "Ana", "email": ANA, "time_zone": "Europe/Berlin"}],
        "events": [event]}})  # fmt: skip
    api = api_for(world, "calendar")
    shown = api("GET", "/events/evt_9").json()
    assert (shown["start"], shown["start_local"]) == ("2026-01-14T08:00:00Z", event["start"])
    assert [(a["email"], a["response"]) for a in shown["attendees"]] == [
        (ANA, "accepted"),
        (BEN, "needs_action"),
    ]
    assert api("GET", "/people/per_1").json()["working_hours"]["end"] == "17:00"
    clash = _event(start="2026-01-14T08:30:00Z", end="2026-01-14T09:30:00Z", attendees=[])
    assert api("POST", "/events", json=clash).status_code == 409


def test_a_refused_booking_does_not_use_up_an_id(api) -> None:
    clash = _event(start="2026-01-12T14:00:00Z", end="2026-01-12T14:30:00Z")
    assert api("POST", "/events", json=clash).status_code == 409
    assert api("POST", "/events", json=_event()).json()["id"] == "evt_0002"
