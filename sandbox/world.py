"""The simulated world one environment owns: files, network, clock, RNG and ids.

Everything an action can touch lives here, and nothing here is global: hundreds of worlds
coexist in one process. State is kept in *layers* (the filesystem, the service
records) that journal their changes, so a step's diff and a reset cost O(what changed).
"""

from __future__ import annotations

import random
from datetime import datetime
from typing import Any, Protocol

from sandbox.browser import Browser
from sandbox.clock import IdGenerator, SimClock
from sandbox.fs import HOME, AccessRule, WorldFS
from sandbox.injector import FaultInjector
from sandbox.journal import ABSENT, describe_change
from sandbox.network import Network
from sandbox.records import RecordStore
from sandbox.types import Change
from sandbox.user import SimulatedUser


class StateLayer(Protocol):
    """A part of the world's state that snapshots, diffs and resets cheaply."""

    def mark_baseline(self) -> None: ...
    def restore_baseline(self) -> None: ...
    def take_step_changes(self) -> list[Change]: ...
    def snapshot(self) -> dict[str, Any]: ...


class BaselineDiffing(Protocol):
    """Optional for a layer: ``diff(baseline, now)`` without a full snapshot (e.g. from its
    journal). Layers without it are diffed against a snapshot taken at the baseline."""

    def baseline_changes(self) -> list[Change]: ...


WorldSnapshot = dict[str, Any]
"""Every target (``fs:/path``, ``shop:orders/1042``…) with its value at one moment."""


class World:
    def __init__(
        self,
        *,
        seed: int,
        start: datetime,
        home: str = HOME,
        rules: tuple[AccessRule, ...] = (),
        quota_bytes: int | None = None,
    ) -> None:
        self.seed = seed
        self.clock = SimClock(start)
        self.rng = random.Random(seed)
        self.ids = IdGenerator()
        self.fs = WorldFS(clock=self.clock, home=home, rules=rules, quota_bytes=quota_bytes)
        self.network = Network()
        self.records = RecordStore()
        self.browser = Browser(self.network)
        self.faults = FaultInjector(self)
        self.user: SimulatedUser | Any | None = None  # Any: an LLM-backed user
        self.network.interceptor = self.faults.handle
        self.fs.guard = self.faults.check_file
        self.fs.hide = self.faults.is_vanished
        self.layers: list[StateLayer] = [self.fs, self.records, self.browser]
        self._baseline_rng: tuple[Any, ...] = self.rng.getstate()
        self._baseline_ids: dict[str, int] = {}
        self._baseline_snapshots: dict[int, dict[str, Any]] = {}

    @property
    def http(self):  # -> httpx.Client; typed loosely to keep httpx out of this module's API
        return self.network.client

    def mark_baseline(self) -> None:
        """The current state is the initial world: ``reset`` returns here."""
        for layer in self.layers:
            layer.mark_baseline()
        self._baseline_snapshots = {
            index: layer.snapshot()
            for index, layer in enumerate(self.layers)
            if not hasattr(layer, "baseline_changes")
        }
        self._baseline_rng = self.rng.getstate()
        self._baseline_ids = self.ids.state()
        self.clock.reset()
        self.faults.reset()

    def reset(self) -> None:
        """Return to the baseline, undoing only what changed since."""
        for layer in self.layers:
            layer.restore_baseline()
        self.rng.setstate(self._baseline_rng)
        self.ids.restore(self._baseline_ids)
        self.clock.reset()
        self.faults.reset()
        self.network.forget_calls()

    def take_step_changes(self) -> list[Change]:
        """What changed since the last call (the current step's diff)."""
        changes: list[Change] = []
        for layer in self.layers:
            changes.extend(layer.take_step_changes())
        return changes

    def baseline_diff(self) -> list[Change]:
        """What changed since the baseline (the initial world): ``diff(initial, now)``, cheap
        for layers that journal (O(targets touched)), sorted by target."""
        changes: list[Change] = []
        for index, layer in enumerate(self.layers):
            baseline_changes = getattr(layer, "baseline_changes", None)
            if baseline_changes is not None:
                changes.extend(baseline_changes())
            else:
                changes.extend(diff(self._baseline_snapshots.get(index, {}), layer.snapshot()))
        return sorted(changes, key=lambda change: change.target)

    def snapshot(self) -> WorldSnapshot:
        state: WorldSnapshot = {}
        for layer in self.layers:
            state.update(layer.snapshot())
        return state

    def close(self) -> None:
        self.browser.close()
        self.network.close()


def diff(before: WorldSnapshot, after: WorldSnapshot) -> list[Change]:
    """The change entries that turn ``before`` into ``after``, sorted by target."""
    changes = []
    for target in sorted(before.keys() | after.keys()):
        change = describe_change(target, before.get(target, ABSENT), after.get(target, ABSENT))
        if change is not None:
            changes.append(change)
    return changes
