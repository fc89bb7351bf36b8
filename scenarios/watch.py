"""When did a state predicate hold? Timelines of checks, kept cheaply while the episode runs.

A ``Watcher`` is called by the env on reset and after every step (the ``Observer`` protocol).
It evaluates each watched check on the initial world, then re-evaluates a check only after a
step whose changes touch one of the check's targets — exact targets, or globs such as
``shop:orders/*`` for a check over records — (answer checks: once the answer exists), so the
cost is O(changes), never a snapshot; a record check over a whole collection is kept per record
(``scenarios.tally``), so a step costs O(records changed), not O(collection). The results are
timelines in ``episode.watch``:
``[(step, value), …]`` at each change of value, ``-1`` being the initial world.

An episode built without a watcher (no timelines) falls back to the final world: a check true
at the end is taken to have become true at the last step that touched its targets.
"""

from __future__ import annotations

import bisect
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from sandbox.env import Episode, Timeline
from sandbox.types import Step
from scenarios.checks import RecordCheck
from scenarios.goals import AllOf, children, is_group
from scenarios.patterns import TargetGlob, compile_target
from scenarios.tally import RecordTally, Standing

_KEYS: dict[int, tuple[Any, str]] = {}


def leaf_key(check: Any) -> str:
    """A stable key for a check: equal checks share one timeline (memoised per object)."""
    known = _KEYS.get(id(check))
    if known is not None and known[0] is check:
        return known[1]
    digest = hashlib.sha1(check.model_dump_json().encode("utf-8")).hexdigest()[:12]
    key = f"{check.check}:{digest}"
    _KEYS[id(check)] = (check, key)  # holding the check keeps its id from being reused
    return key


class Watcher:
    """Keeps the timelines of ``checks`` in ``episode.watch`` (see the module docstring)."""

    def __init__(self, checks: Iterable[Any], home: str) -> None:
        self.checks: dict[str, Any] = {}
        for check in checks:
            self.checks.setdefault(leaf_key(check), check)
        self.home = home
        self.by_target: dict[str, list[str]] = {}
        self.by_glob: list[tuple[TargetGlob, str]] = []
        self.answer_keys: list[str] = []
        self.tallies: dict[str, RecordTally] = {
            key: RecordTally(check)
            for key, check in self.checks.items()
            if isinstance(check, RecordCheck) and check.id is None
        }
        for key, check in self.checks.items():
            for target in check.targets(home):
                if any(char in target for char in "*?["):
                    self.by_glob.append((compile_target(target, home), key))
                else:
                    self.by_target.setdefault(target, []).append(key)
            if check.uses_answer:
                self.answer_keys.append(key)

    def observe(self, episode: Episode, step: Step | None) -> None:
        watch = episode.watch
        if step is None:
            for key, check in self.checks.items():
                watch[key] = [(-1, self._value(episode, key, check, None))]
            return
        changes = step.feedback.changes
        due: set[str] = set()
        for change in changes:
            keys = self.by_target.get(change.target)
            if keys:
                due.update(keys)
            for glob, key in self.by_glob:
                if glob.matches(change.target):
                    due.add(key)
        if episode.answer is not None:
            due.update(self.answer_keys)
        if step.call.tool.startswith("browser_"):  # the browser's state is not a world change
            due.update(k for k, c in self.checks.items() if getattr(c, "check", "") == "browser")
        if changes and self.tallies:  # every change keeps a tally current, due or not
            targets = [change.target for change in changes]
            for key in self.tallies:
                self._standing(episode, key, targets)
        for key in due:
            value = self._value(episode, key, self.checks[key], step)
            timeline = watch.setdefault(key, [(-1, False)])
            if timeline[-1][1] != value:
                timeline.append((step.index, value))

    def _value(self, episode: Episode, key: str, check: Any, step: Step | None) -> bool:
        tally = self.tallies.get(key)
        if tally is None:
            return bool(check.evaluate(episode).passed)
        if step is None:
            episode.observer_state.pop(key, None)  # a reset world: count it again
        return tally.passed(self._standing(episode, key, ()))

    def _standing(self, episode: Episode, key: str, targets: Sequence[str]) -> Standing:
        """The episode's tally for ``key``, counted from the world the first time, then kept
        current with the change targets of each step."""
        tally, store = self.tallies[key], episode.world.records
        standing = episode.observer_state.get(key)
        if standing is None:
            standing = episode.observer_state[key] = tally.start(store)
        else:
            tally.update(standing, store, targets)
        return standing


def value_at(timeline: Timeline, step: int) -> bool:
    """The value after ``step`` (``-1``: in the initial world)."""
    position = bisect.bisect_right(timeline, (step, True))
    return timeline[position - 1][1] if position else False


def fallback_timeline(check: Any, episode: Episode, home: str) -> Timeline:
    """Without a watcher: the final verdict, dated by the last step touching its targets."""
    final = check.evaluate(episode).passed
    if check.uses_answer:
        last = len(episode.steps) - 1 if episode.answer is not None else -1
        return [(-1, False), (last, final)] if final and last >= 0 else [(-1, final)]
    targets = set(check.targets(home))
    last = -1
    for step in episode.steps:
        if any(change.target in targets for change in step.feedback.changes):
            last = step.index
    if last < 0:
        return [(-1, final)]
    return [(-1, not final), (last, final)]


def timelines_for(checks: Iterable[Any], episode: Episode, home: str) -> dict[str, Timeline]:
    """Every check's timeline: the watcher's when it ran, the fallback otherwise."""
    result: dict[str, Timeline] = {}
    for check in checks:
        key = leaf_key(check)
        if key in result:
            continue
        recorded = episode.watch.get(key)
        result[key] = recorded if recorded else fallback_timeline(check, episode, home)
    return result


def tree_timeline(node: Any, timelines: dict[str, Timeline]) -> Timeline:
    """The timeline of a check or ``all``/``any`` group from its checks' timelines."""
    if not is_group(node):
        return timelines[leaf_key(node)]
    parts = [tree_timeline(child, timelines) for child in children(node)]
    combine = all if isinstance(node, AllOf) else any
    steps = sorted({step for part in parts for step, _ in part})
    result: Timeline = []
    for step in steps:
        value = combine(value_at(part, step) for part in parts)
        if not result or result[-1][1] != value:
            result.append((step, value))
    return result


def list_timeline(nodes: list[Any], timelines: dict[str, Timeline]) -> Timeline:
    """The timeline of "all of these" (a goal list)."""
    parts = [tree_timeline(node, timelines) for node in nodes]
    steps = sorted({step for part in parts for step, _ in part})
    result: Timeline = []
    for step in steps:
        value = all(value_at(part, step) for part in parts)
        if not result or result[-1][1] != value:
            result.append((step, value))
    return result


def rises(timeline: Timeline) -> list[int]:
    """The steps at which the value became true (``-1``: it was true from the start)."""
    return [step for step, value in timeline if value]


def held_since(timeline: Timeline) -> int | None:
    """The step after which the final value held to the end (None if the final value is
    false)."""
    return timeline[-1][0] if timeline and timeline[-1][1] else None
