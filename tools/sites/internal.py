"""How a site's backend talks to its service: in-process, through the service's own handlers
(same rules, same records), with a key only the site holds — and through the world's fault
injector (as ``caller="site"``), so a fault aimed at a service route reaches the pages that
call it, as it reaches raw HTTP and the typed tools."""

from __future__ import annotations

from typing import Any

import httpx

from sandbox.service import API_KEYS, Service
from sandbox.world import World
from tools.sites.errors import PageError


def internal_key(service: Service) -> str:
    return f"internal-site-key-{service.name}"


def grant(world: World, service: Service) -> None:
    """Give the site backend its key (before the baseline is marked)."""
    world.records.put(service.name, API_KEYS, internal_key(service), {"scopes": ["*"]})


def api(
    world: World, service: Service, method: str, path: str, body: Any = None
) -> tuple[int, Any]:
    """Call ``service`` directly (not over the network): ``(status, decoded JSON or None)``.
    A call that gets no usable answer (a timeout, a body that is not JSON) raises ``PageError``
    (504 / 502): the page cannot be built, and the site shows its error page."""
    request = httpx.Request(
        method,
        service.base_url + path,
        json=body,
        headers={"Authorization": f"Bearer {internal_key(service)}"},
    )
    try:
        response = world.faults.handle(
            request, lambda sent: service.handle(world, sent), caller="site"
        )
    except httpx.TimeoutException:
        raise PageError(
            504, f"The {service.name} service did not answer in time. Try again."
        ) from None
    except httpx.HTTPError as error:
        raise PageError(
            502, f"The {service.name} service could not be reached ({error})."
        ) from None
    try:
        return response.status_code, (response.json() if response.content else None)
    except ValueError:
        raise PageError(
            502, f"The {service.name} service sent an answer this page could not read. Try again."
        ) from None


def api_ok(world: World, service: Service, method: str, path: str, body: Any = None) -> Any:
    """``api`` for a call the page cannot do without: a 4xx/5xx answer shows the site's error
    page with the service's message."""
    status, answer = api(world, service, method, path, body)
    if status >= 400:
        raise PageError(status, error_message(service, status, answer))
    return answer


def error_message(service: Service, status: int, answer: Any) -> str:
    error = answer.get("error") if isinstance(answer, dict) else None
    message = error.get("message") if isinstance(error, dict) else None
    return f"The {service.name} service answered {status}: {message or 'no details'}."
