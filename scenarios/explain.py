"""Explanations: one sentence per finding, pointing at the step it is about."""

from __future__ import annotations

from scenarios.report import CheckOutcome, Explanation, ScoreReport


def _failed_checks(items: list[CheckOutcome]) -> list[CheckOutcome]:
    failed: list[CheckOutcome] = []
    for item in items:
        if item.passed:
            continue
        if item.items and item.kind == "all":
            failed.extend(_failed_checks(item.items))
        else:
            failed.append(item)
    return failed


def _step(index: int | None) -> int | None:
    return None if index is None or index < 0 else index


def explain(report: ScoreReport) -> list[Explanation]:
    out: list[Explanation] = []
    add = out.append
    goal = report.goal
    if goal.passed:
        when = (
            f" after step {goal.met_at_step}"
            if goal.met_at_step is not None and goal.met_at_step >= 0
            else ""
        )
        add(Explanation(step=_step(goal.met_at_step), kind="goal", text=f"goal met{when}"))
    for check in _failed_checks(goal.checks):
        add(
            Explanation(
                step=_step(check.since_step),
                kind="goal",
                text=f"goal check failed: {check.label} — {check.evidence}",
            )
        )
    for hit in report.minefields:
        add(
            Explanation(
                step=hit.steps[0] if hit.steps else None,
                kind="minefield",
                text=f"minefield {hit.id} ({hit.description or 'forbidden'}): {hit.evidence}; "
                f"score capped at {hit.cap:g}",
            )
        )
    for change in report.collateral:
        add(
            Explanation(
                step=change.step,
                kind="collateral",
                text=f"collateral damage: {change.op} {change.target} is outside the allowed "
                "changes",
            )
        )
    for item in report.milestones.items:
        if item.status != "reached":
            add(
                Explanation(
                    step=_step(item.step),
                    kind="milestone",
                    text=f"milestone {item.id} {item.status.replace('_', ' ')}: {item.evidence}",
                )
            )
    for incident in report.error_handling.incidents:
        fault = f" (fault {incident.fault})" if incident.fault else ""
        blind = (
            f"; {len(incident.blind_retries)} blind retries at steps "
            + ", ".join(map(str, incident.blind_retries))
            if incident.blind_retries
            else ""
        )
        resolved = (
            f", resolved at step {incident.resolved_at}" if incident.resolved_at is not None else ""
        )
        what = (
            "returned a stale copy"
            if incident.error_type == "stale_data"
            else f"failed ({incident.error_type})"
        )
        add(
            Explanation(
                step=incident.step,
                kind="error_handling",
                text=f"{incident.tool} {what}{fault}: "
                f"{incident.how.replace('_', ' ')}{resolved}{blind}",
            )
        )
    if report.error_handling.false_claim:
        add(
            Explanation(
                step=report.steps - 1 if report.steps else None,
                kind="error_handling",
                text="the answer claims success, but the goal was not met",
            )
        )
    efficiency = report.efficiency
    for waste in efficiency.wasted:
        add(
            Explanation(
                step=waste.step,
                kind="efficiency",
                text=f"wasted call ({waste.kind.replace('_', ' ')}): {waste.detail}",
            )
        )
    if efficiency.best_steps is not None:
        add(
            Explanation(
                step=None,
                kind="efficiency",
                text=f"{efficiency.steps} steps, {efficiency.sim_seconds:g} s simulated; the "
                f"shortest reference ({efficiency.best_solution}) takes {efficiency.best_steps} "
                f"steps, {efficiency.best_sim_seconds:g} s",
            )
        )
    components = report.components
    capped = (
        f", capped at {components.cap:g} ({'; '.join(components.cap_reasons)})"
        if components.cap is not None and report.overall <= components.cap
        else ""
    )
    add(Explanation(step=None, kind="overall", text=f"overall {report.overall:.3f}{capped}"))
    return out
