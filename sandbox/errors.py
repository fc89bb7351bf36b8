"""The project's one exception tree.

    SandboxError                      anything the project raises on purpose
    ├── ToolError                     shown to the actor as a failed step (a partial one when
    │                                 part of the call took effect first); the episode goes on
    │   ├── FsError                   a filesystem refusal with an errno name (ENOENT, EACCES, …)
    │   └── NetworkError              a request the mock network could not serve, or an HTTP
    │                                 error status a typed service tool received
    ├── ActionError                   a malformed action (not JSON, unknown tool, bad args)
    ├── ScenarioError                 a scenario file or model is invalid; nothing runs
    └── TrajectoryError               a recording cannot be read or does not fit its scenario

Any other exception escaping a tool is a bug in the tool: the environment records it as a
failed step of type ``internal_error`` with the traceback, and the episode goes on.
"""

from __future__ import annotations


class SandboxError(Exception):
    """Base of every error the project raises on purpose."""


class ToolError(SandboxError):
    """An error meant for the actor: its message is the observation of a failed step.

    ``type`` is a short machine-readable name (an errno name, an HTTP status class, …).
    ``partial``: part of what the call asked for took effect before the error (a write cut
    short by the quota), so the step is ``partial`` rather than ``failure``.
    """

    def __init__(
        self,
        message: str,
        *,
        type: str = "tool_error",
        http_status: int | None = None,
        partial: bool = False,
    ) -> None:
        super().__init__(message)
        self.type = type
        self.http_status = http_status
        self.partial = partial

    @property
    def message(self) -> str:
        return str(self)


class FsError(ToolError):
    """A filesystem refusal, named like the shell names it (``ENOENT``, ``EACCES``, …)."""

    def __init__(self, errno_name: str, path: str, detail: str, *, partial: bool = False) -> None:
        super().__init__(f"{errno_name}: {path}: {detail}", type=errno_name, partial=partial)
        self.errno_name = errno_name
        self.path = path


class NetworkError(ToolError):
    """A request the sandbox network could not serve (unknown host, timeout, …)."""


class ActionError(SandboxError):
    """The action could not be understood: not JSON, unknown tool, or ill-typed arguments."""

    def __init__(self, message: str, *, type: str) -> None:
        super().__init__(message)
        self.type = type


class ScenarioError(SandboxError):
    """A scenario is invalid. The message names file, line and field where known."""


class TrajectoryError(SandboxError):
    """A trajectory file cannot be read, or does not match what it claims."""
