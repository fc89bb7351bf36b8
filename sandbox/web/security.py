"""What keeps the workbench safe in a browser that renders untrusted tool output: same-origin
state changes (CSRF) and a Content-Security-Policy that runs only the workbench's own script."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from starlette.responses import HTMLResponse

# Scripts only from the workbench's own /static; inline scripts and handlers (what an escaping
# slip would let through) never run. Inline styles are allowed: they cannot run code.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]


class SameOriginOnly:
    """CSRF protection: a state-changing request whose browser says it comes from another site
    (``Origin``, else ``Referer``) is refused. Browsers always send ``Origin`` on cross-site
    POSTs; scripts and tests that send neither are let through (the workbench binds localhost)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] not in ("GET", "HEAD", "OPTIONS"):
            headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
            source = headers.get("origin") or headers.get("referer")
            if source and urlsplit(source).netloc != headers.get("host", ""):
                response = HTMLResponse("cross-site request refused", status_code=403)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class SecurityHeaders:
    """Adds the policy headers to every HTTP response."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)
