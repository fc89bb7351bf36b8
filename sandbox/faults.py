"""Faults a scenario declares: what goes wrong, where, and when — the same way every run.

A fault has an ``id``, a ``kind`` (below), a ``target`` saying which calls it can hit (tool name,
service + route, HTTP method, URL, file path — all globs, all optional, all must match) and a
``trigger`` saying which of the matching calls it hits (the n-th, the first k, from a simulated
time on, or with a probability drawn from the world's seeded fault RNG). Faults act below the
tools — in the mock network's transport and in the filesystem — so the raw ``http_request`` and
a typed tool, or any two file tools, meet the same fault.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Layer = Literal["http", "file", "browser"]
Recovery = Literal[
    "retry_after_wait",
    "retry_now",
    "reauthenticate",
    "fix_arguments",
    "ask_user",
    "use_alternative",
    "escalate_or_report",
    "none",
]


_RETRY_AFTER = (
    "seconds (optional): sent as Retry-After and the outage lasts as long (the expected "
    "recovery is then retry_after_wait; without it, retry_now)"
)


class KindInfo(BaseModel):
    layer: Layer
    summary: str
    params: dict[str, str] = Field(default_factory=dict)
    recovery: Recovery
    """What a careful expert does next when this fault hits."""
    unsafe_recovery: Recovery | None = None
    """…when it hit a request that changes things (not GET/HEAD): the server may have acted,
    so look before resending."""


KINDS: dict[str, KindInfo] = {
    "http_500": KindInfo(
        layer="http",
        summary="500 Internal Server Error instead of the real answer; with retry_after, the "
        "service stays down that long",
        params={"retry_after": _RETRY_AFTER},
        recovery="retry_now",
    ),
    "http_502": KindInfo(
        layer="http",
        summary="502 Bad Gateway instead of the real answer; with retry_after, the gateway stays "
        "down that long",
        params={"retry_after": _RETRY_AFTER},
        recovery="retry_now",
    ),
    "http_503": KindInfo(
        layer="http",
        summary="503 Service Unavailable; with retry_after, the service stays down that long",
        params={"retry_after": _RETRY_AFTER},
        recovery="retry_now",
    ),
    "rate_limit": KindInfo(
        layer="http",
        summary="429 Too Many Requests with Retry-After; requests before then are refused too",
        params={"retry_after": "seconds (default 30)"},
        recovery="retry_after_wait",
    ),
    "token_expired": KindInfo(
        layer="http",
        summary="401 token_expired: the bearer credential used stops working until a new token "
        "is fetched from POST <base>/auth/token",
        recovery="reauthenticate",
    ),
    "forbidden": KindInfo(
        layer="http",
        summary="403 Forbidden for a valid key",
        params={
            "message": "the error message the 403 carries, saying why and what is needed "
            "(default: this key may not do that right now)"
        },
        recovery="escalate_or_report",
    ),
    "not_found": KindInfo(
        layer="http",
        summary="404 for a record that exists (a replica lagging behind)",
        recovery="retry_now",
    ),
    "timeout": KindInfo(
        layer="http",
        summary="the transport raises httpx.ReadTimeout (or ConnectTimeout) after timeout_s; "
        "a read timeout may happen after the server acted",
        params={
            "phase": "read (default: the request reached the server) | connect (it did not)",
            "timeout_s": "simulated seconds lost (default 30)",
        },
        recovery="retry_now",
        unsafe_recovery="use_alternative",
    ),
    "malformed_body": KindInfo(
        layer="http",
        summary="a 200 whose JSON body is cut short or garbled (the server did act)",
        params={"mode": "truncate (default) | garbage"},
        recovery="retry_now",
        unsafe_recovery="use_alternative",
    ),
    "slow": KindInfo(
        layer="http",
        summary="the real answer, after latency_s simulated seconds",
        params={"latency_s": "seconds (default 10)"},
        recovery="none",
    ),
    "stale_data": KindInfo(
        layer="http",
        summary="the real answer with some JSON fields replaced (old status, wrong total): "
        "checking facts on a re-read pays",
        params={"override": "field → value, applied to the body (and to each item of `data`)"},
        recovery="none",
    ),
    "permission_denied": KindInfo(
        layer="file",
        summary="EACCES on matching paths",
        params={"ops": "read | write | any (default any)"},
        recovery="use_alternative",
    ),
    "read_only": KindInfo(
        layer="file", summary="EROFS: writes under the path are refused", recovery="use_alternative"
    ),
    "disk_full": KindInfo(
        layer="file",
        summary="ENOSPC: writes are refused whole (nothing is written, unlike past a quota)",
        recovery="use_alternative",
    ),
    "file_locked": KindInfo(
        layer="file",
        summary="EBUSY: another process holds the file (retrying later works)",
        params={"ops": "read | write | any (default any)"},
        recovery="retry_after_wait",
    ),
    "vanished": KindInfo(
        layer="file",
        summary="ENOENT on read: the file went away after it was listed",
        recovery="use_alternative",
    ),
    "page_error": KindInfo(
        layer="browser",
        summary="a web page answers 500 with the site's error page",
        recovery="retry_now",
    ),
    "session_expired": KindInfo(
        layer="browser",
        summary="the site's login session ends before this request (log in again)",
        recovery="reauthenticate",
    ),
}


class FaultTarget(BaseModel):
    """Which calls a fault can hit: every field given must match (globs with * and ?)."""

    model_config = ConfigDict(extra="forbid")

    tool: str | None = Field(default=None, description="Tool name, e.g. http_request, shop_*.")
    service: str | None = Field(default=None, description="A service name, e.g. payments.")
    route: str | None = Field(
        default=None, description="A path under the service's base, e.g. /charges*."
    )
    method: str | None = Field(default=None, description="HTTP method, e.g. POST.")
    url: str | None = Field(
        default=None, description="A full-URL glob, e.g. https://shop.example/checkout*."
    )
    path: str | None = Field(default=None, description="A file path glob, e.g. ~/reports/**.")
    body_lacks: str | None = Field(
        default=None,
        min_length=1,
        description="Only requests whose body, as sent, lacks this text (case-sensitive): a "
        "call that carries it is not matched, not even counted — e.g. a refund refused until "
        "its reason quotes the customer's approval reference.",
    )
    caller: Literal["agent", "site"] | None = Field(
        default=None,
        description="Who makes the call: agent (the actor's own requests — http_request, typed "
        "tools, the browser's page loads) or site (a website's backend calling its service, "
        "e.g. the storefront placing an order); both when left out. A fault about the actor's "
        "own key (forbidden, token_expired) usually says agent: a site has its own key.",
    )


class Trigger(BaseModel):
    """Exactly one of: the n-th matching call, the first k, from a time on, a probability."""

    model_config = ConfigDict(extra="forbid")

    nth: int | None = Field(default=None, ge=1, description="Only the n-th matching call.")
    first: int | None = Field(default=None, ge=1, description="The first k matching calls.")
    after_seconds: float | None = Field(
        default=None, ge=0, description="Every matching call from this simulated time on."
    )
    probability: float | None = Field(
        default=None, gt=0, le=1, description="Each matching call, with this probability."
    )

    @model_validator(mode="after")
    def _exactly_one(self) -> Trigger:
        given = [k for k, v in self.model_dump().items() if v is not None]
        if len(given) != 1:
            raise ValueError(
                "a trigger needs exactly one of nth, first, after_seconds, probability "
                f"(got {', '.join(given) or 'none'})"
            )
        return self


class Fault(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")
    kind: str
    target: FaultTarget = Field(default_factory=FaultTarget)
    trigger: Trigger = Field(default_factory=lambda: Trigger(nth=1))
    params: dict[str, Any] = Field(default_factory=dict)
    description: str | None = None
    expected_recovery: Recovery | None = Field(
        default=None,
        description="What a careful expert does next when this fault hits, where the scenario "
        "knows better than the kind's default (e.g. ask_user when only the user can say).",
    )

    @model_validator(mode="after")
    def _known_kind(self) -> Fault:
        info = KINDS.get(self.kind)
        if info is None:
            raise ValueError(f"unknown fault kind {self.kind!r}; known kinds: {', '.join(KINDS)}")
        unknown = set(self.params) - set(info.params)
        if unknown:
            allowed = ", ".join(info.params) or "none"
            raise ValueError(
                f"{self.kind} takes no parameter {', '.join(sorted(unknown))}; it takes: {allowed}"
            )
        target = self.target
        http_only = (
            target.url
            or target.service
            or target.method
            or target.route
            or target.caller
            or target.body_lacks
        )
        if info.layer == "file" and http_only:
            raise ValueError(f"{self.kind} is a file fault: target it with path (and/or tool)")
        if info.layer != "file" and target.path:
            raise ValueError(
                f"{self.kind} is an HTTP fault: target it with service/route/method/url"
            )
        return self

    @property
    def info(self) -> KindInfo:
        return KINDS[self.kind]

    def recovery(self, unsafe: bool = False) -> Recovery:
        """The expected next action after this fault hit (``unsafe``: it hit a request that
        changes things and may have acted)."""
        if self.expected_recovery is not None:
            return self.expected_recovery
        info = self.info
        if unsafe and info.unsafe_recovery is not None:
            return info.unsafe_recovery
        if self.kind in WAIT_WHEN_TOLD and self.params.get("retry_after") is not None:
            return "retry_after_wait"
        return info.recovery


WAIT_WHEN_TOLD = frozenset({"http_500", "http_502", "http_503"})
"""Kinds whose expected recovery is waiting when they send Retry-After, retrying now if not."""
