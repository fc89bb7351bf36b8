"""The typed tools' SDK-like client: what a failed call tells the actor."""

from __future__ import annotations

from sandbox.types import ToolCall
from scenarios import env_for, load_bundled


def test_a_503_names_its_retry_after() -> None:
    env = env_for(load_bundled("refund-incident-duplicates"))
    env.reset()
    arguments = {"charge_id": "ch_3102", "reason": "duplicate", "idempotency_key": "k-1"}
    observation, *_, info = env.step(ToolCall(tool="payments_refund_charge", arguments=arguments))
    feedback = info["feedback"]
    assert feedback.status == "failure" and feedback.error.type == "http_5xx"
    assert "HTTP 503" in observation and "(Retry-After: 10 s)" in observation
    observation, *_ = env.step(ToolCall(tool="payments_refund_charge", arguments=arguments))
    assert "(Retry-After: 9 s)" in observation  # the outage lasts 10 s from the first call
    env.step(ToolCall(tool="wait", arguments={"seconds": 9}))
    _, *_, info = env.step(ToolCall(tool="payments_refund_charge", arguments=arguments))
    assert info["feedback"].status == "success"
