"""Background data: customers and a few weeks of charges."""

from __future__ import annotations

import random
from datetime import datetime

from sandbox.records import Record
from tools.seeddata import days_before, iso, people

DESCRIPTIONS = ("Annual plan", "Monthly plan", "Setup fee", "Add-on seats", "Consulting hours")


def generate(rng: random.Random, start: datetime) -> dict[str, list[Record]]:
    customers = [
        {
            "id": f"pcus_{100 + n}",
            "name": name,
            "email": email,
            "created_at": iso(days_before(start, rng, 60, 400)),
        }
        for n, (name, email) in enumerate(people(rng, 10), start=1)
    ]
    charges = []
    for n in range(1, 26):
        amount = rng.choice((1900, 4900, 9900, 12000, 25000, 49900))
        charges.append(
            {
                "id": f"ch_{1000 + n}",
                "customer_id": rng.choice(customers)["id"],
                "amount_cents": amount,
                "currency": "EUR",
                "description": rng.choice(DESCRIPTIONS),
                "status": rng.choice(("succeeded",) * 5 + ("failed",)),
                "refunded_cents": 0,
                "created_at": iso(days_before(start, rng, 1, 40)),
                "refunds": [],
            }
        )
    charges.sort(key=lambda c: c["created_at"])
    for n, charge in enumerate(charges, start=1):
        charge["id"] = f"ch_{1000 + n}"
    return {"customers": customers, "charges": charges}
