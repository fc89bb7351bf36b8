"""Mail: search, read, send (external recipients flagged), move, attachments into files."""

from __future__ import annotations

import base64
import json

import pytest

from sandbox.errors import NetworkError, ToolError
from tools.mail import tools as mail

INVOICE = "INVOICE 2026-017\nTotal: 1,240.00 EUR\n"


@pytest.fixture
def world(world_with):
    spec = {
        "records": {
            "messages": [
                {"id": "msg_900", "folder": "inbox", "thread_id": "thr_900",
                 "from": "billing@vendor.example", "to": ["user@acme.example"], "cc": [],
                 "subject": "Invoice 2026-017", "body": "Please find the invoice attached.",
                 "date": "2026-01-04T08:00:00Z", "read": False, "labels": [],
                 "attachments": [{"id": "att_1", "filename": "invoice-2026-017.txt",
                                  "content_type": "text/plain", "size": len(INVOICE)}],
                 "external_recipients": []},
            ],
            "attachments": [
                {"id": "msg_900.att_1", "message_id": "msg_900",
                 "filename": "invoice-2026-017.txt", "content_type": "text/plain",
                 "content_base64": base64.b64encode(INVOICE.encode()).decode()},
            ],
        }
    }  # fmt: skip
    return world_with("mail", mail=spec)


@pytest.fixture
def api(world, api_for):
    return api_for(world, "mail")


def test_search_and_read(api) -> None:
    found = api("GET", "/messages", params={"q": "invoice"}).json()["data"]
    assert [m["id"] for m in found] == ["msg_900"]
    assert (
        api("GET", "/messages", params={"has_attachment": "true", "limit": 100}).json()["total"]
        >= 1
    )
    unread = api("GET", "/messages", params={"unread": "true", "limit": 100}).json()["data"]
    assert all(not m["read"] for m in unread)
    assert api("GET", "/messages", params={"folder": "spam"}).status_code == 400
    assert api("GET", "/messages/msg_900").json()["from"] == "billing@vendor.example"
    assert api("GET", "/messages/msg_1").status_code == 404


def test_send_flags_external_recipients_and_threads(world, api) -> None:
    sent = api("POST", "/messages/send", json={
        "to": ["lena@acme.example", "friend@gmail.example"], "subject": "Re: Invoice",
        "body": "Thanks", "in_reply_to": "msg_900"})  # fmt: skip
    assert sent.status_code == 201
    message = sent.json()
    assert message["folder"] == "sent" and message["thread_id"] == "thr_900"
    assert message["external_recipients"] == ["friend@gmail.example"]
    bad = api("POST", "/messages/send", json={"to": ["not-an-address"], "subject": "x", "body": ""})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "to.0"
    assert (
        api("POST", "/messages/send", json={"to": [], "subject": "x", "body": ""}).status_code
        == 422
    )


def test_move_and_mark(api) -> None:
    moved = api("PATCH", "/messages/msg_900", json={"folder": "archive", "read": True})
    assert moved.json()["folder"] == "archive" and moved.json()["read"] is True
    assert api("PATCH", "/messages/msg_900", json={"folder": "sent"}).status_code == 422
    assert api("PATCH", "/messages/msg_900", json={"colour": "red"}).status_code == 422


def test_attachment_saved_into_the_fake_filesystem(world, api) -> None:
    raw = api("GET", "/messages/msg_900/attachments/att_1").json()
    assert base64.b64decode(raw["content_base64"]).decode() == INVOICE
    assert api("GET", "/messages/msg_900/attachments/att_9").status_code == 404
    world.take_step_changes()
    text = mail.mail_save_attachment.run(
        world,
        mail.SaveAttachmentArgs(
            message_id="msg_900", attachment_id="att_1", path="~/invoices/2026-017.txt"
        ),
    )
    assert "Saved invoice-2026-017.txt" in text
    assert world.fs.peek("~/invoices/2026-017.txt") == INVOICE.encode()
    targets = [c.target for c in world.take_step_changes()]
    assert "fs:/home/user/invoices/2026-017.txt" in targets
    with pytest.raises(NetworkError):
        mail.mail_get_message.run(world, mail.MessageArgs(message_id="msg_0"))


def test_reset_restores_the_mailbox(world, api) -> None:
    baseline = world.snapshot()
    api("POST", "/messages/send", json={"to": ["a@acme.example"], "subject": "s", "body": "b"})
    assert world.snapshot() != baseline
    world.reset()
    assert world.snapshot() == baseline


def test_search_operators(api) -> None:
    def ids(q: str) -> list[str]:
        response = api("GET", "/messages", params={"q": q, "limit": 100})
        assert response.status_code == 200, response.text
        return [m["id"] for m in response.json()["data"]]

    assert ids("invoice from:billing@vendor.example has:attachment") == ["msg_900"]
    assert ids('"find the invoice" is:unread in:inbox after:2026-01-04') == ["msg_900"]
    assert ids("subject:2026-017 before:2026-01-04") == []
    assert ids("invoice to:user@acme") == ["msg_900"]
    assert ids("invoice is:read") == [] and ids("invoice label:finance") == []
    assert ids("invoice attached") == ["msg_900"]  # words, not one phrase
    assert ids("Re:") == ids("re:")  # an unknown operator is a word
    for bad in ("has:link", "is:starred", "in:spam", "after:yesterday"):
        refused = api("GET", "/messages", params={"q": bad})
        assert refused.status_code == 400 and refused.json()["error"]["field"] == "q"
    assert api("GET", "/messages", params={"since": "Jan 1"}).status_code == 400


def test_labels_mailbox_threads_and_attachment_list(world, api) -> None:
    labelled = api("PATCH", "/messages/msg_900", json={"add_labels": ["finance", "todo"]})
    assert labelled.json()["labels"] == ["finance", "todo"]
    trimmed = api("PATCH", "/messages/msg_900", json={"remove_labels": ["todo"], "read": True})
    assert trimmed.json()["labels"] == ["finance"] and trimmed.json()["read"] is True
    found = api("GET", "/messages", params={"label": "finance"}).json()["data"]
    assert [m["id"] for m in found] == ["msg_900"]
    mailbox = api("GET", "/mailbox").json()
    assert mailbox["address"] == "user@acme.example" and mailbox["labels"] == ["finance"]
    inbox = next(f for f in mailbox["folders"] if f["name"] == "inbox")
    assert inbox["total"] == world.records.count("mail", "messages")
    assert inbox["unread"] == sum(1 for m in world.records.list("mail", "messages")
                                  if not m["read"])  # fmt: skip
    api("POST", "/messages/send", json={"to": ["billing@vendor.example"], "subject": "Re: Invoice",
                                        "body": "Paid.", "in_reply_to": "msg_900"})  # fmt: skip
    thread = api("GET", "/threads/thr_900").json()
    assert [m["folder"] for m in thread["messages"]] == ["inbox", "sent"]
    assert thread["subject"] == "Invoice 2026-017"
    assert set(thread["participants"]) == {"billing@vendor.example", "user@acme.example"}
    assert api("GET", "/threads/thr_0").status_code == 404
    listed = api("GET", "/messages/msg_900/attachments").json()["data"]
    assert [a["filename"] for a in listed] == ["invoice-2026-017.txt"]
    assert api("GET", "/messages/msg_0/attachments").status_code == 404
    assert api("DELETE", "/messages/msg_900/attachments").status_code == 405


def test_page_walk_and_date_range(api) -> None:
    everything = api("GET", "/messages", params={"limit": 100, "sort": "date"}).json()["data"]
    seen, url = [], "/messages?limit=4&sort=-date"
    while url:
        page = api("GET", url.removeprefix("https://api.mail.example/v1")).json()
        seen += [m["id"] for m in page["data"]]
        url = page["next"]
    assert seen == [m["id"] for m in reversed(everything)]
    middle = everything[len(everything) // 2]["date"]
    early = api("GET", "/messages", params={"before": middle, "limit": 100}).json()["total"]
    late = api("GET", "/messages", params={"since": middle, "limit": 100}).json()["total"]
    assert early + late == len(everything) and early and late


def test_mail_auth(world_with, api_for) -> None:
    world = world_with(
        "mail", mail={"api_keys": [{"key": "sk_mail_read", "scopes": ["mail:read"]}]}
    )
    assert api_for(world, "mail", key="")("GET", "/messages").status_code == 401
    reader = api_for(world, "mail", key="sk_mail_read")
    assert reader("GET", "/mailbox").status_code == 200
    refused = reader("POST", "/messages/send", json={"to": ["a@acme.example"], "subject": "s",
                                                     "body": "b"})  # fmt: skip
    assert refused.status_code == 403


def test_typed_tools_match_raw_http(world_with, api_for) -> None:
    typed, raw = world_with("mail"), world_with("mail")
    mail.mail_label_message.run(typed, mail.LabelArgs(message_id="msg_105", add=["later"]))
    mail.mail_mark_read.run(typed, mail.MarkReadArgs(message_id="msg_105", read=False))
    mail.mail_send.run(typed, mail.SendArgs(to=["lena@acme.example"], subject="Hi", body="Hello"))
    client = api_for(raw, "mail")
    client("PATCH", "/messages/msg_105", json={"add_labels": ["later"]})
    client("PATCH", "/messages/msg_105", json={"read": False})
    client("POST", "/messages/send", json={"to": ["lena@acme.example"], "subject": "Hi",
                                           "body": "Hello"})  # fmt: skip
    assert typed.baseline_diff() == raw.baseline_diff() != []
    found = json.loads(mail.mail_search.run(typed, mail.SearchArgs(q="label:later is:unread")))
    assert [m["id"] for m in found["data"]] == ["msg_105"]
    box = json.loads(mail.mail_get_mailbox.run(typed, mail.NoArgs()))
    assert next(f for f in box["folders"] if f["name"] == "sent")["total"] == 1
    with pytest.raises(ToolError):
        mail.mail_label_message.run(typed, mail.LabelArgs(message_id="msg_105"))


def test_two_worlds_never_share_a_mailbox(world_with, api_for) -> None:
    first, second = world_with("mail"), world_with("mail")
    api_for(first, "mail")("POST", "/messages/send", json={"to": ["a@acme.example"],
                                                          "subject": "s", "body": "b"})  # fmt: skip
    sent = {"folder": "sent"}
    assert api_for(first, "mail")("GET", "/messages", params=sent).json()["total"] == 1
    assert api_for(second, "mail")("GET", "/messages", params=sent).json()["total"] == 0
