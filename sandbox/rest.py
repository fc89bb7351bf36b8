"""REST habits shared by every mock service: pagination, filtering and sorting, ETags,
idempotency keys and the token endpoint. Handlers call these so every service behaves alike."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from pydantic import BaseModel, Field

from sandbox.records import Record, clone
from sandbox.service import API_KEYS, IDEMPOTENCY, TOKENS, Call, HttpError, Reply, Service

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
TOKEN_LIFETIME_S = 3600


class PageQuery(BaseModel):
    """Cursor pagination; list endpoints extend this with their filters."""

    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page.")
    cursor: str | None = Field(default=None, description="The `next_cursor` of the previous page.")
    sort: str | None = Field(
        default=None, description="A field to sort by; prefix with '-' for descending."
    )


def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> int:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        kind, _, value = base64.urlsafe_b64decode(padded).decode().partition(":")
        if kind != "o" or not value.isdigit():
            raise ValueError
        return int(value)
    except ValueError:
        raise HttpError(
            400,
            f"invalid cursor {cursor!r}: pass the next_cursor of the previous page unchanged",
            field="cursor",
        ) from None


def paginate(call: Call, items: Sequence[Record], path: str) -> dict[str, Any]:
    """One page of ``items`` with ``has_more`` and a ``next`` link keeping the other parameters.
    The page holds copies: ``items`` may be the store's own records (``Data.view``), so only
    the records returned are copied, not the whole collection."""
    query: PageQuery = call.query
    start = _decode_cursor(query.cursor) if query.cursor else 0
    page = [clone(item) for item in items[start : start + query.limit]]
    more = start + query.limit < len(items)
    next_cursor = _encode_cursor(start + query.limit) if more else None
    next_url = None
    if next_cursor is not None:
        params = query.model_dump(exclude_defaults=True, exclude={"cursor"})
        next_url = call.url(path, **params, cursor=next_cursor)
    return {
        "data": page,
        "has_more": more,
        "next_cursor": next_cursor,
        "next": next_url,
        "total": len(items),
    }


def filter_and_sort(
    call: Call, records: list[Record], *, filters: Sequence[str], sortable: Sequence[str]
) -> list[Record]:
    """Keep records whose fields equal the query's non-null ``filters``; then apply ``sort``."""
    query = call.query
    for name in filters:
        wanted = getattr(query, name, None)
        if wanted is not None:
            wanted = getattr(wanted, "value", wanted)
            records = [r for r in records if _matches(r.get(name), wanted)]
    sort = getattr(query, "sort", None)
    if sort:
        field_name = sort.removeprefix("-")
        if field_name not in sortable:
            raise HttpError(
                400,
                f"cannot sort by {field_name!r}; sortable fields: {', '.join(sortable)}",
                field="sort",
            )
        present = [r for r in records if r.get(field_name) is not None]
        missing = [r for r in records if r.get(field_name) is None]
        present.sort(key=lambda r: r[field_name], reverse=sort.startswith("-"))
        records = present + missing
    return records


def _matches(value: Any, wanted: Any) -> bool:
    if isinstance(value, list):
        return wanted in value
    if isinstance(wanted, str) and not isinstance(value, str):
        return str(value).lower() == wanted.lower()
    if isinstance(wanted, str):
        return value.lower() == wanted.lower()
    return bool(value == wanted)


def require(call: Call, collection: str, record_id: str, noun: str) -> Record:
    """The record, or a 404 naming what was not found."""
    record = call.data.get(collection, record_id)
    if record is None:
        raise HttpError(404, f"{noun} {record_id!r} not found", code="not_found")
    return record


def etag(record: Record) -> str:
    canonical = json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return '"' + hashlib.sha256(canonical).hexdigest()[:16] + '"'


def check_if_match(call: Call, record: Record) -> None:
    """Honour ``If-Match``: 412 when the record changed since the client read it."""
    wanted = call.header("if-match")
    if wanted is None or wanted.strip() == "*":
        return
    current = etag(record)
    if current not in [tag.strip().removeprefix("W/") for tag in wanted.split(",")]:
        raise HttpError(
            412,
            f"the record changed since you read it (If-Match {wanted}, current ETag {current}); "
            "GET it again and retry with the new ETag",
            code="precondition_failed",
            headers={"ETag": current},
        )


def with_etag(record: Record, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    return Reply(record, status=status, headers={"ETag": etag(record), **(headers or {})})


def run_idempotent(call: Call, run: Callable[[], Reply]) -> Reply:
    """``Idempotency-Key``: the first answer for a key is stored and replayed for the same body;
    reusing the key for a different body is a 422."""
    key = call.header("idempotency-key")
    if not key:
        return run()
    fingerprint = hashlib.sha256(
        f"{call.request.method} {call.request.url.path}\n".encode() + call.request.content
    ).hexdigest()
    stored = call.data.get(IDEMPOTENCY, key)
    if stored is not None:
        if stored["fingerprint"] != fingerprint:
            raise HttpError(
                422,
                f"Idempotency-Key {key!r} was already used with a different request; "
                "use a new key for a new operation",
                code="idempotency_key_reused",
            )
        headers = {**stored["headers"], "Idempotent-Replayed": "true"}
        return Reply(stored["body"], status=stored["status"], headers=headers)
    reply = run()
    if reply.status < 500:
        call.data.put(
            IDEMPOTENCY,
            key,
            {
                "fingerprint": fingerprint,
                "status": reply.status,
                "body": reply.body,
                "headers": reply.headers,
                "created_at": call.now_iso(),
            },
        )
    return reply


class TokenRequest(BaseModel):
    api_key: str = Field(description="The API key from the credentials file.")


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    expires_at: str
    scopes: list[str]


def add_token_endpoint(service: Service) -> None:
    """``POST <base>/auth/token``: trade an API key for a short-lived access token (the way back
    from a ``token_expired`` 401)."""

    @service.endpoint("POST", "/auth/token", scope=None, body=TokenRequest, response=TokenResponse,
                      status=201, errors=(401, 422))  # fmt: skip
    def create_token(call: Call) -> TokenResponse:
        """Exchange an API key for an access token."""
        key = call.data.get(API_KEYS, call.body.api_key)
        if key is None:
            raise HttpError(401, "unknown API key", code="unauthorized", field="api_key")
        token = call.new_id(f"{service.name}_at")
        expires = call.now() + timedelta(seconds=TOKEN_LIFETIME_S)
        expires_at = expires.isoformat().replace("+00:00", "Z")
        scopes = list(key.get("scopes", []))
        call.data.put(TOKENS, token, {"expires_at": expires_at, "scopes": scopes})
        return TokenResponse(
            access_token=token, expires_in=TOKEN_LIFETIME_S, expires_at=expires_at, scopes=scopes
        )
