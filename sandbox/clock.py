"""Simulated time: frozen at the scenario's start, advanced only by actions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class SimClock:
    """A clock that moves only when told to, so every run sees the same times."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        self.start = start
        self._elapsed = 0.0

    @property
    def elapsed(self) -> float:
        """Simulated seconds since the start."""
        return self._elapsed

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self._elapsed)

    def timestamp(self) -> float:
        return self.start.timestamp() + self._elapsed

    def isoformat(self) -> str:
        return self.now().isoformat().replace("+00:00", "Z")

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"the clock cannot go back ({seconds} s)")
        self._elapsed += seconds

    def reset(self) -> None:
        self._elapsed = 0.0


class IdGenerator:
    """Deterministic ids: ``next("ord")`` gives ``ord_0001``, ``ord_0002``… per prefix."""

    def __init__(self) -> None:
        self._counters: dict[str, int] = {}

    def next(self, prefix: str) -> str:
        value = self._counters.get(prefix, 0) + 1
        self._counters[prefix] = value
        return f"{prefix}_{value:04d}"

    def reserve(self, record_id: str) -> None:
        """Make sure ``next`` never hands out ``record_id`` (``ord_1042`` → next is 1043+)."""
        prefix, _, number = record_id.rpartition("_")
        if prefix and number.isdigit():
            self._counters[prefix] = max(self._counters.get(prefix, 0), int(number))

    def state(self) -> dict[str, int]:
        return dict(self._counters)

    def restore(self, state: dict[str, int]) -> None:
        self._counters = dict(state)
