"""``http_request``: the generic HTTP tool, like curl against the sandbox's mock network.

The observation is what a careful engineer looks at: the status line, the headers that matter
and the body (JSON pretty-printed), cut with a clear marker past a limit. A 4xx/5xx is a failed
step whose error names the HTTP status class and carries the body's message; a 207, or one page
of a list that has more (``has_more``), is a partial step.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, Literal

import httpx
import orjson
from pydantic import BaseModel, Field

from sandbox.errors import NetworkError
from sandbox.tool import ToolResult, tool
from sandbox.types import ErrorInfo
from sandbox.world import World

MAX_BODY_CHARS = 8_000
SHOWN_HEADERS = (
    "content-type",
    "location",
    "etag",
    "allow",
    "retry-after",
    "link",
    "www-authenticate",
    "idempotent-replayed",
    "x-ratelimit-limit",
    "x-ratelimit-remaining",
)


class HttpRequestArgs(BaseModel):
    method: Literal["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"] = "GET"
    url: str = Field(description="Absolute URL, e.g. https://api.shop.example/v1/orders.")
    headers: dict[str, str] = Field(
        default_factory=dict, description="Request headers, e.g. Authorization: Bearer <key>."
    )
    query: dict[str, str | int | float | bool] = Field(
        default_factory=dict, description="Query parameters, added to the URL."
    )
    json_body: Any = Field(
        default=None,
        alias="json",
        description="A JSON body (sent with Content-Type: application/json).",
    )

    model_config = {"populate_by_name": True}


def send(world: World, args: HttpRequestArgs) -> httpx.Response:
    """Send through the world's client; network failures become ``NetworkError``."""
    if not args.url.lower().startswith(("http://", "https://")):
        raise NetworkError(
            f"invalid URL {args.url!r}: only http:// and https:// URLs are served here, "
            "e.g. https://api.shop.example/v1/orders",
            type="invalid_url",
        )
    params = {k: _query_value(v) for k, v in args.query.items()} if args.query else None
    try:
        return world.network.send(
            args.method, args.url, headers=args.headers, params=params, json=args.json_body
        )
    except httpx.TimeoutException as error:
        raise NetworkError(
            f"timed out: {args.method} {args.url} ({type(error).__name__}); the service did not "
            "answer in time — retrying may work",
            type="timeout",
        ) from None
    except httpx.ConnectError as error:
        raise NetworkError(str(error), type="connect_error") from None
    except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
        raise NetworkError(
            f"invalid URL {args.url!r}: {error}; expected e.g. https://api.shop.example/v1/orders",
            type="invalid_url",
        ) from None


def _query_value(value: str | int | float | bool) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


_UNPARSED: Any = object()


def parsed_json(response: httpx.Response) -> Any:
    """The JSON body, parsed once per response (``_UNPARSED`` when it is not JSON)."""
    cached = getattr(response, "_sandbox_json", None)
    if cached is not None:
        return cached
    value = _UNPARSED
    if "json" in response.headers.get("content-type", ""):
        try:
            value = orjson.loads(response.content)
        except ValueError:
            value = _UNPARSED  # a malformed body is shown as it came
    response._sandbox_json = value  # type: ignore[attr-defined]
    return value


def describe(response: httpx.Response, limit: int = MAX_BODY_CHARS) -> str:
    """Status line, relevant headers and the body, as the actor sees a response."""
    try:
        phrase = HTTPStatus(response.status_code).phrase
    except ValueError:
        phrase = ""
    lines = [f"HTTP {response.status_code} {phrase}".rstrip()]
    present = {name.lower(): value for name, value in response.headers.items()}
    lines += [f"{name}: {present[name]}" for name in SHOWN_HEADERS if name in present]
    body = body_text(response)
    if body:
        if len(body) > limit:
            body = (
                body[:limit] + f"\n[… body truncated: showing {limit} of {len(body)} characters; "
                "ask for less (pagination: limit, cursor; filters)]"
            )
        lines += ["", body]
    return "\n".join(lines)


def pretty_json(payload: Any) -> str:
    """JSON indented by two spaces (as json.dumps(indent=2) writes it, in C: indenting with the
    standard library runs its pure-Python encoder, the largest cost of a step)."""
    return orjson.dumps(payload, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()


def body_text(response: httpx.Response) -> str:
    payload = parsed_json(response)
    return response.text if payload is _UNPARSED else pretty_json(payload)


def error_message(response: httpx.Response) -> str:
    """The body's own error message where it has one, else the status phrase."""
    payload = parsed_json(response)
    if isinstance(payload, dict):
        error = payload.get("error")
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
        if isinstance(error, str):
            return error
        if payload.get("message"):
            return str(payload["message"])
    text = response.text.strip()
    return text[:300] if text else _phrase(response.status_code)


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"status {status}"


def status_error(response: httpx.Response) -> ErrorInfo:
    status = response.status_code
    return ErrorInfo(
        type=f"http_{status // 100}xx",
        message=f"HTTP {status}: {error_message(response)}",
        http_status=status,
    )


def multi_status_error(response: httpx.Response) -> ErrorInfo:
    """What a 207 Multi-Status says went wrong: the items that failed (``results`` entries with
    an ``error``), by id."""
    payload = parsed_json(response)
    results = payload.get("results") if isinstance(payload, dict) else None
    failed = [
        item for item in results or [] if isinstance(item, dict) and item.get("error") is not None
    ]
    detail = "; ".join(
        f"{item.get('id')}: {item['error'].get('message', item['error'])}"
        if isinstance(item["error"], dict)
        else f"{item.get('id')}: {item['error']}"
        for item in failed
    )
    done = len(results or []) - len(failed)
    return ErrorInfo(
        type="multi_status",
        message=f"HTTP 207: {done} of {len(results or [])} items done; failed: {detail or '?'}",
        http_status=207,
    )


@tool()
def http_request(world: World, args: HttpRequestArgs) -> ToolResult:
    """Send an HTTP request to one of the sandbox's services and show the response: status line,
    key headers and the body. Authenticate with headers {"Authorization": "Bearer <api key>"};
    each service documents itself at GET <base URL>/openapi.json."""
    response = send(world, args)
    text = describe(response)
    if response.status_code >= 400:
        return ToolResult(text=text, status="failure", error=status_error(response))
    if response.status_code == 207:  # a batch where some items failed
        return ToolResult(text=text, status="partial", error=multi_status_error(response))
    if _more_pages(response):
        return ToolResult(text=text, status="partial")  # only part of what was asked for
    return ToolResult(text=text)


def _more_pages(response: httpx.Response) -> bool:
    body = parsed_json(response)
    return isinstance(body, dict) and body.get("has_more") is True
