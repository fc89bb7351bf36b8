"""Typed mail tools; ``mail_save_attachment`` writes into the fake filesystem (so the file
diff shows it), the way a mail client's "save attachment" does."""

from __future__ import annotations

import base64

from pydantic import BaseModel, Field

from sandbox.errors import ToolError
from sandbox.tool import ToolResult, tool
from sandbox.world import World
from tools.api_client import PageArgs, SortedPageArgs, call_api, show, show_page
from tools.mail.routes import MAIL


class ListMessagesArgs(SortedPageArgs):
    folder: str | None = Field(default=None, description="inbox, sent, archive or trash.")
    q: str | None = Field(default=None, description="Words in subject, body or sender.")
    sender: str | None = Field(default=None, description="Exact sender address.")
    label: str | None = None
    unread: bool | None = None
    has_attachment: bool | None = None
    since: str | None = Field(default=None, description="On or after, e.g. 2026-01-01.")
    before: str | None = Field(default=None, description="Before, e.g. 2026-02-01.")


@tool()
def mail_list_messages(world: World, args: ListMessagesArgs) -> str | ToolResult:
    """List the mailbox by folder, sender, label, unread, attachment or date (one page; follow
    next_cursor for more; sort by date, -date or subject)."""
    return show_page(call_api(world, MAIL, "GET", "/messages", query=args.model_dump()))


class SearchArgs(PageArgs):
    q: str = Field(
        min_length=1,
        description='Words or "phrases" (all must match subject, body or sender) and operators: '
        "from:<addr> to:<addr> subject:<word> has:attachment is:unread is:read in:<folder> "
        "label:<label> after:<day> before:<day>, e.g. 'invoice from:billing@ has:attachment "
        "after:2026-01-01'.",
    )


@tool()
def mail_search(world: World, args: SearchArgs) -> str | ToolResult:
    """Search every folder with a mail search query (newest first; one page)."""
    query = {**args.model_dump(), "sort": "-date"}
    return show_page(call_api(world, MAIL, "GET", "/messages", query=query))


class NoArgs(BaseModel):
    pass


@tool()
def mail_get_mailbox(world: World, args: NoArgs) -> str:
    """The mailbox's address and company domain, its folders with total and unread counts, and
    the labels in use."""
    return show(call_api(world, MAIL, "GET", "/mailbox"))


class ThreadArgs(BaseModel):
    thread_id: str = Field(description="A message's thread_id, e.g. thr_105.")


@tool()
def mail_get_thread(world: World, args: ThreadArgs) -> str:
    """Read a whole conversation (every message of the thread, oldest first)."""
    return show(call_api(world, MAIL, "GET", f"/threads/{args.thread_id}"))


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


class MarkReadArgs(MessageArgs):
    read: bool = Field(default=True, description="false marks it unread.")


@tool()
def mail_mark_read(world: World, args: MarkReadArgs) -> str:
    """Mark a message read (or unread)."""
    path = f"/messages/{args.message_id}"
    return show(call_api(world, MAIL, "PATCH", path, body={"read": args.read}))


class LabelArgs(MessageArgs):
    add: list[str] = Field(default_factory=list, description="Labels to add, e.g. ['invoices'].")
    remove: list[str] = Field(default_factory=list, description="Labels to remove.")


@tool()
def mail_label_message(world: World, args: LabelArgs) -> str:
    """Add or remove labels on a message (other labels stay)."""
    if not args.add and not args.remove:
        raise ToolError("say which labels to add or remove", type="invalid_arguments")
    body = {"add_labels": args.add, "remove_labels": args.remove}
    return show(call_api(world, MAIL, "PATCH", f"/messages/{args.message_id}", body=body))


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
    mail_get_mailbox,
    mail_list_messages,
    mail_search,
    mail_get_message,
    mail_get_thread,
    mail_send,
    mail_move_message,
    mail_mark_read,
    mail_label_message,
    mail_save_attachment,
)
