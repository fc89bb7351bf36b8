"""Webmail at https://mail.acme.example: the same mailbox the mail API serves — reading,
searching, attachments, composing; sending goes through the mail API's own handler."""

from __future__ import annotations

import base64
import math
from typing import Any

from tools.mail import MAIL
from tools.mail.models import MAILBOX
from tools.sites.internal import api, api_ok
from tools.sites.site import Html, PageError, Site, Visit, add_login

WEBMAIL = Site(
    "webmail",
    "mail.acme.example",
    title="Acme Mail",
    backends=(MAIL,),
    help=(
        "Inbox, Sent and Archive list your messages, newest first; the search box looks in "
        "subjects, bodies and senders across every folder. Open a message to read it and its "
        "attachments, reply to it or archive it. Compose sends a new message.",
    ),
)
PAGE_SIZE = 10


def _render(visit: Visit, template: str, status: int = 200, **context: Any) -> Html:
    return visit.render(template, status=status, mailbox=MAILBOX, **context)


add_login(WEBMAIL, "webmail/login.html", context=lambda visit: {"mailbox": MAILBOX})


@WEBMAIL.page("GET", "/")
def mailbox(visit: Visit) -> Html:
    visit.require_login()
    folder = visit.query.get("folder", "inbox")
    q = visit.query.get("q", "").strip()
    messages = [
        m for m in visit.world.records.list("mail", "messages") if (q or m["folder"] == folder)
    ]
    if q:
        needle = q.lower()
        messages = [
            m for m in messages if needle in f"{m['subject']} {m['body']} {m['from']}".lower()
        ]
    messages.sort(key=lambda m: m["date"], reverse=True)
    pages = max(1, math.ceil(len(messages) / PAGE_SIZE))
    page = min(max(1, visit.page_number()), pages)
    heading = f"Search: {q}" if q else folder.capitalize()
    return _render(
        visit,
        "webmail/list.html",
        heading=heading,
        folder=folder,
        q=q,
        page=page,
        pages=pages,
        messages=messages[(page - 1) * PAGE_SIZE : page * PAGE_SIZE],
    )


def _message(visit: Visit) -> dict[str, Any]:
    message = visit.world.records.get("mail", "messages", visit.params["message_id"])
    if message is None:
        raise PageError(404, "This message does not exist.")
    return message


@WEBMAIL.page("GET", "/messages/{message_id}")
def read_message(visit: Visit) -> Html:
    visit.require_login()
    message = _message(visit)
    if not message["read"]:
        api_ok(visit.world, MAIL, "PATCH", f"/messages/{message['id']}", {"read": True})
        message["read"] = True
    flash = "Message sent." if visit.query.get("sent") else None
    return _render(visit, "webmail/message.html", message=message, flash=flash)


@WEBMAIL.page("GET", "/messages/{message_id}/attachments/{attachment_id}")
def read_attachment(visit: Visit) -> Html:
    visit.require_login()
    message_id, attachment_id = visit.params["message_id"], visit.params["attachment_id"]
    status, body = api(
        visit.world, MAIL, "GET", f"/messages/{message_id}/attachments/{attachment_id}"
    )
    if status >= 400:
        raise PageError(status, body["error"]["message"])
    text = base64.b64decode(body["content_base64"]).decode("utf-8", errors="replace")
    return _render(
        visit,
        "webmail/attachment.html",
        filename=body["filename"],
        text=text,
        message_id=message_id,
    )


@WEBMAIL.page("POST", "/messages/{message_id}/archive")
def archive(visit: Visit) -> Html:
    visit.require_login()
    message = _message(visit)
    api_ok(visit.world, MAIL, "PATCH", f"/messages/{message['id']}", {"folder": "archive"})
    return visit.redirect("/?folder=inbox")


@WEBMAIL.page("GET", "/compose")
def compose(visit: Visit) -> Html:
    visit.require_login()
    form = {"to": "", "cc": "", "subject": "", "body": "", "in_reply_to": ""}
    original = visit.query.get("reply_to")
    if original:
        message = visit.world.records.get("mail", "messages", original)
        if message is not None:
            subject = message["subject"]
            form.update(
                to=message["from"],
                in_reply_to=original,
                subject=subject if subject.lower().startswith("re:") else f"Re: {subject}",
            )
    return _render(visit, "webmail/compose.html", form=form)


def _addresses(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


@WEBMAIL.page("POST", "/send")
def send(visit: Visit) -> Html:
    visit.require_login()
    form = {key: visit.form.get(key, "") for key in ("to", "cc", "subject", "body", "in_reply_to")}
    body: dict[str, Any] = {
        "to": _addresses(form["to"]),
        "cc": _addresses(form["cc"]),
        "subject": form["subject"].strip(),
        "body": form["body"],
    }
    if form["in_reply_to"]:
        body["in_reply_to"] = form["in_reply_to"]
    status, answer = api(visit.world, MAIL, "POST", "/messages/send", body)
    if status >= 400:
        details = answer["error"].get("details") or [
            {"field": answer["error"].get("field"), "message": answer["error"]["message"]}
        ]
        errors = [
            d["message"] if not d.get("field") else f"{d['field']}: {d['message']}" for d in details
        ]
        return _render(visit, "webmail/compose.html", status=status, form=form, errors=errors)
    return visit.redirect(f"/messages/{answer['id']}?sent=1")
