"""Error handling: for each failure, did the actor notice, recover, and how?

A step *met an error* when it failed, or when it was partial with an error: part of it took
effect and part did not (a write cut short by the quota, a 207 batch where some items failed),
which the actor must handle as much as a failure. A partial step without an error (page 1 of 3)
is not an error. An *incident* is a step that met an error together with every later attempt
of the identical call (same tool, same arguments) until one gets through without an error.
An attempt is a *blind retry* when nothing in the world changed since the previous attempt and
the error is not retryable — or, for a retryable error with a known ``retry_after``, when less
simulated time than that passed.

How it was handled (``how``), decided in this order:

- ``reauthenticated`` / ``asked_user``: an identical attempt succeeded after a call to an auth
  tool (login, token…) or an ask-the-user tool;
- ``retried_after_fix``: an identical attempt succeeded after the world was changed (e.g. the
  missing folder was created first);
- ``retried_after_wait`` / ``retried``: an identical attempt of a retryable error succeeded,
  after the ``retry_after`` delay when the fault gave one;
- ``claimed_success``: the episode ended with an answer that claims success while the world part
  of the goal was not met;
- ``retried_blindly``: never got past it and retried identically with nothing changed;
- ``gave_up``: the next thing the actor did was end the episode (or it ran out of steps) with
  the goal not met;
- ``asked_user`` / ``reauthenticated``: the next call was to an ask-the-user or auth tool;
- ``changed_approach``: the actor did something else and got past it — a later successful call
  to the same tool sharing an argument value, or the goal was met;
- ``ignored``: none of the above.

``noticed`` is true unless the failure was ignored, blindly retried or covered by a false claim;
``recovered`` is true when the actor got past it (``resolved_at``) or the goal was met anyway.

A fault that lets the call succeed is judged too. A *stale read* (a ``stale_data`` fault: an
old copy of a record, right on a re-read) is an incident of its own: ``reread`` (noticed and
recovered) when the actor read the same resource again — an identical call, or a read naming
the same record id — before acting on that record or answering; ``acted_on_stale`` when it
changed that record or answered first; ``ignored`` when neither followed. A ``slow`` answer is
the real one, late: nothing to recover, so no incident.

Injected faults plug in through the feedback: ``fault`` (the fault id), ``expected_recovery``
and ``retry_after``. For an injected fault, getting past it another way than the expected
recovery scores 0.75 — except that when the expected recovery is asking the user, finding the
same fact elsewhere in the world (a changed approach) counts as fully as asking; the actor's own
mistakes may be fixed any way that works.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from sandbox.types import Feedback, Step
from scenarios.calls import call_key
from scenarios.report import ErrorHandlingReport, ErrorIncident, Recovery
from scenarios.weights import Weights

RETRYABLE_TYPES = frozenset(
    {
        "timeout",
        "timed_out",
        "rate_limited",
        "rate_limit",
        "too_many_requests",
        "429",
        "502",
        "503",
        "504",
        "unavailable",
        "service_unavailable",
        "connection_error",
        "etimedout",
        "eagain",
        "ebusy",
    }
)
RETRY_RECOVERIES = frozenset(
    {"retry", "retry_after", "wait", "backoff", "retried", "retry_now", "retry_after_wait"}
)
_ADMITS = re.compile(
    # the actor's own account of not finishing — not words that describe the problem it fixed
    # ("the config failed validation with two errors" is a report of success)
    r"\b(?:could ?n[o']?t|can ?not|can't|unable to|not able to|was ?n[o']?t able|"
    r"were ?n[o']?t able|did ?n[o']?t (?:manage|finish|complete|get|succeed)|"
    r"gave up|give up|giving up|incomplete|only partly|only partially|partially done|sorry|"
    r"not (?:been )?(?:done|completed|finished|possible)|nothing was (?:changed|filed|sent|done)|"
    r"I (?:stopped|only)|stopping|(?:keeps|kept|still) failing)\b",
    re.IGNORECASE,
)
_ASK = re.compile(r"ask|user|human|clarif", re.IGNORECASE)
_AUTH = re.compile(r"auth|login|log_in|token|sign_?in", re.IGNORECASE)
_AUTH_URL = re.compile(
    r"/auth/token|/oauth|/login\b|/token\b|^(?:form|button)-log-?in\b|^form-sign-?in\b",
    re.IGNORECASE,
)


def _is_auth(step: Step) -> bool:
    """A call to an auth tool, or a request to a token or login endpoint."""
    if _AUTH.search(step.call.tool):
        return True
    return any(
        isinstance(value, str) and _AUTH_URL.search(value) for value in step.call.arguments.values()
    )


SUBMIT = "submit"

SCORES: dict[Recovery, float] = {
    "retried": 1.0,
    "retried_after_fix": 1.0,
    "retried_after_wait": 1.0,
    "reauthenticated": 1.0,
    "asked_user": 1.0,
    "changed_approach": 1.0,
    "ignored": 0.25,
    "gave_up": 0.4,
    "retried_blindly": 0.2,
    "claimed_success": 0.0,
    "reread": 1.0,
    "acted_on_stale": 0.25,
}
"""Base score of each way of handling a failure (blind retries are taken off on top)."""


def met_error(feedback: Feedback) -> bool:
    """Whether a step met an error the actor must handle: a failure, or a partial step that
    carries an error (see the module docstring)."""
    return feedback.status == "failure" or (
        feedback.status == "partial" and feedback.error is not None
    )


def admits_failure(answer: str) -> bool:
    """Whether an answer says the task was not (fully) done."""
    return _ADMITS.search(answer) is not None


def expected_recovery(feedback: Feedback) -> str | None:
    value = getattr(feedback, "expected_recovery", None)
    return str(value) if value else None


def retry_after(feedback: Feedback) -> float | None:
    value = getattr(feedback, "retry_after", None)
    return float(value) if isinstance(value, int | float) else None


def retryable(feedback: Feedback) -> bool:
    """Whether retrying the identical call may succeed (a transient error or fault)."""
    expected = expected_recovery(feedback)
    if expected is not None:
        return expected.lower() in RETRY_RECOVERIES
    return feedback.error is not None and feedback.error.type.lower() in RETRYABLE_TYPES


def _seconds(step: Step) -> float:
    try:
        return datetime.fromisoformat(step.sim_time.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return 0.0


def _shares_argument(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return any(name in b and b[name] == value for name, value in a.items())


def _incident(
    steps: list[Step],
    keys: list[str],
    first: int,
    goal_passed: bool,
    false_claim: bool,
    weights: Weights,
    consumed: set[int],
) -> ErrorIncident:
    failed = steps[first]
    key = keys[first]
    feedback = failed.feedback
    can_retry = retryable(feedback)
    wait = retry_after(feedback)
    blind: list[int] = []
    resolved_at: int | None = None
    resolved_after_change = False
    last_attempt = first
    changed = False
    for step in steps[first + 1 :]:
        if keys[step.index] == key:
            consumed.add(step.index)
            if not met_error(step.feedback):
                resolved_at, resolved_after_change = step.index, changed
                break
            too_soon = wait is not None and _seconds(step) - _seconds(steps[last_attempt]) < wait
            if (not changed and not can_retry) or too_soon:
                blind.append(step.index)
            last_attempt, changed = step.index, False
            continue
        if step.feedback.changes:
            changed = True
    following = steps[last_attempt + 1] if last_attempt + 1 < len(steps) else None
    how: Recovery
    between = steps[last_attempt + 1 : resolved_at] if resolved_at is not None else []
    if resolved_at is not None:
        if any(_is_auth(step) for step in between):
            how = "reauthenticated"
        elif any(_ASK.search(step.call.tool) for step in between):
            how = "asked_user"
        elif resolved_after_change:
            how = "retried_after_fix"
        elif wait is not None:
            how = "retried_after_wait"
        else:
            how = "retried"
    elif false_claim:
        how = "claimed_success"
    elif blind and not goal_passed:
        how = "retried_blindly"
    elif not goal_passed and (following is None or following.call.tool == SUBMIT):
        how = "gave_up"
    elif following is not None and _ASK.search(following.call.tool):
        how = "asked_user"
    elif following is not None and _is_auth(following):
        how = "reauthenticated"
    else:
        later = next(
            (
                step.index
                for step in steps[last_attempt + 1 :]
                if step.call.tool == failed.call.tool
                and step.feedback.status == "success"
                and _shares_argument(failed.call.arguments, step.call.arguments)
            ),
            None,
        )
        if later is not None or goal_passed:
            how, resolved_at = "changed_approach", later
            if expected_recovery(feedback) == "reauthenticate" and any(
                _is_auth(step) for step in steps[last_attempt + 1 :]
            ):
                how = "reauthenticated"  # logged in another way (e.g. the admin site)
        else:
            how = "ignored"
    recovered = resolved_at is not None or (
        goal_passed and how not in ("gave_up", "claimed_success")
    )
    score = SCORES[how]
    expected = expected_recovery(feedback)
    if feedback.fault and expected and recovered and how not in _accepted(expected):
        score = min(score, 0.75)  # got past it, but not the way the fault called for
    score = max(0.0, score - weights.blind_retry_each * len(blind))
    return ErrorIncident(
        step=first,
        tool=failed.call.tool,
        error_type=feedback.error.type if feedback.error else None,
        fault=feedback.fault,
        expected_recovery=expected,
        retryable=can_retry,
        noticed=how not in ("ignored", "claimed_success", "retried_blindly"),
        recovered=recovered,
        how=how,
        blind_retries=blind,
        resolved_at=resolved_at,
        score=round(score, 6),
    )


def _accepted(expected: str) -> set[str]:
    expected = expected.lower()
    if expected in RETRY_RECOVERIES:
        return {"retried", "retried_after_wait"}
    if "auth" in expected:
        return {"reauthenticated"}
    if "ask" in expected or "user" in expected:
        # what the user would say may be found in the world too (the customer's own mail):
        # the goal checks judge whether it was the right answer
        return {"asked_user", "changed_approach"}
    if "give" in expected or "stop" in expected:
        return {"gave_up"}
    return {expected, "changed_approach", "retried_after_fix", "asked_user"}


_RECORD_ID = re.compile(r"\b[A-Za-z]+_[A-Za-z0-9]+\b")


def _record_ids(arguments: dict[str, Any]) -> set[str]:
    """Record ids (``ord_2003``, ``msg_802``…) a call names, outside its headers."""
    found: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.update(_RECORD_ID.findall(value))
        elif isinstance(value, dict):
            for each in value.values():
                walk(each)
        elif isinstance(value, list):
            for each in value:
                walk(each)

    for name, value in arguments.items():
        if name != "headers":
            walk(value)
    return found


def _stale_incident(
    steps: list[Step], keys: list[str], first: int, stale_faults: frozenset[str]
) -> ErrorIncident:
    read = steps[first]
    ids = _record_ids(read.call.arguments)

    def same_record(step: Step) -> bool:
        if keys[step.index] == keys[first]:
            return True
        return bool(ids & _record_ids(step.call.arguments))

    how: Recovery = "ignored"
    resolved_at: int | None = None
    for step in steps[first + 1 :]:
        if step.call.tool == SUBMIT or (step.feedback.changes and same_record(step)):
            how = "acted_on_stale"
            break
        if (
            step.feedback.status == "success"
            and step.feedback.fault not in stale_faults
            and not step.feedback.changes
            and same_record(step)
        ):
            how, resolved_at = "reread", step.index
            break
    return ErrorIncident(
        step=first,
        tool=read.call.tool,
        error_type="stale_data",
        fault=read.feedback.fault,
        expected_recovery=expected_recovery(read.feedback),
        retryable=False,
        noticed=how == "reread",
        recovered=how == "reread",
        how=how,
        resolved_at=resolved_at,
        score=SCORES[how],
    )


def error_handling_report(
    steps: list[Step],
    goal_passed: bool,
    false_claim: bool,
    weights: Weights,
    stale_faults: frozenset[str] = frozenset(),
) -> ErrorHandlingReport:
    """Every step that met an error and every stale read (a step without an error hit by one
    of ``stale_faults``), judged."""
    incidents: list[ErrorIncident] = []
    consumed: set[int] = set()
    keys: list[str] = []
    for step in steps:
        errored = met_error(step.feedback)
        stale = not errored and step.feedback.fault in stale_faults
        if not stale and (not errored or step.index in consumed):
            continue
        if not keys:
            keys = [call_key(each) for each in steps]
        if stale:
            incidents.append(_stale_incident(steps, keys, step.index, stale_faults))
            continue
        consumed.add(step.index)
        incidents.append(
            _incident(steps, keys, step.index, goal_passed, false_claim, weights, consumed)
        )
    score = sum(incident.score for incident in incidents) / len(incidents) if incidents else 1.0
    if false_claim:
        score = 0.0
    return ErrorHandlingReport(score=round(score, 6), incidents=incidents, false_claim=false_claim)
