"""Typed mail tools; ``mail_save_attachment`` writes into the fake filesystem (so the file
diff shows it), the way a mail client's "save attachment" does."""

from __future__ import annotations

import base64

from pydantic import BaseModel, Field

from sandbox.errors import ToolError
from sandbox.tool import tool
from sandbox.world import World
from tools.api_client import call_api, show
from tools.mail.routes import MAIL


class ListMessagesArgs(BaseModel):
    folder: str | None = Field(default=None, description="inbox, sent, archive or trash.")
    q: str | None = Field(default=None, description="Text in subject, body or sender.")
    sender: str | None = None
    unread: bool | None = None
    has_attachment: bool | None = None
    since: str | None = Field(default=None, description="ISO date, e.g. 2026-01-01.")
    limit: int | None = Field(default=None, ge=1, le=100)
    cursor: str | None = None
    sort: str | None = Field(default=None, description="date or -date, subject.")


@tool()
def mail_list_messages(world: World, args: ListMessagesArgs) -> str:
    """List or search the mailbox (one page; follow next_cursor for more)."""
    return show(call_api(world, MAIL, "GET", "/messages", query=args.model_dump()))


class MessageArgs(BaseModel):
    message_id: str = Field(description="e.g. msg_105")


@tool()
def mail_get_message(world: World, args: MessageArgs) -> str:
    """Read one message with its attachment list."""
    return show(call_api(world, MAIL, "GET", f"/messages/{args.message_id}"))


class SendArgs(BaseModel):
    to: list[str] = Field(min_length=1)
    cc: list[str] = Field(default_factory=list)
    subject: str
    body: str
    in_reply_to: str | None = Field(default=None, description="Message id to reply to.")


@tool()
def mail_send(world: World, args: SendArgs) -> str:
    """Send an email from user@acme.example."""
    body = args.model_dump(exclude_none=True)
    return show(call_api(world, MAIL, "POST", "/messages/send", body=body))


class MoveArgs(MessageArgs):
    folder: str = Field(description="inbox, archive or trash.")


@tool()
def mail_move_message(world: World, args: MoveArgs) -> str:
    """Move a message to inbox, archive or trash."""
    path = f"/messages/{args.message_id}"
    return show(call_api(world, MAIL, "PATCH", path, body={"folder": args.folder}))


class SaveAttachmentArgs(MessageArgs):
    attachment_id: str = Field(description="e.g. att_1")
    path: str = Field(description="Where to save it, e.g. ~/invoices/invoice.pdf.")


@tool()
def mail_save_attachment(world: World, args: SaveAttachmentArgs) -> str:
    """Save a message's attachment as a file."""
    path = f"/messages/{args.message_id}/attachments/{args.attachment_id}"
    payload = call_api(world, MAIL, "GET", path)
    try:
        data = base64.b64decode(payload["content_base64"], validate=True)
    except (KeyError, TypeError, ValueError):
        raise ToolError(
            "the mail server sent an attachment that is not valid base64", type="bad_response"
        ) from None
    target = world.fs.resolve(args.path)
    world.fs.write_bytes(target, data, make_parents=True)
    return f"Saved {payload.get('filename', args.attachment_id)} ({len(data)} bytes) to {target}."


MAIL_TOOLS = (
    mail_list_messages,
    mail_get_message,
    mail_send,
    mail_move_message,
    mail_save_attachment,
)
