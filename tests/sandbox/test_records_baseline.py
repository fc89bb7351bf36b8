"""``RecordStore.at_baseline``: what a reader derives from the initial store, made once."""

from __future__ import annotations

from sandbox.records import RecordStore


def _store() -> tuple[RecordStore, list[int]]:
    store = RecordStore()
    store.put("shop", "orders", "ord_1", {"status": "paid"})
    store.mark_baseline()
    return store, []


def _paid(store: RecordStore, calls: list[int]) -> int:
    def count() -> int:
        calls.append(1)
        return sum(r["status"] == "paid" for r in store.view("shop", "orders"))

    return store.at_baseline("paid", count)


def test_made_once_at_the_baseline_and_again_after_each_reset() -> None:
    store, calls = _store()
    assert _paid(store, calls) == 1 and _paid(store, calls) == 1
    assert len(calls) == 1
    store.put("shop", "orders", "ord_2", {"status": "paid"})
    assert _paid(store, calls) == 2  # a write since the baseline: computed afresh, not kept
    assert _paid(store, calls) == 2 and len(calls) == 3
    store.restore_baseline()
    assert _paid(store, calls) == 1 and len(calls) == 3  # back at the baseline: the kept one


def test_a_new_baseline_forgets_what_was_kept() -> None:
    store, calls = _store()
    assert _paid(store, calls) == 1
    store.put("shop", "orders", "ord_1", {"status": "refunded"})
    store.mark_baseline()
    assert _paid(store, calls) == 0 and len(calls) == 2


def test_before_any_baseline_nothing_is_kept() -> None:
    store = RecordStore()
    store.put("shop", "orders", "ord_1", {"status": "paid"})  # building the world
    calls: list[int] = []
    _paid(store, calls)
    _paid(store, calls)
    assert len(calls) == 2
