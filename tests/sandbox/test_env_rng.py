"""``ToolEnv.np_random`` is made on first use, yet behaves as Gymnasium's eager seeding does."""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios import env_for
from scenarios.library import load_bundled

ENV = env_for(load_bundled("organise-downloads"))


class EagerEnv(gym.Env[str, str]):
    """Gymnasium's own seeding, for comparison."""

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        super().reset(seed=seed)
        return "", {}


operations = st.lists(
    st.one_of(
        st.tuples(st.just("reset"), st.none() | st.integers(0, 2**32 - 1)),
        st.tuples(st.just("draw"), st.integers(1, 3)),
        st.tuples(st.just("seed"), st.none()),
        st.tuples(st.just("set"), st.integers(0, 100)),
    ),
    max_size=12,
)


def run(env: gym.Env, ops: list[tuple[str, Any]]) -> list[Any]:
    seen: list[Any] = []
    for op, value in ops:
        if op == "reset":
            env.reset(seed=value)
        elif op == "draw":
            seen.append(env.np_random.integers(0, 2**31, size=value).tolist())
        elif op == "seed":
            seen.append(env.np_random_seed)
        else:
            env.np_random = np.random.default_rng(value)
    return seen


@settings(max_examples=60, deadline=None)
@given(operations)
def test_the_lazy_generator_draws_what_gymnasiums_eager_one_draws(ops: list[tuple[str, Any]]):
    ops = [("reset", 11), *ops]  # a known start: both envs seeded alike
    assert run(ENV, ops) == run(EagerEnv(), ops)


def test_a_seeded_reset_leaves_the_generator_unmade_until_asked_for():
    ENV.reset(seed=3)
    assert ENV._np_random is None
    assert ENV.np_random_seed == 3
    assert ENV.np_random.integers(0, 1000) == np.random.Generator(
        np.random.PCG64(np.random.SeedSequence(3))
    ).integers(0, 1000)
