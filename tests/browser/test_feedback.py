"""What the browser tools report as ground truth: success, failure and the error's words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Act = Callable[..., tuple[str, dict[str, Any]]]  # the ``act`` fixture (conftest)


def log_in(act: Act) -> None:
    act("browser_goto", url="https://shop.example/login")
    act("browser_type", element="textbox-email", text="ada@mail.example")
    act("browser_type", element="textbox-password", text="pw1")
    _, feedback = act("browser_submit", element="form-login")
    assert feedback["status"] == "success"


def test_logging_out_on_purpose_is_a_success(act: Act) -> None:
    log_in(act)
    text, feedback = act("browser_click", element="button-log-out")
    assert feedback["status"] == "success", feedback
    assert "[link-log-in]" in text
    act("browser_goto", url="https://admin.shop.example/login")
    act("browser_type", element="textbox-username", text="ops")
    act("browser_type", element="textbox-password", text="admin-pw")
    act("browser_submit", element="form-login")
    text, feedback = act("browser_click", element="button-log-out")  # admin: lands on /login
    assert feedback["status"] == "success", feedback
    assert "https://admin.shop.example/login" in text


def test_an_action_sent_to_the_login_page_says_log_in_again(act: Act) -> None:
    act("browser_goto", url="https://shop.example/products/prod_101")
    text, feedback = act("browser_click", element="button-add-to-cart")
    assert feedback["status"] == "failure"
    assert feedback["error"]["type"] == "login_required"
    assert "log in again" in feedback["error"]["message"]
    assert "/login?next=" in feedback["error"]["message"]
    assert "[form-login]" not in text and "form form-login" in text
