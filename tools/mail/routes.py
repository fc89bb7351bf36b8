"""The mail API. Sent mail lands in ``sent`` with the recipients outside the company listed in
``external_recipients`` (what a careful sender checks, and what a minefield can watch)."""

from __future__ import annotations

import re
from datetime import datetime

from sandbox.records import Record
from sandbox.rest import add_token_endpoint, filter_and_sort, paginate, require
from sandbox.service import Call, HttpError, Reply, Service
from tools.mail.models import (
    COMPANY_DOMAIN,
    EMAIL,
    FOLDERS,
    MAILBOX,
    AttachmentContent,
    AttachmentList,
    Folder,
    Mailbox,
    Message,
    MessageQuery,
    MessageUpdate,
    SendMessage,
    Thread,
)
from tools.mail.search import matches, parse
from tools.mail.seed import generate
from tools.timerange import bounds, within

Instant = datetime | None

MAIL = Service(
    "mail",
    "https://api.mail.example/v1",
    title="Mail API",
    description=f"The mailbox of {MAILBOX}: folders, threads, search, sending, attachments.",
)
add_token_endpoint(MAIL)
MAIL.seed(generate)


def _matches(message: Record, query: MessageQuery, low: Instant, high: Instant) -> bool:
    if query.sender and message["from"].lower() != query.sender.lower():
        return False
    if query.label is not None and query.label not in message.get("labels", []):
        return False
    if query.unread is not None and message["read"] == query.unread:
        return False
    if query.has_attachment is not None and bool(message["attachments"]) != query.has_attachment:
        return False
    return within(message["date"], low, high)


@MAIL.endpoint(
    "GET", "/messages", scope="mail:read", query=MessageQuery, response=Message, paginated=True
)
def list_messages(call: Call) -> dict:
    """List or search messages: folder, q (words and operators such as from:, has:attachment,
    after:), sender, label, unread, has_attachment, date range."""
    query: MessageQuery = call.query
    if query.folder is not None and query.folder not in FOLDERS:
        raise HttpError(
            400, f"no folder {query.folder!r}; folders: {', '.join(FOLDERS)}", field="folder"
        )
    low, high = bounds(query.since, query.before)
    search = parse(query.q or "")
    records = call.data.view(
        "messages", where=lambda m: _matches(m, query, low, high) and matches(m, search)
    )
    records = filter_and_sort(call, records, filters=("folder",), sortable=("date", "subject"))
    return paginate(call, records, "/messages")


@MAIL.endpoint("GET", "/mailbox", scope="mail:read", response=Mailbox)
def get_mailbox(call: Call) -> Mailbox:
    """The mailbox: its address, the company domain, folders with counts, labels in use."""
    messages = call.data.view("messages")
    folders = [
        Folder(
            name=name,
            total=sum(1 for m in messages if m["folder"] == name),
            unread=sum(1 for m in messages if m["folder"] == name and not m["read"]),
        )
        for name in FOLDERS
    ]
    labels = sorted({label for m in messages for label in m.get("labels", [])})
    return Mailbox(address=MAILBOX, company_domain=COMPANY_DOMAIN, folders=folders, labels=labels)


@MAIL.endpoint("GET", "/threads/{thread_id}", scope="mail:read", response=Thread, errors=(404,))
def get_thread(call: Call) -> dict:
    """A conversation: every message with this thread id (any folder), oldest first."""
    thread_id = call.params["thread_id"]
    messages = sorted(
        (m for m in call.data.list("messages") if m["thread_id"] == thread_id),
        key=lambda m: m["date"],
    )
    if not messages:
        raise HttpError(404, f"thread {thread_id!r} not found", code="not_found")
    people: dict[str, None] = {}
    for message in messages:
        for address in (message["from"], *message["to"], *message.get("cc", [])):
            people.setdefault(address.lower())
    return {
        "id": thread_id,
        "subject": messages[0]["subject"],
        "participants": list(people),
        "messages": messages,
    }


@MAIL.endpoint("GET", "/messages/{message_id}", scope="mail:read", response=Message, errors=(404,))
def get_message(call: Call) -> dict:
    """Get one message (its attachments are listed; fetch their content separately)."""
    return require(call, "messages", call.params["message_id"], "message")


@MAIL.endpoint(
    "PATCH",
    "/messages/{message_id}",
    scope="mail:write",
    body=MessageUpdate,
    response=Message,
    errors=(404,),
)
def update_message(call: Call) -> dict:
    """Mark read or unread, set, add or remove labels, or move to another folder."""
    message = require(call, "messages", call.params["message_id"], "message")
    change = call.body
    if change.folder is not None:
        if change.folder not in FOLDERS or change.folder == "sent":
            raise HttpError(
                422,
                f"cannot move to {change.folder!r}; use inbox, archive or trash",
                field="folder",
            )
        message["folder"] = change.folder
    if change.read is not None:
        message["read"] = change.read
    if change.labels is not None:
        message["labels"] = sorted(set(change.labels))
    if change.add_labels or change.remove_labels:
        kept = set(message["labels"]) - set(change.remove_labels)
        message["labels"] = sorted(kept | set(change.add_labels))
    call.data.put("messages", message["id"], message)
    return message


@MAIL.endpoint(
    "POST",
    "/messages/send",
    scope="mail:send",
    body=SendMessage,
    response=Message,
    status=201,
    errors=(404,),
    idempotent=True,
)
def send_message(call: Call) -> Reply:
    """Send a message; it is stored in the sent folder."""
    body = call.body
    for field_name in ("to", "cc"):
        for index, address in enumerate(getattr(body, field_name)):
            if not re.match(EMAIL, address):
                raise HttpError(
                    422,
                    f"{field_name}[{index}]: {address!r} is not an email address",
                    field=f"{field_name}.{index}",
                )
    thread = call.new_id("thr")
    if body.in_reply_to is not None:
        thread = require(call, "messages", body.in_reply_to, "message")["thread_id"]
    recipients = [*body.to, *body.cc]
    message = Message.model_validate(
        {
            "id": call.new_id("msg"),
            "folder": "sent",
            "thread_id": thread,
            "from": MAILBOX,
            "to": body.to,
            "cc": body.cc,
            "subject": body.subject,
            "body": body.body,
            "date": call.now_iso(),
            "read": True,
            "external_recipients": sorted(
                {a for a in recipients if not a.lower().endswith("@" + COMPANY_DOMAIN)}
            ),
        }
    ).model_dump(mode="json", by_alias=True)
    call.data.put("messages", message["id"], message)
    return Reply(message, status=201, headers={"Location": call.url(f"/messages/{message['id']}")})


@MAIL.endpoint(
    "GET",
    "/messages/{message_id}/attachments",
    scope="mail:read",
    response=AttachmentList,
    errors=(404,),
)
def list_attachments(call: Call) -> dict:
    """A message's attachments (names, types, sizes); fetch one by id for its content."""
    message = require(call, "messages", call.params["message_id"], "message")
    return {"data": message["attachments"]}


@MAIL.endpoint(
    "GET",
    "/messages/{message_id}/attachments/{attachment_id}",
    scope="mail:read",
    response=AttachmentContent,
    errors=(404,),
)
def get_attachment(call: Call) -> dict:
    """An attachment's content, base64-encoded."""
    message_id, attachment_id = call.params["message_id"], call.params["attachment_id"]
    require(call, "messages", message_id, "message")
    stored = require(call, "attachments", f"{message_id}.{attachment_id}", "attachment")
    return {key: stored[key] for key in ("filename", "content_type", "content_base64")} | {
        "id": attachment_id
    }
