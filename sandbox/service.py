"""A mock REST service: endpoints declared with pydantic models, served on the world's network.

A ``Service`` is a static description (base URL, endpoints, scopes); ``install`` puts one respx
route for its host on a world's router, and every request is dispatched against *that* world's
record store, so worlds never share state. The framework gives every endpoint the semantics a
real API has: bearer auth (401 / 403 by scope), JSON bodies validated into models (400 bad JSON,
415 wrong content type, 422 naming the bad field), unknown query parameters refused (400), 404
for unknown paths, 405 with ``Allow``, ``Idempotency-Key`` for endpoints that declare it, and an
OpenAPI document generated from the same table at ``GET <base>/openapi.json``.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

import httpx
import orjson
from pydantic import BaseModel, ValidationError

from sandbox.records import Record

if TYPE_CHECKING:
    from sandbox.world import World

JSON = "application/json"
# Bookkeeping collections start with "_": reset covers them, diffs and collateral do not.
API_KEYS = "_api_keys"
TOKENS = "_tokens"
IDEMPOTENCY = "_idempotency_keys"


class HttpError(Exception):
    """Raised by a handler: becomes a JSON error response naming what was wrong."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        code: str | None = None,
        field: str | None = None,
        headers: Mapping[str, str] | None = None,
        details: Any = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or HTTPStatus(status).phrase.lower().replace(" ", "_")
        self.field = field
        self.headers = dict(headers or {})
        self.details = details

    def response(self) -> Reply:
        error: dict[str, Any] = {"status": self.status, "code": self.code, "message": self.message}
        if self.field is not None:
            error["field"] = self.field
        if self.details is not None:
            error["details"] = self.details
        return Reply({"error": error}, status=self.status, headers=self.headers)


@dataclass
class Reply:
    """A handler's answer when the default (200 and the returned JSON) is not enough."""

    body: Any = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key or token presented and the scopes it grants."""

    credential: str
    scopes: tuple[str, ...]

    def allows(self, scope: str) -> bool:
        return "*" in self.scopes or scope in self.scopes


class Data:
    """One service's view of the world's record store."""

    def __init__(self, world: World, service: str) -> None:
        self._store = world.records
        self._service = service

    def get(self, collection: str, record_id: str) -> Record | None:
        return self._store.get(self._service, collection, record_id)

    def list(self, collection: str, where: Callable[[Record], bool] | None = None) -> list[Record]:
        """Copies of the records (``where``: only those it accepts; see ``RecordStore.list``)."""
        return self._store.list(self._service, collection, where)

    def view(self, collection: str, where: Callable[[Record], bool] | None = None) -> list[Record]:
        """The records themselves, not copies, for a handler that only reads them: filters,
        sorts, counts, or returns them through ``paginate`` (which copies the page it returns).
        Never change them or return them otherwise."""
        return self._store.view(self._service, collection, where)

    def put(self, collection: str, record_id: str, record: Record) -> None:
        self._store.put(self._service, collection, record_id, record)

    def delete(self, collection: str, record_id: str) -> bool:
        return self._store.delete(self._service, collection, record_id)

    def count(self, collection: str) -> int:
        return self._store.count(self._service, collection)


@dataclass
class Call:
    """Everything a handler sees of one request."""

    world: World
    service: Service
    request: httpx.Request
    params: dict[str, str]
    query: Any
    body: Any
    principal: Principal | None
    data: Data

    def now(self) -> datetime:
        return self.world.clock.now()

    def now_iso(self) -> str:
        return self.world.clock.isoformat()

    def new_id(self, prefix: str) -> str:
        return self.world.ids.next(prefix)

    def url(self, path: str, **query: Any) -> str:
        """An absolute URL under the service's base, for ``Location`` and ``next`` links."""
        pairs = {k: v for k, v in query.items() if v is not None}
        return self.service.base_url + path + (f"?{urlencode(pairs)}" if pairs else "")

    def header(self, name: str) -> str | None:
        return self.request.headers.get(name)


Handler = Callable[[Call], Any]
Generator = Callable[[random.Random, datetime], dict[str, list[Record]]]
"""Background records for a world: ``collection → records`` (each with an ``id``)."""


@dataclass(frozen=True)
class Endpoint:
    method: str
    path: str
    handler: Handler
    summary: str
    scope: str | None
    body: type[BaseModel] | None
    query: type[BaseModel] | None
    response: type[BaseModel] | None
    status: int
    errors: tuple[int, ...]
    paginated: bool
    idempotent: bool

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        regex = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(self.path))
        return re.compile(f"^{regex}$")

    @property
    def operation_id(self) -> str:
        return self.handler.__name__


class Service:
    def __init__(self, name: str, base_url: str, *, title: str, description: str) -> None:
        self.name = name
        self.base_url = base_url.rstrip("/")
        split = urlsplit(self.base_url)
        self.host = split.hostname or ""
        self.prefix = split.path
        self.title = title
        self.description = description
        self.endpoints: list[Endpoint] = []
        self.generator: Generator | None = None
        self.prepare: Callable[[], object] | None = None
        """Run when the service is installed on a world (before any action): load what its
        handlers would otherwise read from disk during an episode."""

    def seed(self, generator: Generator) -> Generator:
        """Declare the function that generates this service's background records."""
        self.generator = generator
        return generator

    def endpoint(
        self,
        method: str,
        path: str,
        *,
        scope: str | None,
        body: type[BaseModel] | None = None,
        query: type[BaseModel] | None = None,
        response: type[BaseModel] | None = None,
        status: int = 200,
        errors: tuple[int, ...] = (),
        paginated: bool = False,
        idempotent: bool = False,
    ) -> Callable[[Handler], Handler]:
        """Declare a handler for ``METHOD path`` (``{name}`` marks a path parameter)."""

        def register(handler: Handler) -> Handler:
            summary = (handler.__doc__ or "").strip().splitlines()[0] if handler.__doc__ else ""
            self.endpoints.append(
                Endpoint(
                    method.upper(),
                    path,
                    handler,
                    summary,
                    scope,
                    body,
                    query,
                    response,
                    status,
                    errors,
                    paginated,
                    idempotent,
                )
            )
            return handler

        return register

    # ---- on a world ------------------------------------------------------------------------

    def install(self, world: World) -> None:
        """Serve this service on ``world``'s network (its records live in ``world.records``)."""
        if self.prepare is not None:
            self.prepare()
        world.network.serve(
            self.host, lambda request: self.handle(world, request), name=f"service:{self.name}"
        )

    def handle(self, world: World, request: httpx.Request) -> httpx.Response:
        try:
            reply = self._dispatch(world, request)
        except HttpError as error:
            reply = error.response()
        return _to_response(reply, request)

    def _dispatch(self, world: World, request: httpx.Request) -> Reply:
        path = request.url.path
        if path != self.prefix and not path.startswith(self.prefix + "/"):
            raise HttpError(404, f"no such path {path}; this API lives under {self.base_url}")
        local = path[len(self.prefix) :] or "/"
        if local == "/openapi.json" and request.method == "GET":
            return Reply(self.openapi)
        matched = [(e, m) for e in self.endpoints if (m := e.pattern.match(local))]
        if not matched:
            raise HttpError(
                404,
                f"no endpoint {request.method} {path}; "
                f"the API's endpoints are listed at {self.base_url}/openapi.json",
            )
        chosen = next(((e, m) for e, m in matched if e.method == request.method), None)
        if chosen is None:
            allowed = ", ".join(sorted({e.method for e, _ in matched}))
            raise HttpError(
                405,
                f"{request.method} is not allowed on {path}; allowed: {allowed}",
                headers={"Allow": allowed},
            )
        endpoint, match = chosen
        principal = self._authenticate(world, request, endpoint)
        call = Call(
            world=world,
            service=self,
            request=request,
            params=match.groupdict(),
            query=_parse_query(request, endpoint),
            body=_parse_body(request, endpoint),
            principal=principal,
            data=Data(world, self.name),
        )
        if endpoint.idempotent:
            from sandbox.rest import run_idempotent  # the helpers build on this module

            return run_idempotent(call, lambda: _as_reply(endpoint.handler(call), endpoint))
        return _as_reply(endpoint.handler(call), endpoint)

    def _authenticate(
        self, world: World, request: httpx.Request, endpoint: Endpoint
    ) -> Principal | None:
        if endpoint.scope is None:
            return None
        challenge = {"WWW-Authenticate": f'Bearer realm="{self.name}"'}
        header = request.headers.get("authorization", "")
        scheme, _, credential = header.partition(" ")
        if scheme.lower() != "bearer" or not credential.strip():
            raise HttpError(
                401,
                "missing bearer token: send 'Authorization: Bearer <api key>' "
                f"(the key is in ~/.config/{self.name}/credentials)",
                code="unauthorized",
                headers=challenge,
            )
        credential = credential.strip()
        key = world.records.get(self.name, API_KEYS, credential)
        if key is None:
            token = world.records.get(self.name, TOKENS, credential)
            if token is None:
                raise HttpError(
                    401, "invalid API key or token", code="unauthorized", headers=challenge
                )
            if token["expires_at"] <= world.clock.isoformat():
                raise HttpError(
                    401,
                    f"access token expired at {token['expires_at']}; "
                    f"get a new one with POST {self.base_url}/auth/token",
                    code="token_expired",
                    headers=challenge,
                )
            key = token
        principal = Principal(credential, tuple(key.get("scopes", ())))
        if not principal.allows(endpoint.scope):
            raise HttpError(
                403,
                f"this key lacks the scope {endpoint.scope!r} "
                f"(it has: {', '.join(principal.scopes) or 'none'})",
                code="forbidden",
            )
        return principal

    @cached_property
    def openapi(self) -> dict[str, Any]:
        from sandbox.openapi import build_document

        return build_document(self)


def _parse_query(request: httpx.Request, endpoint: Endpoint) -> Any:
    params = request.url.params
    if endpoint.query is None:
        if params:
            names = ", ".join(sorted(set(params.keys())))
            raise HttpError(
                400, f"{endpoint.method} {endpoint.path} takes no query parameters; got {names}"
            )
        return None
    known = set(endpoint.query.model_fields)
    for name in params:
        if name not in known:
            raise HttpError(
                400,
                f"unknown query parameter {name!r}; expected one of: {', '.join(sorted(known))}",
                code="bad_query_parameter",
                field=name,
            )
    raw = {name: params.get(name) for name in params}
    try:
        return endpoint.query.model_validate(raw)
    except ValidationError as error:
        issue = error.errors()[0]
        name = ".".join(str(part) for part in issue["loc"])
        raise HttpError(
            400, f"query parameter {name!r}: {issue['msg']}", code="bad_query_parameter", field=name
        ) from None


def _parse_body(request: httpx.Request, endpoint: Endpoint) -> Any:
    if endpoint.body is None:
        return None
    content = request.content
    if not content:
        raw: Any = {}
    else:
        content_type = request.headers.get("content-type", "").split(";")[0].strip()
        if content_type != JSON:
            raise HttpError(
                415,
                f"send the body as JSON with 'Content-Type: {JSON}' (got {content_type or 'none'})",
            )
        try:
            raw = json.loads(content)
        except ValueError as error:
            raise HttpError(
                400, f"the body is not valid JSON: {error}", code="invalid_json"
            ) from None
    try:
        return endpoint.body.model_validate(raw)
    except ValidationError as error:
        fields = [
            {"field": ".".join(str(p) for p in issue["loc"]) or "(body)", "message": issue["msg"]}
            for issue in error.errors()
        ]
        summary = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        raise HttpError(
            422,
            f"invalid body: {summary}",
            code="validation_error",
            field=fields[0]["field"],
            details=fields,
        ) from None


def _as_reply(result: Any, endpoint: Endpoint) -> Reply:
    if isinstance(result, Reply):
        return result
    if isinstance(result, BaseModel):
        result = result.model_dump(mode="json")
    return Reply(result, status=endpoint.status if result is not None else 204)


def _to_response(reply: Reply, request: httpx.Request) -> httpx.Response:
    if reply.body is None or reply.status == 204:
        return httpx.Response(reply.status, headers=reply.headers, request=request)
    content = orjson.dumps(reply.body, option=orjson.OPT_NON_STR_KEYS)
    headers = {"Content-Type": JSON, **reply.headers}
    return httpx.Response(reply.status, content=content, headers=headers, request=request)
