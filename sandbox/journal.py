"""First-touch journals: the cheap way to know what a step changed and to undo an episode.

Every state layer (files, service records, …) calls ``touch(key, read)`` before it mutates
``key``. The journal keeps the value the key had the first time it was touched since the last
baseline (for reset) and since the step began (for the step's diff). Reset and per-step diffs
then cost O(keys touched), never O(world size).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from sandbox.types import Change

ABSENT: Any = None
"""The value a journal records for a key that did not exist."""


class Journal:
    def __init__(self) -> None:
        self.since_baseline: dict[Hashable, Any] = {}
        self.since_step: dict[Hashable, Any] = {}

    def touch(self, key: Hashable, read: Callable[[Hashable], Any]) -> None:
        in_baseline = key in self.since_baseline
        in_step = key in self.since_step
        if in_baseline and in_step:
            return
        value = read(key)
        if not in_baseline:
            self.since_baseline[key] = value
        if not in_step:
            self.since_step[key] = value

    def take_step(self) -> dict[Hashable, Any]:
        touched, self.since_step = self.since_step, {}
        return touched

    def take_baseline(self) -> dict[Hashable, Any]:
        touched, self.since_baseline = self.since_baseline, {}
        self.since_step = {}
        return touched


def describe_change(target: str, before: Any, after: Any) -> Change | None:
    """One diff entry for a target whose value went from ``before`` to ``after`` (or None)."""
    if before == after:
        return None
    if before is ABSENT:
        return Change(op="create", target=target, detail=_describe_value(after))
    if after is ABSENT:
        return Change(op="delete", target=target, detail=_describe_value(before))
    return Change(op="modify", target=target, detail=_describe_modification(before, after))


def _describe_value(value: Any) -> str | None:
    if isinstance(value, bytes):
        return f"{len(value)} bytes"
    if isinstance(value, DirectoryMarker):
        return "directory"
    return None


def _describe_modification(before: Any, after: Any) -> str | None:
    if isinstance(before, bytes) and isinstance(after, bytes):
        return f"{len(before)} → {len(after)} bytes"
    if isinstance(before, dict) and isinstance(after, dict):
        fields = sorted(set(before) | set(after), key=str)
        parts = [
            f"{name} {before.get(name)!s}→{after.get(name)!s}"
            for name in fields
            if before.get(name) != after.get(name)
        ]
        return ", ".join(parts) or None
    return f"{_describe_value(before)} → {_describe_value(after)}"


class DirectoryMarker:
    """The snapshot value of a directory: directories are equal to each other."""

    __slots__ = ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, DirectoryMarker)

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "<dir>"


DIRECTORY = DirectoryMarker()
