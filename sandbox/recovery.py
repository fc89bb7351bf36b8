"""``expected_recovery``: the kind of next action a careful expert takes after a step, from what
really happened — the injected fault's kind, or else the error the step met."""

from __future__ import annotations

from sandbox.types import Feedback

_BY_ERROR: dict[str, str] = {
    # the actor's own mistakes in a call: change the call
    "invalid_json": "fix_arguments",
    "invalid_action": "fix_arguments",
    "invalid_arguments": "fix_arguments",
    "action_too_large": "fix_arguments",
    "unknown_tool": "fix_arguments",
    "ENOENT": "fix_arguments",
    "EISDIR": "fix_arguments",
    "ENOTDIR": "fix_arguments",
    "EEXIST": "fix_arguments",
    "ENOTEMPTY": "fix_arguments",
    "EILSEQ": "fix_arguments",
    "no_match": "fix_arguments",
    "invalid_url": "fix_arguments",
    "connect_error": "fix_arguments",
    "no_such_element": "fix_arguments",
    "no_such_option": "fix_arguments",
    "not_typeable": "fix_arguments",
    "not_selectable": "fix_arguments",
    "not_clickable": "fix_arguments",
    "no_form": "fix_arguments",
    "no_page": "fix_arguments",
    "no_history": "fix_arguments",
    "bad_page_number": "fix_arguments",
    "bad_credentials": "fix_arguments",
    "inert_element": "use_alternative",
    "no_user": "use_alternative",
    "login_required": "reauthenticate",
    "disabled_element": "use_alternative",
    # the world refuses: go another way
    "EACCES": "use_alternative",
    "EROFS": "use_alternative",
    "ENOSPC": "use_alternative",
    "EBUSY": "retry_after_wait",
    "timeout": "retry_now",
    "redirect_loop": "escalate_or_report",
    "internal_error": "escalate_or_report",
    "episode_over": "none",
}
_BY_STATUS: dict[int, str] = {
    207: "fix_arguments",  # a batch where some items failed: redo those, changed
    400: "fix_arguments",
    401: "reauthenticate",
    403: "escalate_or_report",
    404: "fix_arguments",
    405: "fix_arguments",
    409: "use_alternative",
    412: "fix_arguments",  # re-read, then send the new ETag
    415: "fix_arguments",
    422: "fix_arguments",
    429: "retry_after_wait",
}


def expected_recovery(feedback: Feedback, fault_recovery: str | None) -> str:
    """``fault_recovery``: what the injected fault that hit this step calls for, if any."""
    if fault_recovery is not None and feedback.status != "success":
        return fault_recovery
    if feedback.status == "success" or feedback.error is None:
        return "none"
    error = feedback.error
    if error.http_status is not None:
        if error.http_status >= 500:
            return "retry_now"
        return _BY_STATUS.get(error.http_status, "fix_arguments")
    return _BY_ERROR.get(error.type, "fix_arguments" if error.type.startswith("E") else "none")
