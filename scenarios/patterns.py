"""Patterns over what happened in an episode: which call a step made, which target it changed.

Used by milestones ("a step read the policy"), minefields ("never delete the backup") and
allowed changes ("anything under ~/Pictures may change").

Targets are the world's change targets (``fs:/home/user/a.txt``, later ``shop:orders/1042``),
written as globs: ``*`` stays inside one path segment, ``**`` crosses them, and ``~`` in an
``fs:`` target is the scenario's home folder. A target without a ``scheme:`` prefix is a file
path (``~/backups/**`` means ``fs:~/backups/**``).

An argument matcher is either a plain value or one test:

- a string starting with ``~`` or ``/`` is a path glob: the argument is resolved like the file
  tools resolve it, so ``~/a.txt`` matches ``/home/user/a.txt``, ``a.txt`` and ``~/./a.txt``,
  and ``*`` stays inside one folder (``**`` crosses them);
- another string is a shell-style glob over the argument's text (``*`` matches anything);
- another plain value (number, boolean, null) must be equal;
- ``{equals: v}``, ``{glob: "*.pdf"}``, ``{path: "~/x/**"}``, ``{regex: "^re"}`` (searched),
  ``{contains: "text"}``.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sandbox.errors import FsError
from sandbox.fs import glob_to_regex, resolve_path
from sandbox.types import Change, ChangeOp, Status, Step


def _valid_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as error:
        raise ValueError(f"invalid regular expression {value!r}: {error}") from None
    return value


class ArgTest(BaseModel):
    """One explicit test on an argument value (exactly one field is set)."""

    model_config = ConfigDict(extra="forbid")

    equals: Any = None
    glob: str | None = None
    path: str | None = Field(default=None, description="A path glob; ~ and relative resolved.")
    regex: str | None = None
    contains: str | None = None

    @field_validator("regex")
    @classmethod
    def _regex(cls, value: str | None) -> str | None:
        return None if value is None else _valid_regex(value)

    @model_validator(mode="after")
    def _exactly_one(self) -> ArgTest:
        given = [name for name in type(self).model_fields if name in self.model_fields_set]
        if len(given) != 1:
            raise ValueError(
                "an argument test has exactly one of equals, glob, path, regex, contains; "
                f"got {', '.join(given) or 'none'}"
            )
        return self


ArgMatch = ArgTest | str | int | float | bool | None


def _resolve(value: str, home: str) -> str | None:
    try:
        return resolve_path(value, home)
    except FsError:
        return None


@cache
def _path_regex(pattern: str, home: str) -> re.Pattern[str]:
    return re.compile(glob_to_regex(resolve_path(pattern, home)))


def arg_matches(matcher: ArgMatch, value: Any, home: str) -> bool:
    """Whether an argument ``value`` satisfies ``matcher`` (see the module docstring)."""
    if isinstance(matcher, ArgTest):
        given = next(iter(matcher.model_fields_set))
        if given == "equals":
            return bool(value == matcher.equals)
        if not isinstance(value, str):
            return False
        if given == "glob":
            return fnmatch.fnmatchcase(value, matcher.glob or "")
        if given == "path":
            resolved = _resolve(value, home)
            return resolved is not None and bool(
                _path_regex(matcher.path or "", home).fullmatch(resolved)
            )
        if given == "regex":
            return re.search(matcher.regex or "", value) is not None
        return (matcher.contains or "") in value
    if isinstance(matcher, str):
        if not isinstance(value, str):
            return False
        if matcher.startswith(("~", "/")):
            resolved = _resolve(value, home)
            return resolved is not None and bool(_path_regex(matcher, home).fullmatch(resolved))
        return fnmatch.fnmatchcase(value, matcher)
    return bool(value == matcher) and type(value) is type(matcher)


def _as_list(value: Any) -> Any:
    return value if value is None or isinstance(value, list) else [value]


class ActionPattern(BaseModel):
    """A call a step made: tool name (a glob), argument matchers, and optionally its outcome."""

    model_config = ConfigDict(extra="forbid")

    tool: str = Field(description="Tool name or glob, e.g. fs_delete or fs_*.")
    arguments: dict[str, ArgMatch] = Field(
        default_factory=dict, description="Matchers for the arguments named; others are free."
    )
    status: list[Status] | None = Field(
        default=None,
        description="Outcomes that count. Default: success for a milestone, any for a minefield.",
    )
    error: str | None = Field(default=None, description="Error type glob, e.g. EACCES.")

    @field_validator("status", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _as_list(value)

    def matches(self, step: Step, home: str, default_status: tuple[Status, ...]) -> bool:
        call = step.call
        if not fnmatch.fnmatchcase(call.tool, self.tool):
            return False
        if step.feedback.status not in (self.status or default_status):
            return False
        if self.error is not None:
            error = step.feedback.error
            if error is None or not fnmatch.fnmatchcase(error.type, self.error):
                return False
        arguments = call.arguments
        for name, matcher in self.arguments.items():
            if name not in arguments or not arg_matches(matcher, arguments[name], home):
                return False
        return True


@dataclass(frozen=True)
class TargetGlob:
    """A compiled target glob (``fs:~/backups/**``) for one home folder."""

    pattern: str
    regex: re.Pattern[str]
    literal_prefix: str
    """The target up to its first wildcard, e.g. ``fs:/home/user/backups/``."""

    def matches(self, target: str) -> bool:
        return self.regex.fullmatch(target) is not None


def normalise_target(pattern: str, home: str) -> str:
    """``~/x`` → ``fs:/home/user/x``; ``fs:~/x`` → ``fs:/home/user/x``; others unchanged."""
    scheme, sep, rest = pattern.partition(":")
    if not sep or "/" in scheme:
        scheme, rest = "fs", pattern
    if scheme == "fs":
        rest = resolve_path(rest, home) if not rest.startswith("**") else rest
        if pattern.rstrip().endswith("/") and not rest.endswith("/"):
            rest += "/"
    return f"{scheme}:{rest}"


@cache
def compile_target(pattern: str, home: str) -> TargetGlob:
    normal = normalise_target(pattern, home)
    if normal.endswith("/"):
        normal += "**"
    wildcard = min((i for i, c in enumerate(normal) if c in "*?["), default=len(normal))
    return TargetGlob(pattern, re.compile(glob_to_regex(normal)), normal[:wildcard])


class ChangePattern(BaseModel):
    """A change a step made: an operation (or several; default any) on a target glob."""

    model_config = ConfigDict(extra="forbid")

    target: str = Field(description="Target glob, e.g. fs:~/backups/** or ~/Pictures/*.jpg.")
    op: list[ChangeOp] | None = Field(default=None, description="create, modify, delete.")

    @field_validator("op", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _as_list(value)

    def matches(self, change: Change, home: str) -> bool:
        if self.op is not None and change.op not in self.op:
            return False
        return compile_target(self.target, home).matches(change.target)

    def matching_steps(self, steps: list[Step], home: str) -> list[int]:
        return [
            step.index
            for step in steps
            if any(self.matches(change, home) for change in step.feedback.changes)
        ]


def _matcher_text(value: Any) -> str:
    if isinstance(value, ArgTest):
        given = next(iter(value.model_fields_set))
        shown = getattr(value, given)
        return f"/{shown}/" if given == "regex" else f"{given} {shown!r}"
    return repr(value)


def arguments_text(arguments: Mapping[str, Any]) -> str:
    """Argument values (or matchers) as one text, for explanations."""
    return ", ".join(f"{key}={_matcher_text(value)}" for key, value in arguments.items())
