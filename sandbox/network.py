"""The world's mock network: one strict respx router behind one httpx client.

No global patching: the client's transport is ``httpx.MockTransport(router.handler)``, so only
code handed this client reaches the mock services, and an unmocked host raises
``httpx.ConnectError`` instead of opening a socket. Services add their routes with ``route``,
which keeps the unknown-host catch-all last. Every request passes ``interceptor`` first (the
world's fault injector), so all clients on this network meet the same faults.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

import httpx
import respx

UNKNOWN_HOST = "unknown-host"


def _unknown_host(hosts: list[str], request: httpx.Request) -> httpx.Response:
    reachable = ", ".join(hosts) if hosts else "none (this scenario has no services)"
    raise httpx.ConnectError(
        f"no such host in this sandbox: {request.url.host or request.url} "
        f"(reachable hosts: {reachable}; check the URL)",
        request=request,
    )


@lru_cache(maxsize=4096)
def parsed_url(url: str) -> httpx.URL:
    """``httpx.URL(url)``, memoised: parsing was half the cost of building a request, and an
    episode calls the same few endpoints again and again (``httpx.URL`` is immutable)."""
    return httpx.URL(url)


class Network:
    def __init__(self) -> None:
        self.router = respx.MockRouter(assert_all_mocked=True, assert_all_called=False)
        self.hosts: list[str] = []
        self.owners: dict[str, str] = {}  # host → the route name that serves it (service:shop)
        self._by_host: dict[str, Callable[[httpx.Request], httpx.Response]] = {}
        self.interceptor: (
            Callable[[httpx.Request, Callable[[httpx.Request], httpx.Response]], httpx.Response]
            | None
        ) = None
        self.router.route(name=UNKNOWN_HOST).mock(
            side_effect=lambda request: _unknown_host(self.hosts, request)
        )
        self.client = httpx.Client(
            transport=httpx.MockTransport(self.handle),
            trust_env=False,
            follow_redirects=False,
        )

    def route(self, *args: Any, name: str | None = None, **lookups: Any) -> respx.Route:
        """Add a route (respx patterns) ahead of the unknown-host catch-all."""
        host = lookups.get("host")
        if isinstance(host, str) and host not in self.hosts:
            self.hosts.append(host)
            if name:
                self.owners[host] = name
        catch_all = self.router.routes.pop(UNKNOWN_HOST)
        route = self.router.route(*args, name=name, **lookups)
        self.router.routes.add(catch_all, UNKNOWN_HOST)
        return route

    def serve(
        self, host: str, handler: Callable[[httpx.Request], httpx.Response], *, name: str
    ) -> respx.Route:
        """Serve every request to ``host`` with ``handler``: a respx route like any other, and an
        entry in a host table the transport consults first (respx tries its routes one by
        one, which costs more than the mock services themselves)."""
        route = self.route(host=host, name=name).mock(side_effect=handler)
        self._by_host[host] = handler
        return route

    def _route(self, request: httpx.Request) -> httpx.Response:
        handler = self._by_host.get(request.url.host)
        if handler is not None and request.url.scheme in ("http", "https"):
            return handler(request)
        return self.router.handler(request)

    def handle(self, request: httpx.Request) -> httpx.Response:
        """The transport: injected faults (if any) first, then the routes."""
        if self.interceptor is None:
            return self._route(request)
        return self.interceptor(request, self._route)

    def send(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str],
        params: dict[str, str] | None = None,
        json: Any = None,
        data: dict[str, str] | None = None,
    ) -> httpx.Response:
        """One request straight through the transport, as curl sends it: no cookie jar, no
        redirects followed, no default headers. The same faults and routes as ``client``,
        without the client's machinery (cookies, auth, redirect handling, event hooks), which
        costs as much as a mock service's own work; ``http_request``, the typed tools and
        the browser (which keeps its own cookies and follows redirects itself) use this."""
        request = httpx.Request(
            method, parsed_url(url), headers=headers, params=params, json=json, data=data
        )
        response = self.handle(request)
        response.request = request
        response.read()
        return response

    def forget_calls(self) -> None:
        """Drop respx's call log, which would otherwise grow with every request."""
        self.router.calls.clear()
        for route in self.router.routes:
            route.calls.clear()

    def close(self) -> None:
        self.client.close()
