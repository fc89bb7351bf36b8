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


def test_back_onto_the_answer_to_a_post_shows_it_without_sending_again(act: Act, env) -> None:
    log_in(act)
    act("browser_goto", url="https://shop.example/products/prod_101")
    act("browser_type", element="textbox-quantity", text="0")
    text, feedback = act("browser_click", element="button-add-to-cart")
    assert feedback["status"] == "failure" and "/cart/items [422]" in text
    act("browser_goto", url="https://shop.example/")
    carts = env.world.records.count("shop", "carts")
    text, feedback = act("browser_back")
    assert feedback["status"] == "success", feedback
    assert "/cart/items [422]" in text and "405" not in text
    assert "Quantity must be a whole number of at least 1." in text
    assert "(from history: this page answered a form you sent" in text
    assert env.world.records.count("shop", "carts") == carts  # nothing was sent again
    text, feedback = act("browser_forward")  # a GET page: loaded again, no note
    assert feedback["status"] == "success" and "from history" not in text
    text, _ = act("browser_back")
    act("browser_type", element="textbox-quantity", text="2")  # the kept page's form works
    text, feedback = act("browser_click", element="button-add-to-cart")
    assert feedback["status"] == "success" and "https://shop.example/cart [200]" in text


def test_browser_back_with_no_earlier_page_is_a_failure_that_says_so(act: Act) -> None:
    _, feedback = act("browser_back")
    assert feedback["status"] == "failure" and feedback["error"]["type"] == "no_history"
    act("browser_goto", url="https://shop.example/")
    _, feedback = act("browser_back")
    assert feedback["error"]["type"] == "no_history"
    assert "no earlier page" in feedback["error"]["message"]
    _, feedback = act("browser_forward")
    assert feedback["error"]["type"] == "no_history"
