"""Background mail: colleagues and vendors writing to user@acme.example."""

from __future__ import annotations

import base64
import random
from datetime import datetime

from sandbox.records import Record
from tools.mail.models import MAILBOX
from tools.seeddata import days_before, iso, people

SUBJECTS = (
    "Team lunch on Friday",
    "Q1 planning notes",
    "Your parcel is on its way",
    "Re: design review",
    "Conference tickets",
    "Office wifi maintenance",
    "Quarterly numbers",
    "Welcome to the team",
)


def attachment(message_id: str, n: int, filename: str, text: str) -> tuple[dict, dict]:
    data = text.encode("utf-8")
    info = {"id": f"att_{n}", "filename": filename, "content_type": "text/plain", "size": len(data)}
    content = {
        "id": f"{message_id}.att_{n}",
        "message_id": message_id,
        "filename": filename,
        "content_type": "text/plain",
        "content_base64": base64.b64encode(data).decode(),
    }
    return info, content


def generate(rng: random.Random, start: datetime) -> dict[str, list[Record]]:
    messages, attachments = [], []
    senders = people(rng, 8)
    for n in range(1, 16):
        name, email = rng.choice(senders)
        message_id = f"msg_{100 + n}"
        record = {
            "id": message_id,
            "folder": "inbox",
            "thread_id": f"thr_{100 + n}",
            "from": email,
            "to": [MAILBOX],
            "cc": [],
            "subject": rng.choice(SUBJECTS),
            "body": f"Hi,\n\nsee below.\n\n{name}",
            "date": iso(days_before(start, rng, 1, 30)),
            "read": rng.random() < 0.6,
            "labels": [],
            "attachments": [],
            "external_recipients": [],
        }
        if n % 5 == 0:
            info, content = attachment(message_id, 1, f"notes-{n}.txt", f"Notes {n}\n")
            record["attachments"] = [info]
            attachments.append(content)
        messages.append(record)
    messages.sort(key=lambda m: m["date"])
    return {"messages": messages, "attachments": attachments}
