"""Timing helpers: warm-up, then the median of many samples (machines here are noisy)."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    """One benchmark line: a figure, its target and whether it is met."""

    name: str
    value: float
    unit: str
    target: str
    ok: bool | None
    detail: str = ""
    extra: dict[str, float] = field(default_factory=dict)


def settle() -> None:
    """Collect garbage before a timed section, so the set-up's collection debt (a full pass
    over every object it built) is not billed to the code being timed."""
    gc.collect()


def median_s(fn: Callable[[], object], repeat: int, warmup: int | None = None) -> float:
    """Median seconds of ``fn()`` over ``repeat`` runs after a warm-up."""
    for _ in range(warmup if warmup is not None else max(1, repeat // 10)):
        fn()
    settle()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def median_of_batches(fn: Callable[[], object], batch: int, batches: int) -> float:
    """Median seconds per call, timing ``batch`` calls at a time (for very fast calls)."""

    def run() -> None:
        for _ in range(batch):
            fn()

    return median_s(run, batches) / batch


def paired_ratio(numerators: list[float], denominators: list[float]) -> float:
    """The median of per-round ratios of two timings taken in the same rounds: a slow spell of
    the machine that spans a round slows both sides of that round's ratio alike, where a ratio
    of two medians can pair one side's fast round with the other's slow one."""
    return statistics.median(n / d for n, d in zip(numerators, denominators, strict=True))
