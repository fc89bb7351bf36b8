"""Trajectory ids: version-4 UUIDs, unique, never repeated by a forked child or a seeded
``random``."""

from __future__ import annotations

import multiprocessing
import random
import sys
import uuid

import pytest

from recorder.ids import new_trajectory_id


def test_ids_are_version_4_uuids_in_hex() -> None:
    for _ in range(500):
        text = new_trajectory_id()
        parsed = uuid.UUID(hex=text)
        assert parsed.version == 4 and parsed.variant == uuid.RFC_4122
        assert parsed.hex == text and len(text) == 32


def test_ids_do_not_repeat_and_ignore_the_global_random_seed() -> None:
    random.seed(7)
    first = [new_trajectory_id() for _ in range(100)]
    random.seed(7)
    second = [new_trajectory_id() for _ in range(100)]
    assert len(set(first + second)) == 200


def _child_ids(count: int) -> list[str]:
    return [new_trajectory_id() for _ in range(count)]


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_a_forked_child_does_not_repeat_its_parents_ids() -> None:
    context = multiprocessing.get_context("fork")
    with context.Pool(2) as pool:
        children = pool.map(_child_ids, [50, 50])
    mine = _child_ids(50)
    every = mine + children[0] + children[1]
    assert len(set(every)) == len(every)
