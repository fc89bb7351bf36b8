"""Webmail and the helpdesk portal: what is done in the page is what the APIs return."""

from __future__ import annotations

import base64

import pytest

from sandbox.world import World
from scenarios.build import build_world
from scenarios.schema import Scenario

NOTE = "Quarterly figures\nRevenue: 1,200\n"


@pytest.fixture
def world() -> World:
    mail = {
        "records": {
            "messages": [
                {"id": "msg_900", "folder": "inbox", "thread_id": "thr_900",
                 "from": "cfo@acme.example", "to": ["user@acme.example"], "cc": [],
                 "subject": "Figures", "body": "See attached.", "date": "2026-01-04T08:00:00Z",
                 "read": False, "labels": [], "external_recipients": [],
                 "attachments": [{"id": "att_1", "filename": "figures.txt",
                                  "content_type": "text/plain", "size": len(NOTE)}]},
            ],
            "attachments": [
                {"id": "msg_900.att_1", "message_id": "msg_900", "filename": "figures.txt",
                 "content_type": "text/plain",
                 "content_base64": base64.b64encode(NOTE.encode()).decode()},
            ],
        }
    }  # fmt: skip
    scenario = Scenario.model_validate(
        {
            "id": "sites-test", "title": "t", "task": "t", "tools": ["browser_*"],
            "services": {"mail": mail, "helpdesk": {}},
            "sites": {
                "webmail": {"accounts": [{"id": "user@acme.example", "password": "pw"}]},
                "portal": {"accounts": [{"id": "lena@acme.example", "password": "pw2",
                                         "agent_id": "agt_104"}]},
            },
            "goal": [{"check": "answer_contains", "text": "x"}],
            "solutions": {"a": [{"tool": "submit", "arguments": {"answer": "x"}}]},
        }
    )  # fmt: skip
    return build_world(scenario)


def sign_in(world: World, url: str, email: str, password: str) -> None:
    browser = world.browser
    browser.goto(url)
    browser.type("textbox-email", email)
    browser.type("textbox-password", password)
    browser.submit("form-login")


def test_webmail_reads_attachments_and_sends_through_the_api(world: World) -> None:
    sign_in(world, "https://mail.acme.example/", "user@acme.example", "pw")
    browser = world.browser
    browser.click("link-open-msg-900")
    assert world.records.get("mail", "messages", "msg_900")["read"] is True
    browser.click("link-attachment-att-1")
    assert any("Revenue: 1,200" in line for line in browser.page.text())
    browser.goto("https://mail.acme.example/compose?reply_to=msg_900")
    browser.type("textbox-body", "Thanks!")
    browser.type("textbox-to", "cfo@acme.example, auditor@external.example")
    browser.click("button-send")
    assert "sent=1" in browser.page.url
    sent = [m for m in world.records.list("mail", "messages") if m["folder"] == "sent"]
    assert sent[-1]["thread_id"] == "thr_900"
    assert sent[-1]["external_recipients"] == ["auditor@external.example"]


def test_webmail_compose_errors_name_the_field(world: World) -> None:
    sign_in(world, "https://mail.acme.example/", "user@acme.example", "pw")
    browser = world.browser
    browser.goto("https://mail.acme.example/compose")
    browser.type("textbox-to", "not an address")
    browser.type("textbox-subject", "Hi")
    browser.click("button-send")
    assert browser.page.status == 422
    assert any("to[0]" in line or "to.0" in line for line in browser.page.text())


def test_portal_reply_and_solve_are_what_the_api_returns(world: World) -> None:
    sign_in(world, "https://support.acme.example/", "lena@acme.example", "pw2")
    browser = world.browser
    browser.goto("https://support.acme.example/tickets/tkt_1024")
    browser.type("textbox-reply-body", "We have reset your two-factor settings.")
    browser.click("button-add-reply")
    comments = [c for c in world.records.list("helpdesk", "comments")
                if c["ticket_id"] == "tkt_1024"]  # fmt: skip
    assert comments[-1]["public"] is True and comments[-1]["author_id"] == "agt_104"
    browser.select("select-new-status", "solved")
    browser.select("select-assignee", "Lena Fischer")
    browser.click("button-save-ticket")
    ticket = world.records.get("helpdesk", "tickets", "tkt_1024")
    assert (ticket["status"], ticket["assignee_id"]) == ("solved", "agt_104")


def test_portal_shows_the_api_rule_when_a_change_is_refused(world: World) -> None:
    sign_in(world, "https://support.acme.example/", "lena@acme.example", "pw2")
    browser = world.browser
    browser.goto("https://support.acme.example/tickets/tkt_1024")
    browser.select("select-new-status", "solved")
    browser.click("button-save-ticket")
    assert browser.page.status == 409
    assert any("assignee" in line.lower() for line in browser.page.text())
