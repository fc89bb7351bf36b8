"""The mail search language, a small Gmail-like subset for the ``q`` parameter:
words and "quoted phrases" (all must appear in the subject, body or sender) and the operators
``from:`` ``to:`` ``subject:`` ``has:attachment`` ``is:read|unread`` ``in:<folder>``
``label:<label>`` ``after:<day>`` ``before:<day>``. Anything else is a word."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sandbox.records import Record
from sandbox.service import HttpError
from tools.mail.models import FOLDERS
from tools.timerange import DAY_OR_INSTANT, instant, within

OPERATORS = ("from", "to", "subject", "has", "is", "in", "label", "after", "before")
TOKEN = re.compile(r'(?:(\w+):)?(?:"([^"]*)"|(\S+))')


@dataclass
class Search:
    """A parsed ``q``: every part must hold for a message to match."""

    words: list[str] = field(default_factory=list)
    sender: list[str] = field(default_factory=list)
    recipient: list[str] = field(default_factory=list)
    subject: list[str] = field(default_factory=list)
    attachment: bool | None = None
    read: bool | None = None
    folder: str | None = None
    labels: list[str] = field(default_factory=list)
    after: datetime | None = None
    before: datetime | None = None


def _bad(message: str) -> HttpError:
    return HttpError(400, f"q: {message}", code="bad_query_parameter", field="q")


def _day(operator: str, value: str) -> datetime:
    if not re.match(DAY_OR_INSTANT, value):
        raise _bad(f"{operator}:{value} needs a day like 2026-01-05")
    return instant(value)


def parse(q: str) -> Search:
    """``q`` as a ``Search``; a 400 naming ``q`` for an operator value it cannot use."""
    search = Search()
    for match in TOKEN.finditer(q):
        operator, phrase, bare = match.group(1), match.group(2), match.group(3)
        value = (phrase if phrase is not None else bare).lower()
        if operator is None or operator.lower() not in OPERATORS:
            search.words.append(value if operator is None else f"{operator.lower()}:{value}")
            continue
        operator = operator.lower()
        if operator == "from":
            search.sender.append(value)
        elif operator == "to":
            search.recipient.append(value)
        elif operator == "subject":
            search.subject.append(value)
        elif operator == "label":
            search.labels.append(value)
        elif operator == "has":
            if value != "attachment":
                raise _bad(f"has:{value} is not supported; use has:attachment")
            search.attachment = True
        elif operator == "is":
            if value not in ("read", "unread"):
                raise _bad(f"is:{value} is not supported; use is:read or is:unread")
            search.read = value == "read"
        elif operator == "in":
            if value not in FOLDERS:
                raise _bad(f"in:{value}: no such folder; folders: {', '.join(FOLDERS)}")
            search.folder = value
        elif operator == "after":
            search.after = _day(operator, value)
        else:
            search.before = _day(operator, value)
    return search


def matches(message: Record, search: Search) -> bool:
    """Whether ``message`` satisfies every part of ``search``."""
    text = f"{message['subject']}\n{message['body']}\n{message['from']}".lower()
    recipients = " ".join([*message.get("to", []), *message.get("cc", [])]).lower()
    labels = [label.lower() for label in message.get("labels", [])]
    checks = (
        all(word in text for word in search.words),
        all(s in message["from"].lower() for s in search.sender),
        all(r in recipients for r in search.recipient),
        all(s in message["subject"].lower() for s in search.subject),
        all(label in labels for label in search.labels),
        search.attachment is None or bool(message.get("attachments")) == search.attachment,
        search.read is None or bool(message.get("read")) == search.read,
        search.folder is None or message["folder"] == search.folder,
        within(message["date"], search.after, search.before),
    )
    return all(checks)
