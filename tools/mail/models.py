"""The mailbox's resources."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from sandbox.rest import PageQuery
from tools.timerange import DAY_OR_INSTANT

MAILBOX = "user@acme.example"
COMPANY_DOMAIN = "acme.example"
FOLDERS = ("inbox", "sent", "archive", "trash")
EMAIL = r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$"


class AttachmentInfo(BaseModel):
    id: str
    filename: str
    content_type: str
    size: int


class Message(BaseModel):
    id: str
    folder: str
    thread_id: str
    sender: str = Field(alias="from", description="The sender's address.")
    to: list[str]
    cc: list[str] = Field(default_factory=list)
    subject: str
    body: str
    date: str
    read: bool = False
    labels: list[str] = Field(default_factory=list)
    attachments: list[AttachmentInfo] = Field(default_factory=list)
    external_recipients: list[str] = Field(
        default_factory=list, description="Recipients outside acme.example (sent mail)."
    )

    model_config = ConfigDict(populate_by_name=True)


class SendMessage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to: list[str] = Field(min_length=1)
    cc: list[str] = Field(default_factory=list)
    subject: str = Field(min_length=1, max_length=300)
    body: str = Field(max_length=50_000)
    in_reply_to: str | None = Field(default=None, description="A message id to thread with.")


class MessageUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    read: bool | None = None
    labels: list[str] | None = Field(default=None, description="Replace all labels.")
    add_labels: list[str] = Field(default_factory=list, description="Labels to add.")
    remove_labels: list[str] = Field(default_factory=list, description="Labels to remove.")
    folder: str | None = Field(default=None, description="Move to inbox, archive or trash.")


class AttachmentContent(BaseModel):
    id: str
    filename: str
    content_type: str
    content_base64: str


class AttachmentList(BaseModel):
    data: list[AttachmentInfo]


class Folder(BaseModel):
    name: str
    total: int
    unread: int


class Mailbox(BaseModel):
    address: str
    company_domain: str
    folders: list[Folder]
    labels: list[str] = Field(description="Labels in use, alphabetically.")


class Thread(BaseModel):
    id: str
    subject: str = Field(description="The first message's subject.")
    participants: list[str]
    messages: list[Message] = Field(description="Oldest first.")


class MessageQuery(PageQuery):
    folder: str | None = None
    q: str | None = Field(
        default=None,
        description="Words in subject, body or sender, and operators: from: to: subject: "
        "has:attachment is:unread is:read in:<folder> label:<label> after:<day> before:<day>.",
    )
    sender: str | None = Field(default=None, description="Exact sender address.")
    label: str | None = None
    unread: bool | None = None
    has_attachment: bool | None = None
    since: str | None = Field(
        default=None, pattern=DAY_OR_INSTANT, description="On or after: a day or a UTC instant."
    )
    before: str | None = Field(
        default=None, pattern=DAY_OR_INSTANT, description="Before: a day or a UTC instant."
    )
