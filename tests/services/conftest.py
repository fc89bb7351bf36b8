"""Helpers for service tests: a world serving chosen services, and an authenticated client."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from sandbox.world import World
from scenarios.services import ServiceSpec, default_api_key, provision
from tools.catalog import SERVICES

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def service_world(*names: str, seed: int = 7, **specs: dict[str, Any]) -> World:
    """A baseline-marked world with ``names`` served (specs by service name override)."""
    world = World(seed=seed, start=START)
    for name in names:
        provision(world, SERVICES[name], ServiceSpec.model_validate(specs.get(name, {})))
    world.mark_baseline()
    return world


Api = Callable[..., httpx.Response]


def client_for(world: World, service: str, key: str | None = None) -> Api:
    """``api("GET", "/orders", params=…)``: calls under the service's base with its key."""
    base = SERVICES[service].base_url
    token = default_api_key(service) if key is None else key

    def api(method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}))
        if token:
            headers.setdefault("Authorization", f"Bearer {token}")
        return world.http.request(method, base + path, headers=headers, **kwargs)

    return api


@pytest.fixture
def world_with() -> Callable[..., World]:
    """``world_with("shop", shop={"records": …})``: see ``service_world``."""
    return service_world


@pytest.fixture
def api_for() -> Callable[..., Api]:
    """``api_for(world, "shop")`` (or ``key=""`` for no Authorization header)."""
    return client_for
