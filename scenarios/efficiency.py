"""Efficiency: steps and simulated time against the reference solutions, and wasted calls.

Wasted calls (each step is flagged once, in this order of precedence):

- ``repeated_failure``: a call identical to one that just met an error (failed, or was partial
  with an error: a write cut short, a 207 batch), with nothing in the world changed since, for
  an error that is not retryable (a timeout or rate limit may be retried);
- ``redundant_read``: a call that changed nothing and returned exactly what the same call
  returned before — nothing new was learned;
- ``after_goal``: a call (other than ``submit``) after the world part of the goal was met,
  unless it reached a milestone (a verification the scenario asks for) or it answers a failed
  call (a timeout that did go through looks like a failure to the actor);
- ``unused_read``: a call that changed nothing and whose result shares no word (4+ letters,
  digits or _, leaving out the words of its own arguments) with any later call's arguments or the
  answer (counting the sum of the amounts it showed as one of its words) — what it showed was
  never acted on — unless an identifier it was called with
  (``ord_2002``) appears in later written content or the answer: deciding *not* to act on a
  record after reading it is a use. A heuristic: it reads the first 20,000 characters
  and ignores years (2025), which link unrelated things. A step that reached a milestone (reading
  the policy the scenario says must be read) is never an unused read.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from sandbox.types import Step
from scenarios.calls import arguments_json, call_key
from scenarios.recovery import met_error, retryable
from scenarios.reference import ReferenceStats
from scenarios.report import EfficiencyReport, WastedCall
from scenarios.weights import EfficiencySpec, Weights

_WORD = re.compile(r"\d+\.\d+|[a-z0-9_]+(?:-[a-z0-9_]+)*")  # off-102 and 12.50 are one word
_THOUSANDS = re.compile(r",(?<=\d,)(?=\d{3}\b)")  # a comma first: re searches for it fast
_YEAR = re.compile(r"^(?:19|20)\d\d$")
_SCAN_LIMIT = 20_000
SUBMIT = "submit"


_LOCATION_ARGUMENTS = frozenset({"path", "source", "destination", "url", "pattern"})
"""Arguments that say where, not what: a later write *to* X does not use what a read of X
showed, but a later text *about* X (``ord_2002: older than 30 days``) does."""


ASK_USER = "ask_user"
_INTERACTION = re.compile(r"^browser_(?:type|select|click|submit|back|forward)$")
"""Browser interactions change the page being filled in, not the world: never reads."""


def _diagnostic_steps(steps: list[Step], keys: list[str]) -> set[int]:
    """Calls made between an error and the next attempt of the same call: checking what
    happened before retrying (did the order go through?) is care, not waste (``keys``: each
    step's ``call_key``)."""
    diagnostic: set[int] = set()
    for step in steps:
        if not met_error(step.feedback):
            continue
        retry = next(
            (i for i in range(step.index + 1, len(steps)) if keys[i] == keys[step.index]), None
        )
        if retry is not None:
            diagnostic.update(range(step.index + 1, retry))
    return diagnostic


_AMOUNT = re.compile(r"(?<![\d.])-?\d+\.\d{2}(?![\d.])")
_AMOUNT_CORE = re.compile(r"\d\.\d\d")
"""In every amount; most reads have none, and searching for this is several times faster."""


def _total(text: str) -> set[str]:
    """The sum of the amounts a read showed (1000.00 + 234.50 → "1234.50"): a total written
    later uses every amount that went into it."""
    text = text[:_SCAN_LIMIT]
    if _AMOUNT_CORE.search(text) is None:
        return set()
    amounts = _AMOUNT.findall(text)
    return {f"{sum(float(a) for a in amounts):.2f}"} if len(amounts) > 1 else set()


def _words(text: str) -> set[str]:
    """Words of 4+ letters or digits (1,734.50 gives 1734; years are left out: too common)."""
    text = _THOUSANDS.sub("", text[:_SCAN_LIMIT].lower())
    return {word for word in _WORD.findall(text) if len(word) >= 4 and not _YEAR.match(word)}


def _argument_words(arguments: dict[str, Any]) -> set[str]:
    return _words(arguments_json(arguments))


def wasted_calls(
    steps: list[Step],
    answer: str | None,
    goal_met_at: int | None,
    needed: frozenset[int] = frozenset(),
) -> list[WastedCall]:
    """The wasted calls (see the module docstring); ``needed`` steps (those that reached a
    milestone) are never counted as unused reads or calls after the goal."""
    wasted: dict[int, WastedCall] = {}
    failing: dict[str, int] = {}
    seen_reads: dict[str, tuple[int, str]] = {}
    keys = [call_key(step) for step in steps]
    diagnostic = _diagnostic_steps(steps, keys)
    # a page opened to act on it next (open the product page, then click "add to cart")
    diagnostic |= {
        step.index
        for step, following in itertools.pairwise(steps)
        if step.call.tool.startswith("browser_") and _INTERACTION.match(following.call.tool)
    }
    for step in steps:
        key = keys[step.index]
        feedback = step.feedback
        if feedback.changes:
            failing.clear()
        if met_error(feedback):
            earlier = failing.get(key)
            if earlier is not None and not retryable(feedback):
                wasted[step.index] = WastedCall(
                    step=step.index,
                    kind="repeated_failure",
                    detail=f"same failing call as step {earlier}, nothing changed in between "
                    f"({feedback.error.type if feedback.error else 'failure'})",
                )
            failing[key] = step.index
            continue
        if feedback.changes or step.call.tool == SUBMIT or _INTERACTION.match(step.call.tool):
            continue  # typing or clicking changes the page being filled in: not a read
        before = seen_reads.get(key)
        if before is not None and before[1] == step.observation and step.index not in diagnostic:
            wasted[step.index] = WastedCall(
                step=step.index,
                kind="redundant_read",
                detail=f"returned exactly what step {before[0]} returned",
            )
        seen_reads[key] = (step.index, step.observation)
    if goal_met_at is not None:
        for step in steps[goal_met_at + 1 :]:
            reacting = met_error(steps[step.index - 1].feedback)
            if (
                step.call.tool != SUBMIT
                and step.index not in wasted
                and step.index not in needed
                and not reacting  # the actor saw a failure, not the goal: checking is care
            ):
                wasted[step.index] = WastedCall(
                    step=step.index,
                    kind="after_goal",
                    detail=f"{step.call.tool} after the goal was met at step {goal_met_at}",
                )
    later: set[str] = _words(answer) if answer else set()
    later_content: set[str] = set(later)
    for step in reversed(steps):
        feedback = step.feedback
        own = _argument_words(step.call.arguments)
        if (
            not met_error(feedback)  # a partial page unused is unused too
            and not feedback.changes
            and step.call.tool != SUBMIT
            and step.index not in wasted
            and step.index not in needed
            and step.index not in diagnostic
            and not _INTERACTION.match(step.call.tool)
            and step.call.tool != ASK_USER  # a question is priced by its time, not as a read
        ):
            shown = (_words(step.observation) | _total(step.observation)) - own
            subject = {word for word in own if any(char.isdigit() for char in word)}
            if shown and shown.isdisjoint(later) and subject.isdisjoint(later_content):
                wasted[step.index] = WastedCall(
                    step=step.index,
                    kind="unused_read",
                    detail=f"nothing {step.call.tool} showed was used later",
                )
        later |= own
        arguments = step.call.arguments
        if _LOCATION_ARGUMENTS.isdisjoint(arguments):
            later_content |= own
        else:
            later_content |= _argument_words(
                {k: v for k, v in arguments.items() if k not in _LOCATION_ARGUMENTS}
            )
    return [wasted[index] for index in sorted(wasted)]


def _ratio(best: float | None, actual: float) -> float:
    """best / actual, at most 1; 1 when there is nothing to compare (no best, or a zero)."""
    if best is None or best <= 0 or actual <= 0:
        return 1.0
    return min(1.0, best / actual)


def efficiency_report(
    steps: list[Step],
    sim_seconds: float,
    answer: str | None,
    goal_passed: bool,
    goal_met_at: int | None,
    reference: ReferenceStats,
    spec: EfficiencySpec,
    weights: Weights,
    needed: frozenset[int] = frozenset(),
) -> EfficiencyReport:
    wasted = wasted_calls(steps, answer, goal_met_at if goal_passed else None, needed)
    best = reference.best
    allowed_steps = spec.allowed_steps or reference.longest_steps
    allowed_seconds = (
        spec.allowed_sim_seconds
        if spec.allowed_sim_seconds is not None
        else reference.longest_sim_seconds
    )
    count = len(steps)
    if goal_passed:
        score = (
            _ratio(best.steps if best else None, count)
            + _ratio(best.sim_seconds if best else None, sim_seconds)
        ) / 2
        within = (allowed_steps is None or count <= allowed_steps) and (
            allowed_seconds is None or sim_seconds <= allowed_seconds + 1e-9
        )
        base = (
            1.0
            if within
            else (_ratio(allowed_steps, count) + _ratio(allowed_seconds, sim_seconds)) / 2
        )
        credit = base * max(0.0, 1.0 - weights.wasted_each * len(wasted))
    else:
        score = credit = 0.0
    return EfficiencyReport(
        steps=count,
        sim_seconds=sim_seconds,
        best_steps=best.steps if best else None,
        best_sim_seconds=best.sim_seconds if best else None,
        best_solution=best.name if best else None,
        allowed_steps=allowed_steps,
        allowed_sim_seconds=allowed_seconds,
        score=round(score, 6),
        credit=round(credit, 6),
        wasted=wasted,
    )
