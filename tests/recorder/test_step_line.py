"""``step_line``: orjson dumps plain steps, pydantic the rest, and both write the same bytes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recorder.records import StepRecord, step_line
from sandbox.types import ErrorInfo, Feedback, Step, ToolCall
from scenarios import env_for, load_bundled
from scenarios.library import bundled_ids


def _pydantic_line(step: Step, wall_ms: float, active_ms: float | None) -> bytes:
    record = StepRecord(**{**step.__dict__, "wall_ms": wall_ms, "active_ms": active_ms})
    return record.__pydantic_serializer__.to_json(record)


def _step(arguments: dict[str, Any], observation: str = "ok", **feedback: Any) -> Step:
    return Step(
        index=3,
        call=ToolCall(tool="http_request", arguments=arguments, thought="look"),
        observation=observation,
        feedback=Feedback(status="failure", **feedback),
        sim_time="2026-01-05T09:00:00Z",
    )


def test_every_bundled_step_dumps_as_pydantic_dumps_it() -> None:
    steps = 0
    for scenario_id in bundled_ids():
        scenario = load_bundled(scenario_id)
        for calls in scenario.solutions.values():
            env = env_for(scenario, score_at_end=False)
            env.reset()
            for call in calls:
                step = env.step(call)[4]["step"]
                for wall_ms, active_ms in ((1.25, None), (0.000123, 30.5)):
                    line = step_line(step, wall_ms, active_ms)
                    assert line == _pydantic_line(step, wall_ms, active_ms)
                steps += 1
            env.close()
    assert steps > 500  # the whole library, faults and failures included


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(
    arguments=st.dictionaries(st.text(), json_values, max_size=5),
    observation=st.text(),
    wall_ms=st.floats(min_value=0, max_value=1e9),
)
def test_json_values_dump_to_the_same_bytes(
    arguments: dict[str, Any], observation: str, wall_ms: float
) -> None:
    step = _step(arguments, observation, error=ErrorInfo(type="x", message=observation))
    assert step_line(step, wall_ms, None) == _pydantic_line(step, wall_ms, None)


@pytest.mark.parametrize(
    "value",
    [
        dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC),  # orjson would write +00:00, pydantic Z
        dt.date(2026, 1, 5),
        Decimal("1.50"),
        b"raw bytes",
        {3, 1},
        {1: "a non-str key"},
        2**70,  # past 64 bits
        float("nan"),
        float("inf"),
        (1, "tuple"),
    ],
)
def test_values_only_pydantic_knows_fall_back_to_it(value: Any) -> None:
    step = _step({"value": value, "nested": [{"value": value}]})
    assert step_line(step, 2.5, 1.0) == _pydantic_line(step, 2.5, 1.0)


def test_a_recorded_step_is_dumped_with_its_new_timings() -> None:
    loaded = StepRecord(**{**_step({"a": 1}).__dict__, "wall_ms": 9.0, "active_ms": 4.0})
    assert StepRecord.model_validate_json(step_line(loaded, 1.0, None)).wall_ms == 1.0
    assert step_line(loaded, 1.0, None) == _pydantic_line(loaded, 1.0, None)
