"""The SDK ships its own HTTP stack (``httpx2``); the world's mock network must stay on the real
``httpx`` — never aliased to the SDK's copy, whatever order things are imported in."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest.importorskip("mcp")


def test_httpx_is_never_aliased_to_the_sdk_copy() -> None:
    import httpx

    real = httpx
    import mcp
    import mcp.client.streamable_http
    import mcp.server.streamable_http_manager  # noqa: F401

    import sandbox.mcp.http
    import sandbox.mcp.server  # noqa: F401
    from scenarios import env_for, load_bundled

    assert sys.modules["httpx"] is real
    assert Path(real.__file__).parent.name == "httpx"
    httpx2 = sys.modules.get("httpx2")
    assert httpx2 is not None and httpx2 is not real  # the SDK's copy is a separate module
    assert real.Client is not httpx2.Client

    env = env_for(load_bundled("rotate-leaked-key"))
    env.reset(seed=0)
    try:
        client = env.world.http
        assert type(client) is real.Client
        assert not isinstance(client, httpx2.Client)
        assert isinstance(client._transport, real.MockTransport)  # never a real connection
    finally:
        env.close()
