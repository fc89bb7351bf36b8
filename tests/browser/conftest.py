"""A world with the shop, its storefront and its admin site, and a logged-out browser."""

from __future__ import annotations

import pytest

from sandbox.world import World
from scenarios.build import build_world
from scenarios.schema import Scenario

CUSTOMER = {"id": "cus_301", "name": "Ada Lovelace", "email": "ada@mail.example",
            "created_at": "2025-01-01T00:00:00Z"}  # fmt: skip


def shop_world(**shop: object) -> World:
    scenario = Scenario.model_validate(
        {
            "id": "browser-test",
            "title": "t",
            "task": "t",
            "tools": ["browser_*"],
            "services": {"shop": {"records": {"customers": [CUSTOMER]}, **shop}},
            "sites": {
                "storefront": {
                    "accounts": [
                        {"id": "ada@mail.example", "password": "pw1", "customer_id": "cus_301"}
                    ]
                },
                "admin": {"accounts": [{"id": "ops", "password": "admin-pw"}]},
            },
            "goal": [{"check": "answer_contains", "text": "x"}],
            "solutions": {"a": [{"tool": "submit", "arguments": {"answer": "x"}}]},
        }
    )
    return build_world(scenario)


@pytest.fixture
def world() -> World:
    return shop_world()


@pytest.fixture
def logged_in(world: World) -> World:
    browser = world.browser
    browser.goto("https://shop.example/login")
    browser.type("textbox-email", "ada@mail.example")
    browser.type("textbox-password", "pw1")
    browser.submit("form-login")
    return world
