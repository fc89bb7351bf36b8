"""The helpdesk: every route's success and error codes, the status rules, ETag/If-Match,
pagination, filters, reset and isolation, and typed tools == raw HTTP."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from sandbox.errors import NetworkError, ToolError
from tools.helpdesk import tools as hd

TICKETS = [
    {"id": "tkt_1", "status": "new", "assignee_id": None, "tags": [], "priority": "normal"},
    {"id": "tkt_2", "status": "open", "assignee_id": "agt_101", "priority": "low"},
    {"id": "tkt_3", "status": "solved", "assignee_id": "agt_101"},
    {"id": "tkt_4", "status": "closed", "assignee_id": "agt_102"},
    {"id": "tkt_5", "status": "pending", "assignee_id": "agt_103", "priority": "urgent"},
]


def _spec() -> dict:
    base = {
        "subject": "Help",
        "body": "Please help.",
        "requester": "ann@mail.example",
        "requester_name": "Ann",
        "priority": "high",
        "tags": ["login"],
        "comment_count": 0,
        "created_at": "2026-01-01T10:00:00Z",
        "updated_at": "2026-01-01T10:00:00Z",
    }
    return {"records": {"tickets": [{**base, **t} for t in TICKETS]}}


@pytest.fixture
def world(world_with):
    return world_with("helpdesk", helpdesk=_spec())


@pytest.fixture
def api(world, api_for):
    return api_for(world, "helpdesk")


def test_openapi_document_validates(world, api_for) -> None:
    document = api_for(world, "helpdesk", key="")("GET", "/openapi.json").json()
    validate(document)
    assert "412" in document["paths"]["/tickets/{ticket_id}"]["patch"]["responses"]


def test_get_ticket_has_an_etag_that_follows_changes(api) -> None:
    first = api("GET", "/tickets/tkt_2")
    assert first.status_code == 200 and first.headers["etag"].startswith('"')
    assert api("GET", "/tickets/tkt_2").headers["etag"] == first.headers["etag"]
    api("PATCH", "/tickets/tkt_2", json={"priority": "high"})
    assert api("GET", "/tickets/tkt_2").headers["etag"] != first.headers["etag"]
    assert api("GET", "/tickets/tkt_999").status_code == 404


def test_if_match_guards_updates(api) -> None:
    tag = api("GET", "/tickets/tkt_2").headers["etag"]
    ok = api("PATCH", "/tickets/tkt_2", json={"priority": "high"}, headers={"If-Match": tag})
    assert ok.status_code == 200 and ok.headers["etag"] != tag
    stale = api("PATCH", "/tickets/tkt_2", json={"priority": "low"}, headers={"If-Match": tag})
    assert stale.status_code == 412
    assert stale.headers["etag"] == ok.headers["etag"]
    assert api("GET", "/tickets/tkt_2").json()["priority"] == "high"
    star = api("PATCH", "/tickets/tkt_2", json={"priority": "low"}, headers={"If-Match": "*"})
    assert star.status_code == 200


@pytest.mark.parametrize(
    ("ticket", "status", "code"),
    [
        ("tkt_1", "closed", "invalid_transition"),
        ("tkt_2", "new", "invalid_transition"),
        ("tkt_5", "closed", "invalid_transition"),
        ("tkt_4", "open", "ticket_closed"),
        ("tkt_1", "solved", "assignee_required"),
    ],
)
def test_status_rules_refuse_with_409_naming_the_rule(api, ticket, status, code) -> None:
    refused = api("PATCH", f"/tickets/{ticket}", json={"status": status})
    assert refused.status_code == 409
    error = refused.json()["error"]
    assert error["code"] == code and "rule" in error["message"]


def test_the_whole_lifecycle_new_open_pending_solved_closed(api) -> None:
    assert api("PATCH", "/tickets/tkt_1", json={"status": "open"}).json()["status"] == "open"
    assert api("PATCH", "/tickets/tkt_1", json={"status": "pending"}).status_code == 200
    solved = api("PATCH", "/tickets/tkt_1", json={"status": "solved", "assignee_id": "agt_104"})
    assert solved.status_code == 200 and solved.json()["assignee_id"] == "agt_104"
    unassign = api("PATCH", "/tickets/tkt_1", json={"assignee_id": None})
    assert unassign.json()["error"]["code"] == "assignee_required"
    assert api("PATCH", "/tickets/tkt_1", json={"status": "closed"}).status_code == 200
    assert api("PATCH", "/tickets/tkt_1", json={"priority": "low"}).status_code == 409
    reopened = api("PATCH", "/tickets/tkt_3", json={"status": "open"})
    assert reopened.json()["status"] == "open"


def test_assignees_must_be_active_agents(api) -> None:
    by_email = api("PATCH", "/tickets/tkt_1", json={"assignee_id": "maria.rossi@helpdesk.example"})
    assert by_email.status_code == 422 and by_email.json()["error"]["field"] == "assignee_id"
    assert "GET /agents?email" in by_email.json()["error"]["message"]
    away = api("PATCH", "/tickets/tkt_1", json={"assignee_id": "agt_106"})
    assert away.status_code == 422 and away.json()["error"]["code"] == "agent_inactive"
    assert api("PATCH", "/tickets/tkt_1", json={"assignee_id": None}).status_code == 200


def test_tags_are_a_sorted_set(api) -> None:
    added = api("PATCH", "/tickets/tkt_2", json={"add_tags": ["VIP", "billing", "login"]})
    assert added.json()["tags"] == ["billing", "login", "vip"]
    removed = api("PATCH", "/tickets/tkt_2", json={"remove_tags": ["login"]})
    assert removed.json()["tags"] == ["billing", "vip"]
    replaced = api("PATCH", "/tickets/tkt_2", json={"tags": ["x"]})
    assert replaced.json()["tags"] == ["x"]
    both = api("PATCH", "/tickets/tkt_2", json={"tags": ["x"], "add_tags": ["y"]})
    assert both.status_code == 422 and both.json()["error"]["field"] == "tags"
    bad = api("PATCH", "/tickets/tkt_2", json={"add_tags": ["no spaces"]})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "add_tags"


def test_update_body_is_validated(api) -> None:
    assert api("PATCH", "/tickets/tkt_2", json={}).status_code == 422
    wrong = api("PATCH", "/tickets/tkt_2", json={"status": "done"})
    assert wrong.status_code == 422 and wrong.json()["error"]["field"] == "status"
    assert api("PATCH", "/tickets/tkt_2", json={"colour": "red"}).status_code == 422
    assert api("PATCH", "/tickets/tkt_9", json={"priority": "low"}).status_code == 404
    assert api("DELETE", "/tickets/tkt_2").status_code == 405


def test_create_ticket(api) -> None:
    body = {"subject": "Follow-up", "body": "Still broken", "requester": "Ann@Mail.example"}
    created = api("POST", "/tickets", json=body)
    assert created.status_code == 201
    ticket = created.json()
    assert ticket["status"] == "new" and ticket["requester"] == "ann@mail.example"
    assert created.headers["location"].endswith(f"/tickets/{ticket['id']}")
    assigned = api("POST", "/tickets", json={**body, "assignee_id": "agt_101"})
    assert assigned.json()["status"] == "open"
    missing = api("POST", "/tickets", json={"subject": "x", "body": "y"})
    assert missing.status_code == 422 and missing.json()["error"]["field"] == "requester"
    assert api("POST", "/tickets", json={**body, "assignee_id": "agt_0"}).status_code == 422


def test_comments_public_and_internal(api) -> None:
    reply = api("POST", "/tickets/tkt_2/comments", json={"body": "On it", "author_id": "agt_101"})
    assert reply.status_code == 201 and reply.json()["public"] is True
    note = api("POST", "/tickets/tkt_2/comments", json={"body": "Logs checked", "public": False})
    assert note.status_code == 201
    assert api("GET", "/tickets/tkt_2").json()["comment_count"] == 2
    listed = api("GET", "/tickets/tkt_2/comments").json()
    assert [c["body"] for c in listed["data"]] == ["On it", "Logs checked"]
    notes = api("GET", "/tickets/tkt_2/comments", params={"public": "false"}).json()["data"]
    assert [c["id"] for c in notes] == [note.json()["id"]]
    closed = api("POST", "/tickets/tkt_4/comments", json={"body": "hello?"})
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "ticket_closed"
    assert api("POST", "/tickets/tkt_9/comments", json={"body": "x"}).status_code == 404
    assert api("GET", "/tickets/tkt_9/comments").status_code == 404
    assert api("POST", "/tickets/tkt_2/comments", json={"body": ""}).status_code == 422
    ghost = api("POST", "/tickets/tkt_2/comments", json={"body": "x", "author_id": "agt_9"})
    assert ghost.status_code == 422 and ghost.json()["error"]["field"] == "author_id"


def test_agents(api) -> None:
    agents = api("GET", "/agents", params={"limit": 100}).json()
    assert agents["total"] == 6
    assert api("GET", "/agents/agt_101").json()["team"] == "billing"
    assert api("GET", "/agents/agt_1").status_code == 404
    away = api("GET", "/agents", params={"active": "false"}).json()["data"]
    assert [a["id"] for a in away] == ["agt_106"]
    by_email = api("GET", "/agents", params={"email": "lena.fischer@helpdesk.example"}).json()
    assert [a["id"] for a in by_email["data"]] == ["agt_104"]
    names = [a["name"] for a in api("GET", "/agents", params={"sort": "name"}).json()["data"]]
    assert names == sorted(names)


def test_filters_and_priority_sort(api) -> None:
    def ids(**params):
        return [
            t["id"] for t in api("GET", "/tickets", params={"limit": 100, **params}).json()["data"]
        ]

    assert "tkt_1" in ids(status="new") and "tkt_2" not in ids(status="new")
    assert set(ids(assignee_id="agt_101")) >= {"tkt_2", "tkt_3"}
    unassigned = api("GET", "/tickets", params={"assignee_id": "none", "limit": 100}).json()
    assert all(t["assignee_id"] is None for t in unassigned["data"]) and "tkt_1" in ids(
        assignee_id="none"
    )
    assert all(
        "login" in t["tags"] for t in api("GET", "/tickets", params={"tag": "login"}).json()["data"]
    )
    assert ids(requester="ann@mail.example") == ["tkt_1", "tkt_2", "tkt_3", "tkt_4", "tkt_5"]
    ranks = {"low": 0, "normal": 1, "high": 2, "urgent": 3}
    ordered = api("GET", "/tickets", params={"sort": "-priority", "limit": 100}).json()["data"]
    values = [ranks[t["priority"]] for t in ordered]
    assert values == sorted(values, reverse=True)
    assert api("GET", "/tickets", params={"sort": "colour"}).status_code == 400
    assert api("GET", "/tickets", params={"status": "done"}).status_code == 400


def test_pagination_walks_every_ticket_once(world, api) -> None:
    seen: list[str] = []
    params: dict = {"limit": 7, "status": "new"}
    total = api("GET", "/tickets", params=params).json()["total"]
    while True:
        page = api("GET", "/tickets", params=params).json()
        seen += [t["id"] for t in page["data"]]
        if not page["has_more"]:
            break
        assert "status=new" in page["next"]
        params = {**params, "cursor": page["next_cursor"]}
    assert len(seen) == len(set(seen)) == total
    everything = world.records.count("helpdesk", "tickets")
    assert api("GET", "/tickets", params={"limit": 100}).json()["total"] == everything == 29


def test_scopes(world_with, api_for) -> None:
    world = world_with(
        "helpdesk", helpdesk={"api_keys": [{"key": "sk_hd_read", "scopes": ["tickets:read"]}]}
    )
    reader = api_for(world, "helpdesk", key="sk_hd_read")
    assert reader("GET", "/tickets").status_code == 200
    assert reader("PATCH", "/tickets/tkt_1001", json={"priority": "low"}).status_code == 403
    assert reader("GET", "/agents").status_code == 403
    assert api_for(world, "helpdesk", key="")("GET", "/tickets").status_code == 401


def test_reset_restores_and_worlds_are_separate(world_with, api_for) -> None:
    first, second = world_with("helpdesk"), world_with("helpdesk")
    baseline = first.snapshot()
    api = api_for(first, "helpdesk")
    api("PATCH", "/tickets/tkt_1001", json={"priority": "urgent", "add_tags": ["x"]})
    api("POST", "/tickets/tkt_1001/comments", json={"body": "note", "public": False})
    created = api(
        "POST", "/tickets", json={"subject": "s", "body": "b", "requester": "a@b.example"}
    )
    assert first.snapshot() != baseline and second.snapshot() == baseline
    assert api_for(second, "helpdesk")("GET", f"/tickets/{created.json()['id']}").status_code == 404
    changes = {c.target for c in first.baseline_diff()}
    assert "helpdesk:tickets/tkt_1001" in changes
    first.reset()
    assert first.snapshot() == baseline


def test_seed_is_deterministic_and_consistent(world_with) -> None:
    one, two = world_with("helpdesk", seed=3), world_with("helpdesk", seed=3)
    assert one.snapshot() == two.snapshot()
    assert one.snapshot() != world_with("helpdesk", seed=4).snapshot()
    comments = one.records.list("helpdesk", "comments")
    for ticket in one.records.list("helpdesk", "tickets"):
        assert ticket["comment_count"] == sum(c["ticket_id"] == ticket["id"] for c in comments)
        assert (ticket["status"] == "new") == (ticket["assignee_id"] is None)
        assert ticket["updated_at"] >= ticket["created_at"]


def test_typed_tools_and_raw_http_make_the_same_change(world_with, api_for) -> None:
    typed, raw = world_with("helpdesk", helpdesk=_spec()), world_with("helpdesk", helpdesk=_spec())
    hd.helpdesk_update_ticket.run(
        typed,
        hd.UpdateTicketArgs(
            ticket_id="tkt_1", status="solved", assignee_id="agt_101", add_tags=["vip"]
        ),
    )
    hd.helpdesk_add_comment.run(
        typed, hd.AddCommentArgs(ticket_id="tkt_1", body="Done", public=True)
    )
    api = api_for(raw, "helpdesk")
    api(
        "PATCH",
        "/tickets/tkt_1",
        json={"status": "solved", "assignee_id": "agt_101", "add_tags": ["vip"]},
    )
    api("POST", "/tickets/tkt_1/comments", json={"body": "Done"})
    assert typed.snapshot() == raw.snapshot()
    assert typed.baseline_diff() == raw.baseline_diff()


def test_typed_tools_show_the_etag_and_honour_if_match(world) -> None:
    shown = hd.helpdesk_get_ticket.run(world, hd.TicketArgs(ticket_id="tkt_2"))
    text = shown if isinstance(shown, str) else shown.text
    etag = text.splitlines()[0].removeprefix("ETag: ")
    assert etag.startswith('"') and '"id": "tkt_2"' in text
    hd.helpdesk_update_ticket.run(
        world, hd.UpdateTicketArgs(ticket_id="tkt_2", priority="high", if_match=etag)
    )
    with pytest.raises(NetworkError) as caught:
        hd.helpdesk_update_ticket.run(
            world, hd.UpdateTicketArgs(ticket_id="tkt_2", priority="low", if_match=etag)
        )
    assert caught.value.http_status == 412
    hd.helpdesk_update_ticket.run(world, hd.UpdateTicketArgs(ticket_id="tkt_2", unassign=True))
    assert world.records.get("helpdesk", "tickets", "tkt_2")["assignee_id"] is None


def test_typed_listing_tools_and_missing_credentials(world) -> None:
    listed = hd.helpdesk_list_tickets.run(world, hd.ListTicketsArgs(status="new", limit=100))
    assert '"tkt_1"' in str(listed)
    agents = hd.helpdesk_list_agents.run(world, hd.ListAgentsArgs(team="billing"))
    assert "agt_101" in str(agents)
    comments = hd.helpdesk_list_comments.run(world, hd.ListCommentsArgs(ticket_id="tkt_2"))
    assert '"data": []' in str(comments)
    created = hd.helpdesk_create_ticket.run(
        world, hd.CreateTicketArgs(subject="s", body="b", requester="z@z.example")
    )
    assert '"status": "new"' in str(created)
    world.fs.delete(world.fs.resolve("~/.config/helpdesk/credentials"))
    with pytest.raises(ToolError, match="credentials"):
        hd.helpdesk_get_ticket.run(world, hd.TicketArgs(ticket_id="tkt_2"))


def test_minimal_scenario_records_get_defaults(world_with, api_for) -> None:
    minimal = {"id": "tkt_9", "subject": "Hi", "requester": "x@y.example", "status": "new",
               "created_at": "2026-01-02T08:00:00Z"}  # fmt: skip
    agent = {"id": "agt_1", "name": "A", "email": "a@h.example"}
    records = {"tickets": [minimal], "agents": [agent]}
    world = world_with("helpdesk", helpdesk={"generate": False, "records": records})
    api = api_for(world, "helpdesk")
    shown = api("GET", "/tickets/tkt_9").json()
    assert shown["tags"] == [] and shown["requester_name"] == "x" and shown["priority"] == "normal"
    assert api("GET", "/agents/agt_1").json()["active"] is True
    solved = api("PATCH", "/tickets/tkt_9", json={"status": "solved", "assignee_id": "agt_1"})
    assert solved.status_code == 200
    assert world.records.get("helpdesk", "tickets", "tkt_9")["comment_count"] == 0


def test_bulk_update_judges_each_ticket_and_answers_207_when_some_fail(world, api) -> None:
    response = api(
        "POST",
        "/tickets/bulk-update",
        json={
            "ticket_ids": ["tkt_1", "tkt_4", "tkt_2", "tkt_404"],
            "update": {"add_tags": ["vip"]},
        },
    )
    assert response.status_code == 207
    body = response.json()
    assert (body["updated"], body["failed"]) == (2, 2)
    by_id = {item["id"]: item for item in body["results"]}
    assert by_id["tkt_4"]["status"] == 409 and "closed" in by_id["tkt_4"]["error"]["message"]
    assert by_id["tkt_404"]["status"] == 404
    assert "vip" in api("GET", "/tickets/tkt_1").json()["tags"]
    assert "vip" in api("GET", "/tickets/tkt_2").json()["tags"]
    assert "vip" not in api("GET", "/tickets/tkt_4").json()["tags"]
    both = {"ticket_ids": ["tkt_1", "tkt_2"], "update": {"priority": "low"}}
    everyone = api("POST", "/tickets/bulk-update", json=both)
    assert everyone.status_code == 200 and everyone.json()["failed"] == 0
    nobody = api(
        "POST",
        "/tickets/bulk-update",
        json={"ticket_ids": ["tkt_4"], "update": {"priority": "low"}},
    )
    assert nobody.status_code == 422 and nobody.json()["error"]["code"] == "bulk_failed"


def test_typed_bulk_update_is_partial_naming_the_failed_tickets(world) -> None:
    args = hd.BulkUpdateArgs(ticket_ids=["tkt_2", "tkt_4"], priority="urgent")
    result = hd.helpdesk_bulk_update_tickets.run(world, args)
    assert not isinstance(result, str) and result.status == "partial"
    assert result.error is not None and result.error.type == "multi_status"
    assert "1 of 2 items done" in result.error.message and "tkt_4" in result.error.message
    listed = hd.helpdesk_list_tickets.run(world, hd.ListTicketsArgs(limit=2))
    assert not isinstance(listed, str) and listed.status == "partial"
    assert "2 of 29 shown; more pages: pass cursor=" in listed.text
    last = hd.helpdesk_list_tickets.run(world, hd.ListTicketsArgs(limit=100))
    assert isinstance(last, str)
