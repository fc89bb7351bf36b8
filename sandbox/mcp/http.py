"""The streamable HTTP app: stateful sessions only, so every client connection is one episode.

The 2026-07-28 protocol is stateless (no handshake, no ``Mcp-Session-Id``): a client in the SDK's
default ``mode="auto"`` probes ``server/discover`` and adopts it when the server advertises a
modern version. Its calls would then carry nothing that tells one client from another. So this
app answers ``server/discover`` advertising the handshake-era versions only — the SDK's
documented legacy advertisement (``mcp.client._probe``): auto clients fall back to the
``initialize`` handshake and get a session (and a world, and a recording) each. A client pinned to
a modern version can still name its episode in ``_meta.episode``; without one its calls are
refused (``sandbox.mcp.episodes.NoEpisode``).
"""

from __future__ import annotations

from typing import Any

import mcp_types as types
from mcp.server import Server
from mcp.server.streamable_http_manager import DEFAULT_SESSION_IDLE_TIMEOUT
from mcp_types.version import HANDSHAKE_PROTOCOL_VERSIONS
from starlette.applications import Starlette


def advertise_sessions_only(server: Server[Any]) -> None:
    """Make ``server/discover`` advertise the handshake-era (session) versions only."""

    async def discover(ctx: Any, params: types.RequestParams | None) -> types.DiscoverResult:
        return types.DiscoverResult(
            supported_versions=list(HANDSHAKE_PROTOCOL_VERSIONS),
            capabilities=server.get_capabilities(protocol_version=ctx.protocol_version),
            instructions=server.instructions,
        )

    server.add_request_handler("server/discover", types.RequestParams, discover)


def http_app(
    server: Server[Any],
    host: str = "127.0.0.1",
    *,
    session_idle_timeout: float | None = DEFAULT_SESSION_IDLE_TIMEOUT,
) -> Starlette:
    """The ASGI app serving ``server`` at ``/mcp``: one stateful session per client. A session
    ends on DELETE, on disconnect, or after ``session_idle_timeout`` seconds without a request
    (SDK default: 30 minutes); its episode's recording is closed then."""
    advertise_sessions_only(server)
    return server.streamable_http_app(
        host=host, stateless_http=False, session_idle_timeout=session_idle_timeout
    )
