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


def _long_body() -> str:
    lines = [
        f"Line {n:03d}: the invoice total for item {n} is €{n * 7},00 as agreed."
        for n in range(1, 301)
    ]
    lines[150] = "Line 151: the reference is " + "X" * 3000 + " REF-4242 end."
    return "\n".join(lines)


def test_preformatted_bodies_keep_their_lines_and_long_pages_come_in_bounded_parts(
    world: World,
) -> None:
    from sandbox.browser import parts
    from tools.browser import FindArgs, ReadArgs, browser_find, browser_read

    message = world.records.get("mail", "messages", "msg_900")
    world.records.put("mail", "messages", "msg_900", message | {"body": _long_body()})
    sign_in(world, "https://mail.acme.example/", "user@acme.example", "pw")
    browser = world.browser
    browser.click("link-open-msg-900")
    text = browser.page.text()
    assert "Line 001: the invoice total for item 1 is €7,00 as agreed." in [t.strip() for t in text]
    assert sum(1 for t in text if t.strip().startswith("Line ")) == 300  # one line each
    first = browser.render(1)
    assert "[part 1 of " in first
    total = int(first.rsplit("[part 1 of ", 1)[1].split(";")[0])
    assert total >= 4  # 300 lines + a 3 KB line do not fit in one part
    for number in range(1, total + 1):
        shown = str(browser_read.run(world, ReadArgs(page=number)))
        body = shown.split("\n")[2:-1]  # without the title, the scripts note and the footer
        assert shown.split("\n")[1] == "(scripts on this page are not executed)"
        assert len(body) <= parts.LINES_PER_PART
        assert sum(len(line) + 1 for line in body) <= parts.CHARS_PER_PART + parts.MAX_LINE
        assert all(len(line) <= parts.MAX_LINE for line in body)
    assert "REF-4242" in "\n".join(
        str(browser_read.run(world, ReadArgs(page=n))) for n in range(1, total + 1)
    )
    found = str(browser_find.run(world, FindArgs(text="ref-4242")))
    assert found.startswith("1 line(s) with 'ref-4242'")
    hit = found.split("\n")[1]
    assert hit.startswith("(part ") and "REF-4242" in hit and len(hit) < 3 * parts.SNIPPET
    assert "…" in hit
    many = str(browser_find.run(world, FindArgs(text="invoice total")))
    assert many.startswith("299 line(s)") and "(the first 30 shown)" in many
    assert len(many.split("\n")) == 31


def test_a_long_line_is_cut_at_spaces_and_keeps_its_indent() -> None:
    from sandbox.browser.parts import split, wrap

    pieces = wrap("    " + "word " * 300, limit=100)
    assert all(len(p) <= 100 and p.startswith("    ") for p in pieces)
    assert " ".join(p.strip() for p in pieces).split() == ["word"] * 300
    assert wrap("x" * 250, limit=100) == ["x" * 100, "x" * 100, "x" * 50]
    cut = split(["a"] * 200, per_part=80)
    assert [len(p) for p in cut.parts] == [80, 80, 40] and cut.first_part[199] == 3


def test_back_onto_a_reply_page_does_not_post_the_reply_again(world: World) -> None:
    sign_in(world, "https://support.acme.example/", "lena@acme.example", "pw2")
    browser = world.browser
    ticket = world.records.list("helpdesk", "tickets")[0]["id"]
    browser.goto(f"https://support.acme.example/tickets/{ticket}")
    browser.type("textbox-reply-body", "We are on it.")
    browser.click("button-add-reply")
    comments = world.records.count("helpdesk", "comments")
    assert any("Reply added." in line for line in browser.page.text())
    browser.goto("https://support.acme.example/tickets")
    page = browser.back()
    assert page.status == 200 and browser.from_history
    assert any("Reply added." in line for line in page.text())
    assert world.records.count("helpdesk", "comments") == comments
    browser.forward()
    assert not browser.from_history and browser.page.url.endswith("/tickets")


@pytest.mark.parametrize(
    "url", ["https://mail.acme.example/?page=abc", "https://support.acme.example/tickets?page=x"]
)
def test_a_page_number_that_is_not_a_number_is_a_400(world: World, url: str) -> None:
    if "mail" in url:
        sign_in(world, "https://mail.acme.example/", "user@acme.example", "pw")
    else:
        sign_in(world, "https://support.acme.example/", "lena@acme.example", "pw2")
    page = world.browser.goto(url)
    assert page.status == 400
    assert any("The page number must be a whole number." in line for line in page.text())
