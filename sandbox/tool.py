"""What a tool is: a typed function over the world whose parameters are a pydantic model.

The model gives the JSON Schema for free, valid as an OpenAI function, an Anthropic tool and an
MCP tool definition. A tool returns text (or a ``ToolResult`` when it ends the episode or only
partly succeeded) and raises ``ToolError`` for anything the actor should see as a failure.
"""

from __future__ import annotations

import fnmatch
import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Generic, TypeVar, get_type_hints

import orjson
from pydantic import BaseModel, ValidationError

from sandbox.errors import ActionError
from sandbox.types import TOOL_NAME_PATTERN, ErrorInfo, Status
from sandbox.world import World

P = TypeVar("P", bound=BaseModel)
_TOOL_NAME = re.compile(TOOL_NAME_PATTERN)


@dataclass(frozen=True)
class ToolResult:
    """A tool's answer when plain text is not enough."""

    text: str
    status: Status = "success"
    ends_episode: bool = False
    answer: str | None = None
    error: ErrorInfo | None = None
    """For a failed or partial result that still shows the actor a full observation (e.g. an
    HTTP 404 with its body)."""


@dataclass(frozen=True, eq=False)
class Tool(Generic[P]):
    name: str
    description: str
    params: type[P]
    run: Callable[[World, P], str | ToolResult]
    sim_seconds: float = 1.0
    """Simulated seconds one call takes (the clock advances by this much)."""

    def __post_init__(self) -> None:
        if not _TOOL_NAME.match(self.name):
            raise ValueError(f"tool name {self.name!r} must match {TOOL_NAME_PATTERN}")

    @cached_property
    def input_schema(self) -> dict[str, Any]:
        schema = self.params.model_json_schema()
        schema.pop("title", None)
        schema.setdefault("properties", {})
        return schema

    @cached_property
    def signature(self) -> str:
        """``fs_read_file(path: string, start_line?: integer)``, for error messages."""
        required = set(self.input_schema.get("required", []))
        parts = []
        for name, prop in self.input_schema["properties"].items():
            kind = prop.get("type") or "|".join(
                sub.get("type", "?") for sub in prop.get("anyOf", [])
            )
            parts.append(f"{name}{'' if name in required else '?'}: {kind or 'any'}")
        return f"{self.name}({', '.join(parts)})"

    def openai_schema(self) -> dict[str, Any]:
        return {
            "type": "function",
            "function": {
                "name": self.name,
                "description": self.description,
                "parameters": self.input_schema,
            },
        }

    def parse(self, arguments: Mapping[str, Any]) -> P:
        """Validate raw arguments, or raise ``ActionError`` naming each bad field."""
        try:
            return self.params.model_validate(arguments)
        except ValidationError as error:
            problems = "; ".join(
                f"{'.'.join(str(part) for part in issue['loc']) or '(arguments)'}: {issue['msg']}"
                for issue in error.errors()
            )
            raise ActionError(
                f"bad arguments for {self.name}: {problems}. Expected {self.signature}",
                type="invalid_arguments",
            ) from None


def tool(
    name: str | None = None, *, sim_seconds: float = 1.0
) -> Callable[[Callable[[World, P], str | ToolResult]], Tool[P]]:
    """Make a ``Tool`` of ``def fn(world: World, args: Params) -> str``.

    The docstring is the description; the second parameter's annotation is the model.
    """

    def wrap(fn: Callable[[World, P], str | ToolResult]) -> Tool[P]:
        hints = get_type_hints(fn)
        parameters = list(inspect.signature(fn).parameters)
        if len(parameters) != 2:
            raise TypeError(f"{fn.__name__} must take (world, args), got {parameters}")
        params = hints[parameters[1]]
        if not (isinstance(params, type) and issubclass(params, BaseModel)):
            raise TypeError(f"{fn.__name__}'s second parameter must be a pydantic model")
        description = inspect.cleandoc(fn.__doc__ or "").strip()
        if not description:
            raise TypeError(f"{fn.__name__} needs a docstring: it is the tool's description")
        return Tool(
            name=name or fn.__name__,
            description=description,
            params=params,
            run=fn,
            sim_seconds=sim_seconds,
        )

    return wrap


@dataclass(frozen=True)
class Toolset(Mapping[str, Tool[Any]]):
    """An ordered, immutable set of tools by name."""

    tools: tuple[Tool[Any], ...]
    _by_name: dict[str, Tool[Any]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_name: dict[str, Tool[Any]] = {}
        for item in self.tools:
            if item.name in by_name:
                raise ValueError(f"two tools are named {item.name!r}")
            by_name[item.name] = item
        object.__setattr__(self, "_by_name", by_name)

    def __getitem__(self, name: str) -> Tool[Any]:
        return self._by_name[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_name)

    def __len__(self) -> int:
        return len(self._by_name)

    def select(self, patterns: Iterable[str]) -> Toolset:
        """The tools whose names match any of ``patterns`` (exact names or globs like ``fs_*``)."""
        chosen: list[Tool[Any]] = []
        for pattern in patterns:
            matches = [t for t in self.tools if fnmatch.fnmatchcase(t.name, pattern)]
            if not matches:
                raise KeyError(f"no tool matches {pattern!r}; known tools: {', '.join(self)}")
            chosen.extend(t for t in matches if t not in chosen)
        return Toolset(tuple(chosen))

    def openai_schemas(self) -> list[dict[str, Any]]:
        return [item.openai_schema() for item in self.tools]

    @cached_property
    def openai_schemas_json(self) -> bytes:
        """``openai_schemas()`` as JSON, dumped once (a recording's header carries it for
        every episode)."""
        return orjson.dumps(self.openai_schemas())
