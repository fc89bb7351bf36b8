"""The helpdesk's background data: a support team and three weeks of tickets with comments."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from sandbox.records import Record
from tools.seeddata import days_before, iso, people

AGENTS = (
    ("Maria Rossi", "billing", True), ("Jonas Berg", "accounts", True),
    ("Aiko Tanaka", "technical", True), ("Lena Fischer", "support", True),
    ("Sam Okafor", "support", True), ("Carlos Silva", "technical", False),
)  # fmt: skip

TOPICS = (
    ("Refund for a damaged item", "The item arrived broken. I would like my money back.",
     "billing", ("refund",)),
    ("Invoice shows the wrong VAT number", "Please correct the VAT number on my last invoice.",
     "billing", ("invoice",)),
    ("Double charged on my card", "I see two identical charges for one order.",
     "billing", ("payment",)),
    ("Cannot log in after password reset", "The reset link worked but the new password fails.",
     "accounts", ("login",)),
    ("Two-factor code never arrives", "The SMS with the code never comes.",
     "accounts", ("2fa", "login")),
    ("App crashes when uploading photos", "The app closes as soon as I pick a photo.",
     "technical", ("bug", "mobile")),
    ("Export to CSV is empty", "The exported file has only the header row.",
     "technical", ("bug", "export")),
    ("Where is my parcel?", "Tracking has not moved for a week.",
     "support", ("shipping",)),
    ("Change my delivery address", "I moved; please send the next order to my new address.",
     "support", ("address",)),
    ("How do I cancel my subscription?", "I cannot find the cancel button.",
     "support", ("subscription",)),
)  # fmt: skip

STATUSES = ("new", "new", "open", "open", "open", "pending", "pending", "solved", "solved",
            "closed")  # fmt: skip
PRIORITIES = ("low", "normal", "normal", "normal", "high", "urgent")
REPLIES = (
    "Thanks for reaching out — we are looking into it and will get back to you shortly.",
    "Could you send us your order number so we can check?",
    "This should be fixed now. Please let us know if anything is still wrong.",
)
NOTES = (
    "Checked the logs: matches a known issue.",
    "Waiting on the payments team.",
    "Customer is a repeat contact; be thorough.",
)


def _agents() -> list[Record]:
    return [
        {
            "id": f"agt_{101 + n}",
            "name": name,
            "email": name.lower().replace(" ", ".") + "@helpdesk.example",
            "team": team,
            "active": active,
        }
        for n, (name, team, active) in enumerate(AGENTS)
    ]


def generate(rng: random.Random, start: datetime) -> dict[str, list[Record]]:
    agents = _agents()
    active = [a for a in agents if a["active"]]
    requesters = people(rng, 14)
    tickets: list[Record] = []
    comments: list[Record] = []
    for _ in range(24):
        subject, body, team, tags = rng.choice(TOPICS)
        name, email = rng.choice(requesters)
        status = rng.choice(STATUSES)
        created = days_before(start, rng, 1, 21)
        team_agents = [a for a in active if a["team"] == team] or active
        assignee = None if status == "new" else rng.choice(team_agents)["id"]
        tickets.append(
            {
                "id": "",
                "subject": subject,
                "body": f"Hello,\n\n{body}\n\nThanks,\n{name}",
                "requester": email,
                "requester_name": name,
                "priority": rng.choice(PRIORITIES),
                "tags": sorted(tags),
                "status": status,
                "assignee_id": assignee,
                "comment_count": 0,
                "created_at": iso(created),
                "updated_at": iso(created),
                "_replies": 0 if status == "new" else rng.randint(1, 2),
            }
        )
    tickets.sort(key=lambda t: t["created_at"])
    for n, ticket in enumerate(tickets, start=1):
        ticket["id"] = f"tkt_{1000 + n}"
        moment = datetime.fromisoformat(ticket["created_at"].replace("Z", "+00:00"))
        for k in range(ticket.pop("_replies")):
            moment += timedelta(minutes=rng.randint(20, 600))
            moment = min(moment, start - timedelta(minutes=5))
            public = k == 0 or rng.random() < 0.5
            comments.append(
                {
                    "id": "",
                    "ticket_id": ticket["id"],
                    "body": rng.choice(REPLIES if public else NOTES),
                    "public": public,
                    "author_id": ticket["assignee_id"],
                    "created_at": iso(moment),
                }
            )
            ticket["comment_count"] += 1
            ticket["updated_at"] = iso(moment)
    for n, comment in enumerate(comments, start=1):
        comment["id"] = f"cmt_{5000 + n}"
    return {"agents": agents, "tickets": tickets, "comments": comments}
