"""What the typed service tools share: an SDK-like client that finds its API key where a real SDK
would (``~/.config/<service>/credentials``) and calls the same routes ``http_request`` reaches, so
the typed path and the raw path are the same state change."""

from __future__ import annotations

import configparser
from functools import lru_cache
from typing import Any

import httpx
from pydantic import BaseModel, Field

from sandbox.errors import FsError, NetworkError, ToolError
from sandbox.service import Service
from sandbox.tool import ToolResult
from sandbox.world import World
from tools.http import HttpRequestArgs, error_message, multi_status_error, pretty_json, send


class PageArgs(BaseModel):
    """Paging shared by the typed list tools (the services' cursor pagination)."""

    limit: int | None = Field(default=None, ge=1, le=100, description="Items per page (20).")
    cursor: str | None = Field(default=None, description="next_cursor from the previous page.")


class SortedPageArgs(PageArgs):
    sort: str | None = Field(default=None, description="Field to sort by; '-' for descending.")


def credentials_path(service: Service) -> str:
    return f"~/.config/{service.name}/credentials"


def read_api_key(world: World, service: Service) -> str:
    path = credentials_path(service)
    try:
        text = world.fs.read_text(world.fs.resolve(path))
    except FsError as error:
        raise ToolError(
            f"cannot load {service.name} credentials: {error}. The {service.name} tools read the "
            f"API key from {path} ([default] api_key = …)",
            type=error.type,
        ) from None
    key = _api_key_in(text)
    if key is None:
        raise ToolError(
            f"{path} has no [default] api_key; expected:\n[default]\napi_key = <key>",
            type="bad_credentials",
        )
    return key


@lru_cache(maxsize=256)
def _api_key_in(text: str) -> str | None:
    """The ``[default] api_key`` of a credentials file (None when it has none); memoised by
    content, since ConfigParser costs more than the mock call the key is for. The file itself is
    still read through the world's filesystem every call, so its faults and edits apply."""
    parser = configparser.ConfigParser()
    try:
        parser.read_string(text)
        return parser["default"]["api_key"].strip()
    except (configparser.Error, KeyError):
        return None


def api_response(
    world: World,
    service: Service,
    method: str,
    path: str,
    *,
    query: dict[str, Any] | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """Call ``service`` as its SDK would; the response (for its headers, e.g. ``ETag``), or a
    ``NetworkError`` for a 4xx/5xx whose message is the body's."""
    request_headers = {"Authorization": f"Bearer {read_api_key(world, service)}", **(headers or {})}
    args = HttpRequestArgs(
        method=method,  # type: ignore[arg-type]
        url=service.base_url + path,
        headers=request_headers,
        query={k: v for k, v in (query or {}).items() if v is not None},
        json=body,
    )
    response = send(world, args)
    if response.status_code >= 400:
        status = response.status_code
        retry_after = response.headers.get("retry-after")
        wait = f" (Retry-After: {retry_after} s)" if retry_after else ""
        raise NetworkError(
            f"HTTP {status} from {method} {path}: {error_message(response)}{wait}",
            type=f"http_{status // 100}xx",
            http_status=status,
        )
    return response


def call_api(
    world: World,
    service: Service,
    method: str,
    path: str,
    *,
    query: dict[str, Any] | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> Any:
    """Call ``service`` as its SDK would; the decoded JSON body, or a ``NetworkError`` for a
    4xx/5xx whose message is the body's."""
    response = api_response(world, service, method, path, query=query, body=body, headers=headers)
    return decode(response, method, path)


def decode(response: httpx.Response, method: str, path: str) -> Any:
    """A 2xx response's JSON body (None for 204 or an empty body)."""
    if response.status_code == 204 or not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        raise NetworkError(
            f"{method} {path} answered {response.status_code} with a body that is not JSON: "
            f"{response.text[:200]!r}",
            type="bad_response",
        ) from None


def show(payload: Any) -> str:
    """A typed tool's observation: the JSON it got, readable."""
    if payload is None:
        return "Done (no content)."
    return pretty_json(payload)


def show_page(payload: Any) -> str | ToolResult:
    """A list tool's observation: one page, a *partial* step when more pages exist (as for the
    raw ``http_request``), with how to get the next one."""
    text = show(payload)
    if not (isinstance(payload, dict) and payload.get("has_more") is True):
        return text
    shown, total = len(payload.get("data") or []), payload.get("total")
    of = f" of {total}" if total is not None else ""
    hint = f"\n[{shown}{of} shown; more pages: pass cursor={payload.get('next_cursor')!r}]"
    return ToolResult(text=text + hint, status="partial")


def show_multi_status(response: httpx.Response, method: str, path: str) -> str | ToolResult:
    """A batch call's observation: a *partial* step when the service answered 207 (some items
    failed), with the error naming them."""
    text = show(decode(response, method, path))
    if response.status_code != 207:
        return text
    return ToolResult(text=text, status="partial", error=multi_status_error(response))
