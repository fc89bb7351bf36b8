"""Mail: search, read, send (external recipients flagged), move, attachments into files."""

from __future__ import annotations

import base64

import pytest

from sandbox.errors import NetworkError
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
