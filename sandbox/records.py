"""The world's service records: every mock service keeps its state here, as JSON-like dicts.

One store per world holds ``service → collection → id → record``. Like the filesystem it is a
journalled state layer: a step's diff and a reset cost O(records touched), and diff targets read
``shop:orders/1042``. Records are copied in and out, so a caller can never mutate the world
behind the journal's back. Collections whose name starts with ``_`` are bookkeeping (access
tokens, idempotency keys, browser sessions): reset restores them, but they are left out of
diffs, so logging in again is not a change the task made to the world.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Hashable, Iterator
from typing import Any, TypeVar

from sandbox.journal import ABSENT, Journal, describe_change
from sandbox.types import Change

Record = dict[str, Any]
Key = tuple[str, str, str]
"""(service, collection, record id)."""
T = TypeVar("T")

_DIGITS = re.compile(r"(\d+)")


@functools.lru_cache(maxsize=1 << 16)  # ids repeat across every list and check of a collection
def natural_key(record_id: str) -> tuple[Any, ...]:
    """Sort ``ord_2`` before ``ord_10``: digit runs compare as numbers."""
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(record_id))


def clone(value: Any) -> Any:
    """A deep copy of JSON-like data (dicts, lists, scalars): several times faster than
    ``copy.deepcopy``, which records are copied with on every read and write."""
    if isinstance(value, dict):
        return {key: clone(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clone(item) for item in value]
    return value


def target_of(key: Key) -> str:
    service, collection, record_id = key
    return f"{service}:{collection}/{record_id}"


class RecordStore:
    """Collections of records per service, journalled for diffs and reset."""

    def __init__(self) -> None:
        self._data: dict[tuple[str, str], dict[str, Record]] = {}
        self._journal = Journal()
        self._at_baseline: dict[Hashable, Any] = {}

    # ---- reads -----------------------------------------------------------------------------

    def get(self, service: str, collection: str, record_id: str) -> Record | None:
        record = self._data.get((service, collection), {}).get(record_id)
        return None if record is None else clone(record)

    def list(
        self, service: str, collection: str, where: Callable[[Record], bool] | None = None
    ) -> list[Record]:
        """Copies of a collection's records, in natural id order (stable across resets); with
        ``where``, only those it accepts — it sees the records themselves and must not change
        them, and filtering before copying spares copying what is thrown away."""
        return [clone(r) for r in self.view(service, collection, where)]

    def view(
        self, service: str, collection: str, where: Callable[[Record], bool] | None = None
    ) -> list[Record]:
        """The records themselves, in id order (``where``: only those it accepts), for
        read-only use (checks, scoring, a list endpoint whose page ``paginate`` copies): no
        copy, so the caller must not change them."""
        records = self._data.get((service, collection), {})
        chosen = (records[i] for i in sorted(records, key=natural_key))
        return [r for r in chosen if where is None or where(r)]

    def peek_record(self, service: str, collection: str, record_id: str) -> Record | None:
        """One record itself, for read-only use (no copy)."""
        return self._data.get((service, collection), {}).get(record_id)

    def at_baseline(self, key: Hashable, compute: Callable[[], T]) -> T:
        """``compute()``, made once while the store is at its baseline and handed out again
        each time it is back there (after every reset): for what a reader derives from the
        whole initial store. Elsewhere (a write since the baseline) it is computed afresh. The
        value is shared: the caller must not change it."""
        if self._journal.since_baseline:
            return compute()
        if key not in self._at_baseline:
            self._at_baseline[key] = compute()
        return self._at_baseline[key]

    def ids(self, service: str, collection: str) -> list[str]:
        return sorted(self._data.get((service, collection), {}), key=natural_key)

    def count(self, service: str, collection: str) -> int:
        return len(self._data.get((service, collection), {}))

    def collections(self, service: str) -> list[str]:
        return sorted(name for owner, name in self._data if owner == service)

    # ---- writes ----------------------------------------------------------------------------

    def put(self, service: str, collection: str, record_id: str, record: Record) -> None:
        key = (service, collection, record_id)
        self._journal.touch(key, self._read)
        self._data.setdefault((service, collection), {})[record_id] = clone(record)

    def delete(self, service: str, collection: str, record_id: str) -> bool:
        records = self._data.get((service, collection), {})
        if record_id not in records:
            return False
        self._journal.touch((service, collection, record_id), self._read)
        del records[record_id]
        return True

    def _read(self, key: Hashable) -> Any:
        service, collection, record_id = key  # type: ignore[misc]
        record = self._data.get((service, collection), {}).get(record_id)
        return ABSENT if record is None else clone(record)

    # ---- the StateLayer protocol -----------------------------------------------------------

    def mark_baseline(self) -> None:
        self._journal.take_baseline()
        self._at_baseline.clear()

    def restore_baseline(self) -> None:
        for key, value in self._journal.take_baseline().items():
            service, collection, record_id = key  # type: ignore[misc]
            records = self._data.setdefault((service, collection), {})
            if value is ABSENT:
                records.pop(record_id, None)
            else:
                records[record_id] = value

    def take_step_changes(self) -> list[Change]:
        return self._changes(self._journal.take_step())

    def baseline_changes(self) -> list[Change]:
        return self._changes(self._journal.since_baseline)

    def _changes(self, touched: dict[Hashable, Any]) -> list[Change]:
        changes = []
        for key in sorted(touched, key=lambda k: (k[0], k[1], natural_key(k[2]))):  # type: ignore[index]
            if key[1].startswith("_"):  # type: ignore[index]
                continue
            change = describe_change(target_of(key), touched[key], self._read(key))  # type: ignore[arg-type]
            if change is not None:
                changes.append(change)
        return changes

    def snapshot(self) -> dict[str, Any]:
        return {
            target_of((service, collection, record_id)): clone(record)
            for (service, collection), records in self._data.items()
            for record_id, record in records.items()
        }

    def peek(self, target: str) -> Record | None:
        """The record a ``service:collection/id`` target names, or None."""
        service, _, rest = target.partition(":")
        collection, _, record_id = rest.partition("/")
        return self.get(service, collection, record_id)

    def __iter__(self) -> Iterator[tuple[Key, Record]]:
        for (service, collection), records in self._data.items():
            for record_id, record in records.items():
                yield (service, collection, record_id), clone(record)
