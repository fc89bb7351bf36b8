"""Reference solutions' reasoning sits on the step it reasons about.

A thought is the actor's reasoning *before* its own call. One that speaks of a failure ("503 —
wait, then retry") must therefore come after the failure it reacts to, never on the call that
produces it: exported datasets would otherwise teach a model to predict errors before seeing
them. The heuristic: a failure-speaking thought is in place when

- the previous step failed, was partial, or succeeded with an injected fault (stale data, lag):
  it reacts to what it just saw;
- its own call repeats an earlier failed call, or one that was partial with an error (a write
  cut short by the quota), with the same tool and arguments: it says why it retries;
- the previous step succeeded but carried an in-place failure-speaking thought: the same line of
  reasoning goes on (the check after a timeout, then "it went through; do not send it again").
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest

from sandbox.types import ToolCall
from scenarios import env_for
from scenarios.schema import Scenario

FAILURE_WORDS = re.compile(
    r"\b(?:fail(?:s|ed|ing|ure)?|errors?|again|once more|retr(?:y|ies|ied|ying)|timed? ?out|"
    r"(?<![\d,.$:-])[45]\d\d(?![.,]\d)|denied|locked|garbled|not valid|expired|stale|outage|"
    r"rate[- ]limit(?:ed)?|"
    r"(?-i:E[A-Z]{3,})|disk full|no space|gone)\b",
    re.IGNORECASE,
)
"""Words that speak of a failure (case-insensitive; ``E[A-Z]{3,}`` is an errno such as EBUSY)."""

ALLOWED: dict[tuple[str, str, int], str] = {
    (
        "reply-with-refund-policy",
        "raw-http-with-etag",
        4,
    ): "explains why to update before commenting (a comment would make the ETag stale)",
    (
        "fix-broken-config",
        "read-and-edit",
        3,
    ): "a config warning that 'only becomes an error in 3.0' is read from the file, not a failure",
}
"""Thoughts that use a failure word without reacting to a failure, each with the reason."""

AFTER_FAILURE = ("failure", "partial", "partial_error", "faulted")
"""Statuses a thought may react to with failure words."""


@dataclass(frozen=True)
class Misplaced:
    step: int
    thought: str
    why: str


def _key(call: ToolCall) -> str:
    return call.tool + json.dumps(call.arguments, sort_keys=True, default=str)


def misplaced_thoughts(
    calls: list[ToolCall], statuses: list[str], allowed: frozenset[int] | set[int] = frozenset()
) -> list[Misplaced]:
    """Failure-speaking thoughts that do not follow a failure (see the module docstring)."""
    found: list[Misplaced] = []
    failed_keys: set[str] = set()
    previous_in_place = False
    for index, (call, status) in enumerate(zip(calls, statuses, strict=False)):
        thought = call.thought or ""
        speaks = FAILURE_WORDS.search(thought) is not None
        in_place = False
        if speaks and index not in allowed:
            after_failure = index > 0 and statuses[index - 1] in AFTER_FAILURE
            retry = _key(call) in failed_keys
            chained = index > 0 and previous_in_place and statuses[index - 1] == "success"
            in_place = after_failure or retry or chained
            if not in_place:
                previous = statuses[index - 1] if index else "nothing"
                own = f"; its own call ended {status}" if status != "success" else ""
                found.append(Misplaced(index, thought, f"follows a {previous} step{own}"))
        previous_in_place = in_place
        if status in ("failure", "partial_error"):
            failed_keys.add(_key(call))
    return found


def _statuses(scenario: Scenario, calls: list[ToolCall]) -> list[str]:
    """Each step's feedback status; a success an injected fault touched is ``faulted``, a
    partial step with an error (some of it done, the rest failed) is ``partial_error``."""
    env = env_for(scenario)
    env.reset()
    statuses: list[str] = []
    try:
        for call in calls:
            _, _, terminated, truncated, info = env.step(call)
            feedback = info["feedback"]
            faulted = feedback.status == "success" and feedback.fault
            erred = feedback.status == "partial" and feedback.error is not None
            statuses.append("faulted" if faulted else "partial_error" if erred else feedback.status)
            if terminated or truncated:
                break
    finally:
        env.close()
    return statuses


def test_failure_thoughts_follow_the_failure_they_react_to(bundled: Scenario) -> None:
    problems: list[str] = []
    for name, calls in bundled.solutions.items():
        allowed = {step for (sid, sol, step) in ALLOWED if sid == bundled.id and sol == name}
        for item in misplaced_thoughts(calls, _statuses(bundled, calls), allowed):
            problems.append(f"{bundled.id}:{name} step {item.step} ({item.why}): {item.thought}")
    assert not problems, "\n".join(problems)


def test_allow_list_names_real_thoughts() -> None:
    from scenarios import load_bundled

    for (sid, sol, step), reason in ALLOWED.items():
        call = load_bundled(sid).solutions[sol][step]
        assert reason and call.thought and FAILURE_WORDS.search(call.thought), (sid, sol, step)


def _call(tool: str, thought: str | None = None, **arguments: object) -> ToolCall:
    return ToolCall(tool=tool, arguments=dict(arguments), thought=thought)


def test_a_thought_on_the_call_that_fails_is_misplaced() -> None:
    calls = [
        _call("fs_read_file", path="a"),
        _call("shop_get_order", "The body is not valid JSON — read it again.", order_id="o1"),
        _call("shop_get_order", order_id="o1"),
    ]
    found = misplaced_thoughts(calls, ["success", "failure", "success"])
    assert [item.step for item in found] == [1]
    assert "its own call ended failure" in found[0].why


def test_thoughts_after_a_failure_a_retry_or_a_chain_are_in_place() -> None:
    calls = [
        _call("shop_refund_order", order_id="o1"),
        _call("wait", "503 with Retry-After 20 — wait, then retry.", seconds=20),
        _call("shop_refund_order", "Retry the refund now.", order_id="o1"),
        _call("shop_refund_order", order_id="o2"),
        _call("shop_get_order", "It timed out — check before resending.", order_id="o2"),
        _call("submit", "It went through; do not send it again.", answer="done"),
    ]
    statuses = ["failure", "success", "success", "failure", "success", "success"]
    assert misplaced_thoughts(calls, statuses) == []


def test_a_chain_does_not_excuse_a_thought_after_plain_successes() -> None:
    calls = [
        _call("shop_get_order", order_id="o1"),
        _call("shop_get_order", "Read it again.", order_id="o1"),
        _call("fs_read_file", path="a"),
        _call("shop_get_order", "A 404 — read it again.", order_id="o2"),
    ]
    statuses = ["failure", "success", "success", "success"]
    assert [item.step for item in misplaced_thoughts(calls, statuses)] == [3]


def test_repeating_a_call_cut_short_is_a_retry_but_repeating_a_page_is_not() -> None:
    calls = [
        _call("fs_write_file", path="big", content="x"),
        _call("fs_delete", path="old"),
        _call("fs_write_file", "Room now; write it again.", path="big", content="x"),
    ]
    cut = misplaced_thoughts(calls, ["partial_error", "success", "success"])
    page = misplaced_thoughts(calls, ["partial", "success", "success"])
    assert cut == [] and [item.step for item in page] == [2]


@pytest.mark.parametrize("word", ["failed", "error", "again", "retry", "timed out", "503"])
def test_failure_words(word: str) -> None:
    assert FAILURE_WORDS.search(f"It {word} here")
