"""How a site's backend talks to its service: in-process, through the service's own handlers
(same rules, same records), with a key only the site holds."""

from __future__ import annotations

from typing import Any

import httpx

from sandbox.service import API_KEYS, Service
from sandbox.world import World


def internal_key(service: Service) -> str:
    return f"internal-site-key-{service.name}"


def grant(world: World, service: Service) -> None:
    """Give the site backend its key (before the baseline is marked)."""
    world.records.put(service.name, API_KEYS, internal_key(service), {"scopes": ["*"]})


def api(
    world: World, service: Service, method: str, path: str, body: Any = None
) -> tuple[int, Any]:
    """Call ``service`` directly (not over the network): ``(status, decoded JSON or None)``."""
    request = httpx.Request(
        method,
        service.base_url + path,
        json=body,
        headers={"Authorization": f"Bearer {internal_key(service)}"},
    )
    response = service.handle(world, request)
    return response.status_code, (response.json() if response.content else None)
