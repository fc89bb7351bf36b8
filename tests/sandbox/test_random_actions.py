"""Bad input is data: random actions never raise out of step and always get valid feedback."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios import bundled_ids, env_for, load_bundled

SCENARIO = load_bundled(bundled_ids()[0])
ENV = env_for(SCENARIO)
TOOL_NAMES = list(ENV.toolset)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
arguments = st.dictionaries(
    st.sampled_from(["path", "content", "source", "destination", "pattern", "old", "new", "answer"])
    | st.text(max_size=10),
    json_values,
    max_size=4,
)
calls = st.fixed_dictionaries(
    {"tool": st.sampled_from(TOOL_NAMES) | st.text(max_size=20), "arguments": arguments}
)
actions: st.SearchStrategy[Any] = calls | st.text(max_size=200) | json_values


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(actions, min_size=1, max_size=8))
def test_random_actions_never_raise(batch: list[Any]) -> None:
    ENV.reset()
    for action in batch:
        observation, reward, terminated, truncated, info = ENV.step(action)
        assert 0.0 <= reward <= 1.0
        assert isinstance(observation, str)
        assert info["feedback"].status in ("success", "partial", "failure")
        if info["feedback"].status == "failure":
            assert info["feedback"].error is not None
            assert info["feedback"].error.type != "internal_error", observation
        if terminated or truncated:
            break
