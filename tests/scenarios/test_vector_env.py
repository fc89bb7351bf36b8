"""``vector_env``: a SyncVectorEnv of one scenario, worlds built once and (by default) frozen."""

from __future__ import annotations

import gc
from collections.abc import Iterator

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
