"""The shop's background data: a catalogue, customers and a few weeks of orders."""

from __future__ import annotations

import random
from datetime import datetime

from sandbox.records import Record
from tools.seeddata import days_before, iso, people

CATALOGUE = (
    ("Desk lamp", "home", 3490),
    ("Notebook A5", "office", 590),
    ("Fountain pen", "office", 2450),
    ("Coffee beans 1kg", "kitchen", 1890),
    ("Espresso cups (4)", "kitchen", 2200),
    ("USB-C cable", "electronics", 990),
    ("Wireless mouse", "electronics", 2990),
    ("Laptop stand", "electronics", 4590),
    ("Backpack", "travel", 6990),
    ("Water bottle", "travel", 1590),
    ("Yoga mat", "sport", 2790),
    ("Running socks", "sport", 1290),
    ("Desk plant", "home", 1990),
    ("Headphones", "electronics", 8990),
    ("Tea sampler", "kitchen", 1490),
    ("Phone case", "electronics", 1790),
)

STATUSES = (
    "paid",
    "paid",
    "shipped",
    "delivered",
    "delivered",
    "delivered",
    "pending",
    "cancelled",
)


def generate(rng: random.Random, start: datetime) -> dict[str, list[Record]]:
    products = [
        {
            "id": f"prod_{100 + n}",
            "sku": f"{category[:3].upper()}-{100 + n}",
            "name": name,
            "category": category,
            "price_cents": price,
            "currency": "EUR",
            "stock": rng.randint(0, 40),
            "active": True,
        }
        for n, (name, category, price) in enumerate(CATALOGUE, start=1)
    ]
    customers = [
        {
            "id": f"cus_{100 + n}",
            "name": name,
            "email": email,
            "created_at": iso(days_before(start, rng, 60, 400)),
        }
        for n, (name, email) in enumerate(people(rng, 12), start=1)
    ]
    orders = []
    for n in range(1, 31):
        chosen = rng.sample(products, rng.randint(1, 3))
        items = [
            {
                "product_id": p["id"],
                "name": p["name"],
                "quantity": rng.randint(1, 3),
                "unit_price_cents": p["price_cents"],
            }
            for p in chosen
        ]
        orders.append(
            {
                "id": f"ord_{1000 + n}",
                "customer_id": rng.choice(customers)["id"],
                "items": items,
                "total_cents": sum(i["quantity"] * i["unit_price_cents"] for i in items),
                "refunded_cents": 0,
                "currency": "EUR",
                "status": rng.choice(STATUSES),
                "created_at": iso(days_before(start, rng, 1, 45)),
                "refunds": [],
            }
        )
    orders.sort(key=lambda o: o["created_at"])
    for n, order in enumerate(orders, start=1):
        order["id"] = f"ord_{1000 + n}"
    settings = {
        "id": "store",
        "store_name": "Acme Shop",
        "support_email": "support@shop.example",
        "free_shipping_threshold_cents": 5000,
        "refund_window_days": 30,
        "maintenance_mode": False,
    }
    return {
        "products": products,
        "customers": customers,
        "orders": orders,
        "settings": [settings],
    }
