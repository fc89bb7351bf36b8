"""The runtime side of faults: one injector per world, consulted by the network's transport and
by the filesystem before they act.

Every fault keeps a count of the calls that matched its target; its trigger decides from that
count, the simulated clock or the world's fault RNG whether this call is hit. Some faults leave
state behind that later calls meet too — a rate limit or outage until its ``Retry-After`` has
passed, an expired token until a new one is fetched, a file that has vanished — and all of it
returns to the baseline on reset. Which faults fired in a step is read by the env for the
step's feedback.
"""

from __future__ import annotations

import fnmatch
import json
import random
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

from sandbox.errors import FsError
from sandbox.faults import Fault
from sandbox.fs import glob_to_regex, resolve_path

if TYPE_CHECKING:
    from sandbox.world import World

Forward = Callable[[httpx.Request], httpx.Response]
TOKEN_PATH = "/auth/token"
_PHRASES = {
    500: "internal server error",
    502: "bad gateway",
    503: "service unavailable",
    429: "too many requests",
    403: "forbidden",
    404: "not found",
    401: "unauthorized",
}
_FILE_ERRORS = {
    "permission_denied": ("EACCES", "permission denied"),
    "read_only": ("EROFS", "read-only file system"),
    "disk_full": ("ENOSPC", "no space left on device"),
    "file_locked": ("EBUSY", "resource busy: the file is locked by another process"),
    "vanished": ("ENOENT", "no such file or directory"),
}
_WRITE_ONLY = {"read_only", "disk_full"}


class FaultInjector:
    def __init__(self, world: World) -> None:
        self._world = world
        self.faults: list[Fault] = []
        self.fault_seed = 0
        self.current_tool: str | None = None
        self._rng = random.Random(0)
        self._path_regex: dict[str, re.Pattern[str]] = {}
        self._reset_state()

    def _reset_state(self) -> None:
        self.counts: dict[str, int] = {}
        self.fired: list[str] = []
        self.retry_after: float | None = None  # the Retry-After of this step's fault, if any
        self.unsafe: set[str] = set()  # faults that hit a request that changes things
        self._until: dict[str, float] = {}  # fault id → simulated time its window ends
        self._expired: dict[str, str] = {}  # credential → fault id that expired it
        self._vanished: dict[str, str] = {}  # path → fault id

    # ---- set-up and reset ------------------------------------------------------------------

    def install(self, faults: list[Fault], fault_seed: int = 0) -> None:
        self.faults = list(faults)
        self.reseed(fault_seed)
        home = self._world.fs.home
        self._path_regex = {
            f.id: re.compile(glob_to_regex(resolve_path(f.target.path, home)) + "(?:/.*)?")
            for f in self.faults
            if f.target.path
        }

    def reseed(self, fault_seed: int) -> None:
        """Probabilistic faults draw from an RNG seeded by the world seed and ``fault_seed``."""
        self.fault_seed = fault_seed
        self._rng = random.Random(f"{self._world.seed}:faults:{fault_seed}")
        self._reset_state()

    def reset(self) -> None:
        self.reseed(self.fault_seed)

    def take_fired(self) -> tuple[list[str], float | None]:
        """The faults that fired since the last call, and the Retry-After they sent."""
        fired, wait = self.fired, self.retry_after
        self.fired, self.retry_after = [], None
        return fired, wait

    def end_step(self) -> None:
        self.unsafe.clear()

    def recovery_of(self, fault_id: str) -> str | None:
        """The expected recovery after ``fault_id`` hit in this step."""
        fault = next((f for f in self.faults if f.id == fault_id), None)
        if fault is None:
            return None
        return fault.recovery(unsafe=fault_id in self.unsafe)

    # ---- matching and triggers -------------------------------------------------------------

    def _tool_matches(self, fault: Fault) -> bool:
        wanted = fault.target.tool
        return wanted is None or (
            self.current_tool is not None and fnmatch.fnmatchcase(self.current_tool, wanted)
        )

    def _hits(self, fault: Fault) -> bool:
        """Count a matching call and say whether the trigger picks it."""
        count = self.counts[fault.id] = self.counts.get(fault.id, 0) + 1
        trigger = fault.trigger
        if trigger.nth is not None:
            return count == trigger.nth
        if trigger.first is not None:
            return count <= trigger.first
        if trigger.after_seconds is not None:
            return self._world.clock.elapsed >= trigger.after_seconds
        assert trigger.probability is not None
        return self._rng.random() < trigger.probability

    def _fire(self, fault: Fault) -> None:
        if fault.id not in self.fired:
            self.fired.append(fault.id)

    # ---- the filesystem --------------------------------------------------------------------

    def check_file(self, op: str, path: str) -> None:
        """Called by the filesystem before reading (``op="read"``) or writing ``path``."""
        if path in self._vanished:
            if op == "write":  # written anew (or deleted): the actor's own file from now on
                del self._vanished[path]
            else:
                self._fire_by_id(self._vanished[path])
                raise FsError("ENOENT", path, "no such file or directory")
        for fault in self.faults:
            if fault.info.layer != "file":
                continue
            regex = self._path_regex.get(fault.id)
            if regex is not None and not regex.fullmatch(path):
                continue
            if fault.kind in _WRITE_ONLY and op != "write":
                continue
            if fault.kind == "vanished" and op != "read":
                continue
            ops = fault.params.get("ops", "any")
            if ops != "any" and ops != op:
                continue
            if not self._tool_matches(fault) or not self._hits(fault):
                continue
            self._fire(fault)
            if fault.kind == "vanished":
                self._vanished[path] = fault.id
            errno_name, detail = _FILE_ERRORS[fault.kind]
            raise FsError(errno_name, path, detail)

    def is_vanished(self, path: str) -> bool:
        """Whether ``path`` vanished: gone for listings and ``stat`` too, not only for reads."""
        return path in self._vanished

    def _fire_by_id(self, fault_id: str) -> None:
        if fault_id not in self.fired:
            self.fired.append(fault_id)

    # ---- the network -----------------------------------------------------------------------

    def handle(
        self, request: httpx.Request, forward: Forward, caller: str = "agent"
    ) -> httpx.Response:
        """Called by the transport for every request (``caller="agent"``) and by a site's
        backend for each call to its service (``caller="site"``); ``forward`` is the real
        routing."""
        if not self.faults:
            return forward(request)
        now = self._world.clock.elapsed
        is_token_call = request.url.path.endswith(TOKEN_PATH)
        credential = _bearer(request)
        if credential in self._expired and not is_token_call:
            fault_id = self._expired[credential]
            self._fire_by_id(fault_id)
            return _token_expired(request)
        # every matching fault counts this call, even when an earlier one is the one that hits
        window: tuple[Fault, float] | None = None
        chosen: Fault | None = None
        for fault in self.faults:
            if fault.info.layer == "file" or not self._http_matches(fault, request, caller):
                continue
            if fault.id in self._until and now < self._until[fault.id]:
                window = window or (fault, self._until[fault.id] - now)
                continue
            if fault.kind == "token_expired" and (is_token_call or credential is None):
                continue
            if self._hits(fault) and chosen is None:
                chosen = fault
        if window is not None:  # still inside an outage or rate-limit window
            self._fire(window[0])
            return self._error_response(window[0], request, window[1])
        if chosen is not None:
            self._fire(chosen)
            if (
                _may_have_acted(chosen)
                and request.method not in ("GET", "HEAD", "OPTIONS")
                and not request.headers.get("idempotency-key")
            ):  # the server may have acted, and resending is not known to be safe
                self.unsafe.add(chosen.id)
            return self._apply(chosen, request, forward, credential)
        return forward(request)

    def _http_matches(self, fault: Fault, request: httpx.Request, caller: str) -> bool:
        target = fault.target
        if target.caller and target.caller != caller:
            return False
        if target.method and request.method != target.method.upper():
            return False
        if target.url and not fnmatch.fnmatchcase(str(request.url), target.url):
            return False
        if target.service:
            owner = self._world.network.owners.get(request.url.host or "", "")
            if owner.split(":", 1)[-1] != target.service:
                return False
        if target.route and not fnmatch.fnmatchcase(request.url.path, "*" + target.route):
            return False
        if target.body_lacks is not None and target.body_lacks in _body_text(request):
            return False
        return self._tool_matches(fault)

    def _apply(
        self, fault: Fault, request: httpx.Request, forward: Forward, credential: str | None
    ) -> httpx.Response:
        kind, params, clock = fault.kind, fault.params, self._world.clock
        if kind == "slow":
            clock.advance(float(params.get("latency_s", 10)))
            return forward(request)
        if kind == "timeout":
            clock.advance(float(params.get("timeout_s", 30)))
            if params.get("phase", "read") == "connect":
                raise httpx.ConnectTimeout("timed out connecting", request=request)
            forward(request)  # the server got it and acted; the answer never came back
            raise httpx.ReadTimeout("timed out waiting for the response", request=request)
        if kind == "malformed_body":
            return _corrupt(forward(request), params.get("mode", "truncate"))
        if kind == "stale_data":
            response, changed = _override(forward(request), params.get("override", {}))
            if not changed and fault.id in self.fired:
                # the "old copy" says what the record says now: the actor saw nothing stale
                self.fired.remove(fault.id)
            return response
        if kind == "token_expired" and credential is not None:
            self._expired[credential] = fault.id
            return _token_expired(request)
        if kind == "session_expired":
            return forward(self._end_sessions(request))
        if kind == "page_error":
            return httpx.Response(
                500,
                html="<html><head><title>500 Server error</title></head><body><h1>500 Server "
                "error</h1><p>Something went wrong on our side. Try again.</p></body></html>",
                request=request,
            )
        wait = params.get("retry_after", 30 if kind == "rate_limit" else None)
        if wait is not None:
            self._until[fault.id] = clock.elapsed + float(wait)
        return self._error_response(fault, request, None if wait is None else float(wait))

    def _error_response(
        self, fault: Fault, request: httpx.Request, retry_after: float | None
    ) -> httpx.Response:
        status = {"http_500": 500, "http_502": 502, "http_503": 503, "rate_limit": 429,
                  "forbidden": 403, "not_found": 404}[fault.kind]  # fmt: skip
        headers = {}
        if retry_after is not None:
            headers["Retry-After"] = str(max(1, round(retry_after)))
            self.retry_after = float(headers["Retry-After"])
        message = {
            404: f"{request.url.path} not found",
            403: str(fault.params.get("message", "this key may not do that right now")),
            429: "rate limit exceeded; retry after the Retry-After interval",
        }.get(status, f"{_PHRASES[status]}; try again later")
        body = {"error": {"status": status, "code": _PHRASES[status].replace(" ", "_"),
                          "message": message}}  # fmt: skip
        return httpx.Response(status, json=body, headers=headers, request=request)

    def _end_sessions(self, request: httpx.Request) -> httpx.Request:
        for part in request.headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name.endswith("_session") and value:
                self._world.records.delete(name.removesuffix("_session"), "_sessions", value)
        return request


def _may_have_acted(fault: Fault) -> bool:
    """A connect timeout never reached the server: resending it is safe."""
    return not (fault.kind == "timeout" and fault.params.get("phase") == "connect")


def _body_text(request: httpx.Request) -> str:
    """The request body as sent (a streamed body that was never read counts as empty)."""
    try:
        return request.content.decode("utf-8", errors="replace")
    except httpx.RequestNotRead:
        return ""


def _bearer(request: httpx.Request) -> str | None:
    scheme, _, credential = request.headers.get("authorization", "").partition(" ")
    return credential.strip() or None if scheme.lower() == "bearer" else None


def _token_expired(request: httpx.Request) -> httpx.Response:
    message = (
        "the access token has expired; get a new one from the service's POST …"
        f"{TOKEN_PATH} endpoint and retry with it"
    )
    body = {"error": {"status": 401, "code": "token_expired", "message": message}}
    return httpx.Response(
        401,
        json=body,
        headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        request=request,
    )


def _corrupt(response: httpx.Response, mode: str) -> httpx.Response:
    content = response.content
    broken = content[: max(1, len(content) // 2)] if mode == "truncate" else b'{"data": [\x00\xff'
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    return httpx.Response(
        response.status_code, content=broken, headers=headers, request=response.request
    )


def _override(response: httpx.Response, override: dict[str, Any]) -> tuple[httpx.Response, bool]:
    """The response with the override applied, and whether that changed any value."""
    try:
        body = response.json()
    except ValueError:
        return response, False
    items = body.get("data") if isinstance(body, dict) else None
    changed = False
    for record in [body, *(items if isinstance(items, list) else [])]:
        if isinstance(record, dict):
            for name, value in override.items():
                if name in record:
                    changed = changed or record[name] != value
                    record[name] = value
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    content = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return httpx.Response(
        response.status_code, content=content, headers=headers, request=response.request
    ), changed
