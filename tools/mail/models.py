"""The mailbox's resources."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from sandbox.rest import PageQuery

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
    labels: list[str] | None = None
    folder: str | None = Field(default=None, description="Move to inbox, archive or trash.")


class AttachmentContent(BaseModel):
    id: str
    filename: str
    content_type: str
    content_base64: str


class MessageQuery(PageQuery):
    folder: str | None = None
    q: str | None = Field(default=None, description="Text in subject, body or sender.")
    sender: str | None = Field(default=None, description="Exact sender address.")
    unread: bool | None = None
    has_attachment: bool | None = None
    since: str | None = Field(default=None, description="ISO date: on or after.")
    before: str | None = Field(default=None, description="ISO date: before.")
