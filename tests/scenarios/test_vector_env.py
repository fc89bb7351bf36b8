"""``vector_env``: a SyncVectorEnv of one scenario, worlds built once and (by default) frozen."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import gymnasium as gym
import numpy as np
import pytest

from scenarios import vector_env


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()  # the rest of the test process keeps its usual collections


def test_every_env_has_its_world_built_and_steps() -> None:
    vector = vector_env("organise-downloads", 3, seed=5)
    try:
        worlds = [env.unwrapped.world for env in vector.envs]
        assert all(world is not None for world in worlds)
        assert [world.seed for world in worlds] == [5, 6, 7]
        call = {"tool": "fs_list_dir", "arguments": {"path": "~/Downloads"}}
        observations, _, _, _, infos = vector.step((call, call, call))
        assert len(observations) == 3
        assert [feedback.status for feedback in infos["feedback"]] == ["success"] * 3
        vector.reset()  # no new seed: the same worlds, restored
        assert [env.unwrapped.world for env in vector.envs] == worlds
    finally:
        vector.close()


def test_freeze_moves_the_worlds_out_of_the_collections_and_can_be_declined() -> None:
    gc.unfreeze()
    vector = vector_env("organise-downloads", 2, freeze=False)
    assert gc.get_freeze_count() == 0
    vector.close()
    vector = vector_env("organise-downloads", 2)
    assert gc.get_freeze_count() > 0
    vector.close()


def test_bad_sizes_and_unknown_scenarios_are_refused() -> None:
    with pytest.raises(ValueError, match="num_envs must be at least 1"):
        vector_env("organise-downloads", 0)
    with pytest.raises(Exception, match="no-such-scenario"):
        vector_env("no-such-scenario", 2)


def _batched(
    add_info: Callable[[dict[str, Any], dict[str, Any], int], dict[str, Any]],
    infos: list[dict[str, Any]],
) -> dict[str, Any]:
    batched: dict[str, Any] = {}
    for index, info in enumerate(infos):
        batched = add_info(batched, info, index)
    return batched


def _same(ours: Any, theirs: Any) -> None:
    assert type(ours) is type(theirs)
    if isinstance(theirs, dict):
        assert list(ours) == list(theirs)  # same keys, same order (each key beside its mask)
        for key in theirs:
            _same(ours[key], theirs[key])
    else:
        assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
        assert [repr(item) for item in ours.tolist()] == [repr(item) for item in theirs.tolist()]


def test_info_batching_is_gymnasiums_own() -> None:
    """The fast path fills the arrays the first env of a batch created; the batched infos
    (keys, order, dtypes, masks, values) are what SyncVectorEnv builds, for every shape of info
    Gymnasium handles: numbers, arrays, objects, nested dicts, final_obs, keys some envs lack."""
    vector = vector_env("organise-downloads", 3, freeze=False)
    try:
        shapes = [
            {"feedback": "a", "step": 1, "score": 0.5, "nested": {"x": 1, "y": "p"}},
            {"step": 2, "feedback": "b", "final_obs": "done", "grid": np.ones(2)},
            {"feedback": "c", "score": 1.0, "nested": {"y": "q"}, "flag": True},
        ]
        ours = _batched(vector._add_info, shapes)
        theirs = _batched(partial(gym.vector.SyncVectorEnv._add_info, vector), shapes)
        _same(ours, theirs)
        assert ours["_score"].tolist() == [True, False, True]
    finally:
        vector.close()


def test_each_batch_of_observations_is_its_own() -> None:
    """Without Gymnasium's deep copy (vector_env passes copy=False), a batch the caller keeps
    is never changed by the next step."""
    vector = vector_env("organise-downloads", 2, freeze=False)
    try:
        first, *_ = vector.step(
            tuple({"tool": "fs_list_dir", "arguments": {"path": "~"}} for _ in range(2))
        )
        kept = list(first)
        second, *_ = vector.step(
            tuple({"tool": "fs_list_dir", "arguments": {"path": "~/Downloads"}} for _ in range(2))
        )
        assert list(first) == kept and first is not second and second != first
    finally:
        vector.close()


def test_steps_batch_what_gymnasiums_own_step_loop_batches() -> None:
    """Over episodes that end and autoreset (and a batch where one env's info has extra keys),
    ToolVectorEnv.step returns what SyncVectorEnv.step returns for the same worlds and calls."""
    ours = vector_env("organise-downloads", 3, seed=1, freeze=False)
    theirs = vector_env("organise-downloads", 3, seed=1, freeze=False)
    theirs.__class__ = gym.vector.SyncVectorEnv  # Gymnasium's step loop and info batching
    listing = {"tool": "fs_list_dir", "arguments": {"path": "~/Downloads"}}
    missing = {"tool": "fs_read_file", "arguments": {"path": "~/nope.txt"}}
    submit = {"tool": "submit", "arguments": {"answer": "done"}}
    batches = [
        (listing, missing, listing),
        (submit, listing, missing),  # env 0 ends: its info has the score and the answer
        (listing, listing, submit),  # env 0 resets (its info is the reset's)
        (missing, submit, listing),
        (listing, listing, listing),
    ]
    try:
        for batch in batches:
            mine, gyms = ours.step(batch), theirs.step(batch)
            assert mine[0] == gyms[0]
            for got, expected in zip(mine[1:4], gyms[1:4], strict=True):
                assert got.dtype == expected.dtype and got.tolist() == expected.tolist()
            _same(mine[4], gyms[4])
        assert ours.step(batches[0])[2].tolist() == [False] * 3
    finally:
        ours.close()
        theirs.close()


def test_a_batch_of_the_wrong_size_is_refused() -> None:
    vector = vector_env("organise-downloads", 2, freeze=False)
    try:
        with pytest.raises(ValueError, match="zip"):
            vector.step(({"tool": "fs_list_dir", "arguments": {"path": "~"}},))
    finally:
        vector.close()
