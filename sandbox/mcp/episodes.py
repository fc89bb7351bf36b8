"""Which recorded episode an MCP request belongs to, and when that episode's recording closes.

An episode is one client session: over streamable HTTP the transport's ``Mcp-Session-Id``
(stateful sessions: the HTTP app steers clients there, see ``sandbox.mcp.http``), else the
``episode`` a client names in the request's ``_meta``, else, on stdio or in process (one client,
one world), the one default episode. An HTTP request that carries neither a session nor
``_meta.episode`` cannot be attributed to an episode and is refused (``NoEpisode``) rather than
silently sharing a world with other clients.

A recording ends when its episode does (``submit``: "terminated"; the step limit: "truncated") or
when its session ends (DELETE, idle timeout, disconnect: "abandoned"); the episode is then dropped
from the map. An ended named episode leaves a small marker, so later calls naming it are told the
episode is over instead of silently starting a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import anyio

from recorder.recorder import Recorder

SESSION_HEADER = "mcp-session-id"


class NoEpisode(Exception):
    """A request that names no episode where one is needed (stateless HTTP without ``_meta``)."""


@dataclass(frozen=True)
class Ended:
    """What is left of an episode that is over: why, and after how many steps."""

    outcome: str
    steps: int

    @property
    def reason(self) -> str:
        return {"terminated": "submitted", "truncated": "step limit reached"}.get(
            self.outcome, self.outcome
        )


def session_key(ctx: Any, meta: dict[str, Any]) -> tuple[str, bool]:
    """The episode key of a request and whether it belongs to a transport session (whose end
    should close the episode). Raises ``NoEpisode`` for an HTTP request with neither."""
    request = getattr(ctx, "request", None)
    headers = getattr(request, "headers", None)
    if headers is not None and headers.get(SESSION_HEADER):
        return f"http:{headers[SESSION_HEADER]}", True
    episode = meta.get("episode")
    if isinstance(episode, str) and episode:
        return f"meta:{episode}", False
    if headers is not None:
        raise NoEpisode(
            "this request belongs to no episode: it carries no Mcp-Session-Id (a stateless "
            "HTTP call). Each episode is one MCP session: connect with the initialize "
            "handshake (a stateful session), or name your episode in the request's "
            "_meta.episode (e.g. {'episode': 'run-1'})"
        )
    return "default", False


def connection_exit_stack(ctx: Any) -> Any | None:
    """The per-connection ``AsyncExitStack`` the SDK unwinds when a session ends, if reachable.

    SDK 2.3's lowlevel request context does not expose the ``Connection`` publicly; its
    ``ServerSession`` holds it (``tests/mcp`` checks a session's end still closes its episode)."""
    connection = getattr(ctx, "connection", None) or getattr(
        getattr(ctx, "session", None), "_connection", None
    )
    return getattr(connection, "exit_stack", None)


class Episodes:
    """The recorded episodes a server hosts, one per client session (see the module notes).

    ``open_episode(n)`` makes the recorder of the n-th episode (0, 1, 2… never reused, so no
    recording is overwritten); ``recorders`` holds the live ones only."""

    def __init__(self, open_episode: Callable[[int], Recorder], seed: int | None = None) -> None:
        self._open = open_episode
        self._seed = seed
        self.opened = 0
        self.recorders: dict[str, Recorder] = {}
        self.ended: dict[str, Ended] = {}
        self.lock = anyio.Lock()
        """Serialises steps and closes: a session never ends in the middle of its step."""

    def get(self, ctx: Any, meta: dict[str, Any]) -> tuple[str, Recorder | Ended]:
        """The episode of a request, opened (and reset) on its first call. Hold ``lock``."""
        key, in_session = session_key(ctx, meta)
        if key in self.ended:
            return key, self.ended[key]
        recorder = self.recorders.get(key)
        if recorder is None:
            recorder = self.recorders[key] = self._open(self.opened)
            self.opened += 1
            recorder.reset(seed=self._seed)
            stack = connection_exit_stack(ctx) if in_session else None
            if stack is not None:
                stack.push_async_callback(self._session_ended, key)
        return key, recorder

    def finish(self, key: str, outcome: str, steps: int) -> None:
        """The episode is over (its end record is written): release its world."""
        self.ended[key] = Ended(outcome, steps)
        self._drop(key)

    def end_session(self, key: str) -> None:
        """The session is gone: close its recording ("abandoned" unless it already ended)."""
        self._drop(key)
        if key.startswith("http:"):
            self.ended.pop(key, None)  # a session id is never reused: forget it entirely

    def _drop(self, key: str) -> None:
        """Close, then forget: an episode gone from ``recorders`` has its end record on disk."""
        recorder = self.recorders.get(key)
        if recorder is not None:
            recorder.close()
            del self.recorders[key]

    async def _session_ended(self, key: str) -> None:
        async with self.lock:
            self.end_session(key)

    def close(self) -> None:
        for key in list(self.recorders):
            self.end_session(key)
