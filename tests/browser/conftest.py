"""A world with the shop, its storefront and its admin site, and a logged-out browser."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from sandbox.env import ToolEnv
from sandbox.types import ToolCall
from sandbox.world import World
from scenarios.build import build_world
from scenarios.env import env_for
from scenarios.schema import Scenario

CUSTOMER = {"id": "cus_301", "name": "Ada Lovelace", "email": "ada@mail.example",
            "created_at": "2025-01-01T00:00:00Z"}  # fmt: skip


def shop_scenario(faults: list[dict[str, Any]] | None = None, **shop: object) -> Scenario:
    return Scenario.model_validate(
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
            "faults": faults or [],
            "goal": [{"check": "answer_contains", "text": "x"}],
            "solutions": {"a": [{"tool": "submit", "arguments": {"answer": "x"}}]},
        }
    )


def shop_world(**shop: object) -> World:
    return build_world(shop_scenario(**shop))


@pytest.fixture
def env() -> Iterator[ToolEnv]:
    """The same world behind the tools, as an actor meets it (feedback and all)."""
    environment = env_for(shop_scenario())
    environment.reset()
    yield environment
    environment.close()


@pytest.fixture
def env_with() -> Iterator[Callable[..., ToolEnv]]:
    """``env_with(fault, …)``: a reset env of the shop world with these faults."""
    made: list[ToolEnv] = []

    def make(*faults: dict[str, Any]) -> ToolEnv:
        environment = env_for(shop_scenario(faults=list(faults)))
        environment.reset()
        made.append(environment)
        return environment

    yield make
    for environment in made:
        environment.close()


Act = Callable[..., tuple[str, dict[str, Any]]]


@pytest.fixture
def act(env: ToolEnv) -> Act:
    """``act("browser_click", element="…")``: one call's observation and feedback (a dict)."""

    def call(tool: str, **arguments: object) -> tuple[str, dict[str, Any]]:
        observation, _, _, _, info = env.step(ToolCall(tool=tool, arguments=arguments))
        return str(observation), info["feedback"].model_dump()

    return call


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
