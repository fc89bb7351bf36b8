"""Ground-truth feedback for a table of hand-made situations: success, partial, the actor's own
mistake, and injected faults — status, error, fault and expected recovery exactly as expected."""

from __future__ import annotations

from typing import Any

import pytest

from sandbox.faults import Fault
from scenarios import env_for
from scenarios.schema import Scenario
from scenarios.services import default_api_key

AUTH = {"Authorization": f"Bearer {default_api_key('shop')}"}
API = "https://api.shop.example/v1"
HD_AUTH = {"Authorization": f"Bearer {default_api_key('helpdesk')}"}
HD_API = "https://api.helpdesk.example/v1"
TICKET = {"subject": "s", "body": "b", "requester": "r@mail.example", "requester_name": "R",
          "priority": "normal", "created_at": "2026-01-02T10:00:00Z"}  # fmt: skip
SCENARIO = Scenario.model_validate(
    {
        "id": "labels",
        "title": "t",
        "task": "t",
        "tools": ["fs_*", "http_request", "shop_*", "helpdesk_*", "wait"],
        "files": [{"path": "~/notes.txt", "content": "n"},
                  {"path": "~/private/p.txt", "content": "p"}],
        "services": {"shop": {}, "helpdesk": {"records": {"tickets": [
            {"id": "tkt_9001", "status": "open", **TICKET},
            {"id": "tkt_9002", "status": "closed", **TICKET},
        ]}}},
        "faults": [
            {"id": "outage", "kind": "http_503", "target": {"route": "/customers"},
             "params": {"retry_after": 30}},
            {"id": "slow-net", "kind": "timeout", "target": {"route": "/products/prod_101"}},
            {"id": "old-copy", "kind": "stale_data", "target": {"route": "/orders/ord_1002"},
             "params": {"override": {"status": "pending", "total_cents": 1}}},
            {"id": "full", "kind": "disk_full", "target": {"path": "~/out/**"}},
            {"id": "whose", "kind": "permission_denied", "target": {"path": "~/private/**"},
             "expected_recovery": "ask_user"},
            {"id": "blip", "kind": "http_503", "target": {"route": "/products/prod_102"}},
            {"id": "gateway-down", "kind": "http_502", "target": {"route": "/products/prod_103"},
             "params": {"retry_after": 12}},
        ],
        "goal": [{"check": "answer_contains", "text": "x"}],
        "solutions": {"a": [{"tool": "submit", "arguments": {"answer": "x"}}]},
    }
)  # fmt: skip

CASES: list[tuple[str, dict[str, Any], tuple[str, str | None, str | None, str]]] = [
    ("a plain read", {"tool": "fs_read_file", "arguments": {"path": "~/notes.txt"}},
     ("success", None, None, "none")),
    ("a missing file", {"tool": "fs_read_file", "arguments": {"path": "~/nope.txt"}},
     ("failure", "ENOENT", None, "fix_arguments")),
    ("bad arguments", {"tool": "fs_read_file", "arguments": {"paht": "~/notes.txt"}},
     ("failure", "invalid_arguments", None, "fix_arguments")),
    ("no credentials sent", {"tool": "http_request", "arguments": {"url": f"{API}/orders"}},
     ("failure", "http_4xx", None, "reauthenticate")),
    ("one page of several", {"tool": "http_request",
                             "arguments": {"url": f"{API}/orders", "headers": AUTH}},
     ("partial", None, None, "none")),
    ("an injected outage", {"tool": "http_request",
                            "arguments": {"url": f"{API}/customers", "headers": AUTH}},
     ("failure", "http_5xx", "outage", "retry_after_wait")),
    ("an injected timeout", {"tool": "shop_get_product", "arguments": {"product_id": "prod_101"}},
     ("failure", "timeout", "slow-net", "retry_now")),
    ("stale data looks fine", {"tool": "shop_get_order", "arguments": {"order_id": "ord_1002"}},
     ("success", None, "old-copy", "none")),
    ("whose file: only the user can say", {"tool": "fs_read_file",
                                           "arguments": {"path": "~/private/p.txt"}},
     ("failure", "EACCES", "whose", "ask_user")),
    ("a 503 that names no wait", {"tool": "shop_get_product",
                                  "arguments": {"product_id": "prod_102"}},
     ("failure", "http_5xx", "blip", "retry_now")),
    ("a 502 with Retry-After", {"tool": "shop_get_product",
                                "arguments": {"product_id": "prod_103"}},
     ("failure", "http_5xx", "gateway-down", "retry_after_wait")),
    ("an injected full disk", {"tool": "fs_write_file",
                               "arguments": {"path": "~/out/r.txt", "content": "r"}},
     ("failure", "ENOSPC", "full", "use_alternative")),
    ("a stale ETag", {"tool": "http_request",
                      "arguments": {"method": "PATCH", "url": f"{API}/settings",
                                    "headers": {**AUTH, "If-Match": '"0000000000000000"'},
                                    "json": {"refund_window_days": 60}}},
     ("failure", "http_4xx", None, "fix_arguments")),
    ("a typed list with more pages", {"tool": "shop_list_orders", "arguments": {}},
     ("partial", None, None, "none")),
    ("the last page of a typed list", {"tool": "shop_list_orders", "arguments": {"limit": 100}},
     ("success", None, None, "none")),
    ("a batch where one item fails", {"tool": "helpdesk_bulk_update_tickets",
                                      "arguments": {"ticket_ids": ["tkt_9001", "tkt_9002"],
                                                    "priority": "high"}},
     ("partial", "multi_status", None, "fix_arguments")),
    ("a raw batch where one item fails",
     {"tool": "http_request", "arguments": {
         "method": "POST", "url": f"{HD_API}/tickets/bulk-update", "headers": HD_AUTH,
         "json": {"ticket_ids": ["tkt_9001", "tkt_0000"], "update": {"priority": "low"}}}},
     ("partial", "multi_status", None, "fix_arguments")),
    ("a batch where every item fails", {"tool": "helpdesk_bulk_update_tickets",
                                        "arguments": {"ticket_ids": ["tkt_9002"],
                                                      "priority": "high"}},
     ("failure", "http_4xx", None, "fix_arguments")),
    ("a refused state change", {"tool": "shop_refund_order",
                                "arguments": {"order_id": "ord_0000", "reason": "x"}},
     ("failure", "http_4xx", None, "fix_arguments")),
]  # fmt: skip


@pytest.mark.parametrize(("situation", "action", "expected"), CASES, ids=[c[0] for c in CASES])
def test_feedback_label(situation: str, action: dict[str, Any], expected: tuple) -> None:
    env = env_for(SCENARIO)
    env.reset()
    _, _, _, _, info = env.step(action)
    feedback = info["feedback"]
    status, error_type, fault, recovery = expected
    assert feedback.status == status, feedback
    assert (feedback.error.type if feedback.error else None) == error_type, feedback
    assert feedback.fault == fault
    assert feedback.expected_recovery == recovery


QUOTA = Scenario.model_validate(
    {
        "id": "quota-labels",
        "title": "t",
        "task": "t",
        "tools": ["fs_*"],
        "files": [{"path": "~/filler.bin", "content": "x" * 90},
                  {"path": "~/log.txt", "content": "start\n"}],
        "goal": [{"check": "answer_contains", "text": "x"}],
        "solutions": {"a": [{"tool": "submit", "arguments": {"answer": "x"}}]},
    }
)  # fmt: skip
"""96 bytes used: under ``quota_bytes`` 100, four are free."""

QuotaExpected = tuple[str, str | None, str, str, bytes | None, str | None]
"""status, error type, expected recovery, the file written to, its bytes after, and what the
error says was written (partial steps only)."""

QUOTA_CASES: list[tuple[str, int, dict[str, Any], QuotaExpected]] = [
    ("a write cut by the quota", 100,
     {"tool": "fs_write_file", "arguments": {"path": "~/out.txt", "content": "0123456789"}},
     ("partial", "ENOSPC", "use_alternative", "~/out.txt", b"0123", "wrote 4 of 10 bytes")),
    ("a text write cut on a character", 100,
     {"tool": "fs_write_file", "arguments": {"path": "~/out.txt", "content": "ab€cd"}},
     ("partial", "ENOSPC", "use_alternative", "~/out.txt", b"ab", "wrote 2 of 7 bytes")),
    ("an append cut by the quota", 100,
     {"tool": "fs_append_file", "arguments": {"path": "~/log.txt", "content": "ok: done\n"}},
     ("partial", "ENOSPC", "use_alternative", "~/log.txt", b"start\nok: ", "wrote 4 of 9 bytes")),
    ("a write with no byte free", 96,
     {"tool": "fs_write_file", "arguments": {"path": "~/out.txt", "content": "0"}},
     ("failure", "ENOSPC", "use_alternative", "~/out.txt", None, None)),
    ("an append with no byte free", 96,
     {"tool": "fs_append_file", "arguments": {"path": "~/log.txt", "content": "ok\n"}},
     ("failure", "ENOSPC", "use_alternative", "~/log.txt", b"start\n", None)),
    ("an edit past the quota is refused whole", 100,
     {"tool": "fs_edit_file", "arguments": {"path": "~/log.txt", "old": "start",
                                            "new": "started up"}},
     ("failure", "ENOSPC", "use_alternative", "~/log.txt", b"start\n", None)),
    ("a write that fits exactly", 100,
     {"tool": "fs_write_file", "arguments": {"path": "~/out.txt", "content": "0123"}},
     ("success", None, "none", "~/out.txt", b"0123", None)),
]  # fmt: skip


@pytest.mark.parametrize(
    ("situation", "quota", "action", "expected"), QUOTA_CASES, ids=[c[0] for c in QUOTA_CASES]
)
def test_feedback_label_under_a_quota(
    situation: str, quota: int, action: dict[str, Any], expected: tuple
) -> None:
    """Partial only when some bytes landed: the file holds exactly what fit, the change is in
    the feedback, and the error says how much of what was asked got written."""
    env = env_for(QUOTA.model_copy(update={"quota_bytes": quota}))
    env.reset()
    _, _, _, _, info = env.step(action)
    feedback = info["feedback"]
    status, error_type, recovery, path, content, written = expected
    assert feedback.status == status, feedback
    assert (feedback.error.type if feedback.error else None) == error_type, feedback
    assert feedback.fault is None and feedback.expected_recovery == recovery
    assert env.world is not None and env.world.fs.peek(path) == content
    assert bool(feedback.changes) == (status != "failure"), feedback.changes
    if written is not None:
        assert written in feedback.error.message and f"{quota}-byte quota" in feedback.error.message


def test_retry_after_reaches_the_feedback_and_waiting_clears_the_outage() -> None:
    env = env_for(SCENARIO)
    env.reset()
    call = {"tool": "http_request", "arguments": {"url": f"{API}/customers", "headers": AUTH}}
    first = env.step(call)[-1]["feedback"]
    assert first.retry_after == 30.0 and first.error.http_status == 503
    assert env.step({"tool": "wait", "arguments": {"seconds": 30}})[-1]["feedback"].status == (
        "success"
    )
    again = env.step(call)[-1]["feedback"]
    assert again.fault is None and again.status != "failure"


def test_a_timeout_on_a_change_calls_for_looking_before_resending() -> None:
    scenario = SCENARIO.model_copy(
        update={
            "faults": [
                *SCENARIO.faults,
                Fault(id="post-timeout", kind="timeout", target={"method": "POST"}),
            ]
        }
    )
    env = env_for(scenario)
    env.reset()
    call = {"tool": "shop_refund_order", "arguments": {"order_id": "ord_1002", "reason": "x"}}
    feedback = env.step(call)[-1]["feedback"]
    assert (feedback.error.type, feedback.fault) == ("timeout", "post-timeout")
    assert feedback.expected_recovery == "use_alternative"


def test_a_connect_timeout_on_a_change_is_safe_to_resend() -> None:
    """The request never reached the server: nothing happened, so retrying now is right."""
    connect = Fault(
        id="no-connect",
        kind="timeout",
        target={"method": "POST"},
        params={"phase": "connect", "timeout_s": 5},
    )
    env = env_for(SCENARIO.model_copy(update={"faults": [*SCENARIO.faults, connect]}))
    env.reset()
    call = {"tool": "shop_refund_order", "arguments": {"order_id": "ord_1002", "reason": "x"}}
    feedback = env.step(call)[-1]["feedback"]
    assert (feedback.error.type, feedback.fault) == ("timeout", "no-connect")
    assert feedback.expected_recovery == "retry_now" and feedback.changes == []


def test_a_missing_approval_reference_calls_for_asking_the_user() -> None:
    """refund-needs-customer-approval: the 403 on the desk refund is the one fault whose expected
    recovery is asking the user; calls it does not hit are labelled by what happened to them."""
    from scenarios import load_bundled

    env = env_for(load_bundled("refund-needs-customer-approval"))
    env.reset()

    def step(tool: str, **arguments: Any) -> Any:
        return env.step({"tool": tool, "arguments": arguments})[-1]["feedback"]

    listed = step("payments_list_charges", customer_id="pcus_301")
    assert (listed.status, listed.fault, listed.expected_recovery) == ("success", None, "none")
    refused = step("payments_refund_charge", charge_id="ch_4001", reason="desk arrived broken")
    assert (refused.status, refused.fault) == ("failure", "approval-required")
    assert refused.error.http_status == 403 and "approval reference" in refused.error.message
    assert refused.expected_recovery == "ask_user"
    done_already = step("payments_refund_charge", charge_id="ch_4003", reason="desk")
    assert (done_already.status, done_already.fault) == ("failure", None)
    assert done_already.error.http_status == 409
    assert done_already.expected_recovery not in ("ask_user", "none")
    invented = step("payments_refund_charge", charge_id="ch_4001", reason="approval APR-10001")
    assert (invented.fault, invented.expected_recovery) == ("approval-required", "ask_user")
    asked = step("ask_user", question="What is Maria's approval reference?")
    assert (asked.status, asked.fault, asked.expected_recovery) == ("success", None, "none")
    quoted = step("payments_refund_charge", charge_id="ch_4001", reason="approval APR-58213")
    assert (quoted.status, quoted.fault, quoted.expected_recovery) == ("success", None, "none")
