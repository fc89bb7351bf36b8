"""Record checks over a whole collection, kept up to date per record while an episode runs.

A ``record`` check without an ``id`` reads every record of its collection, so evaluating it
again after each step that touched the collection costs O(collection) a step. A
``RecordTally`` keeps each record's standing (``RecordCheck.record_state``) and how many records
stand where; a step then costs O(records it changed), a reset a copy of the initial world's
count, and the verdict (``RecordCheck.passed_from`` of the counts) is the one ``evaluate``
would give.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sandbox.records import RecordStore
from scenarios.checks import RecordCheck


@dataclass
class Standing:
    """One episode's tally for one check: each record's state and the count per state."""

    states: dict[str, int] = field(default_factory=dict)
    counts: list[int] = field(default_factory=lambda: [0, 0, 0])

    def copy(self) -> Standing:
        return Standing(dict(self.states), list(self.counts))


class RecordTally:
    """The running verdict of one collection-wide ``RecordCheck``."""

    def __init__(self, check: RecordCheck) -> None:
        self.check = check
        self.prefix = f"{check.service}:{check.collection}/"

    def start(self, store: RecordStore) -> Standing:
        """The standing of every record now in the collection (the initial world's is counted
        once per world: every reset brings the same records back)."""
        return store.at_baseline(self, lambda: self._count(store)).copy()

    def _count(self, store: RecordStore) -> Standing:
        standing = Standing()
        for record_id in store.ids(self.check.service, self.check.collection):
            self._set(standing, store, record_id)
        return standing

    def update(self, standing: Standing, store: RecordStore, targets: Iterable[str]) -> None:
        """Look again at the records these change targets name (others are ignored)."""
        for target in targets:
            if target.startswith(self.prefix):
                self._set(standing, store, target[len(self.prefix) :])

    def passed(self, standing: Standing) -> bool:
        _, matching, failing = standing.counts
        return self.check.passed_from(matching, failing)

    def _set(self, standing: Standing, store: RecordStore, record_id: str) -> None:
        before = standing.states.pop(record_id, None)
        if before is not None:
            standing.counts[before] -= 1
        record = store.peek_record(self.check.service, self.check.collection, record_id)
        if record is not None:
            state = self.check.record_state(record)
            standing.states[record_id] = state
            standing.counts[state] += 1
