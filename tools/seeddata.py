"""Deterministic background data for the services: people, companies, dates.

Hand-kept lists rather than a faker library on purpose: a recording must replay identically
years later, and a faker's word lists change between releases.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

FIRST_NAMES = (
    "Alex", "Sam", "Priya", "Jonas", "Mei", "Carlos", "Fatima", "Olga", "Kwame", "Lena",
    "Tomás", "Aiko", "Noah", "Zara", "Ibrahim", "Elena", "Ravi", "Chloé", "Mateo", "Hana",
)  # fmt: skip
LAST_NAMES = (
    "Kim", "Okafor", "Schmidt", "Rossi", "Nguyen", "Haddad", "Novak", "Silva", "Patel", "Berg",
    "Moreau", "Tanaka", "Murphy", "Costa", "Larsen", "Mensah", "Ivanova", "Reyes", "Fischer",
    "Sato",
)  # fmt: skip
COMPANY_DOMAIN = "acme.example"


def person(rng: random.Random) -> tuple[str, str]:
    """A (full name, email) pair."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    handle = f"{first}.{last}".lower().replace("á", "a").replace("é", "e")
    return f"{first} {last}", f"{handle}@{rng.choice(('mail.example', 'post.example'))}"


def people(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """``count`` distinct people."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    while len(out) < count:
        name, email = person(rng)
        if name not in seen:
            seen.add(name)
            out.append((name, email))
    return out


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def days_before(start: datetime, rng: random.Random, low: int, high: int) -> datetime:
    """A moment between ``high`` and ``low`` days before ``start``, on a whole minute."""
    minutes = rng.randint(low * 24 * 60, high * 24 * 60)
    return (start - timedelta(minutes=minutes)).replace(second=0, microsecond=0)
