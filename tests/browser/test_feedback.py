"""What the browser tools report as ground truth: success, failure and the error's words."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from sandbox.env import ToolEnv
from sandbox.types import ToolCall
from scenarios.services import default_api_key

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


def _place_order(env: ToolEnv) -> tuple[str, dict[str, Any]]:
    """Log in, put a lamp in the cart, fill in shipping and press Place order."""
    calls = [
        ("browser_goto", {"url": "https://shop.example/login"}),
        ("browser_type", {"element": "textbox-email", "text": "ada@mail.example"}),
        ("browser_type", {"element": "textbox-password", "text": "pw1"}),
        ("browser_submit", {"element": "form-login"}),
        ("browser_goto", {"url": "https://shop.example/products/prod_101"}),
        ("browser_click", {"element": "button-add-to-cart"}),
        ("browser_goto", {"url": "https://shop.example/checkout"}),
        ("browser_type", {"element": "textbox-name", "text": "Ada Lovelace"}),
        ("browser_type", {"element": "textbox-street", "text": "1 Analytical Way"}),
        ("browser_type", {"element": "textbox-postcode", "text": "N1 9GU"}),
        ("browser_type", {"element": "textbox-city", "text": "London"}),
        ("browser_click", {"element": "button-continue-to-review"}),
        ("browser_click", {"element": "button-place-order"}),
    ]
    for tool, arguments in calls:
        observation, _, _, _, info = env.step(ToolCall(tool=tool, arguments=arguments))
    return str(observation), info["feedback"].model_dump()


GATEWAY = {"id": "gateway", "kind": "http_502", "trigger": {"first": 1},
           "target": {"service": "shop", "route": "/checkout", "method": "POST"}}  # fmt: skip


Make = Callable[..., ToolEnv]  # the ``env_with`` fixture (conftest)


def test_a_fault_on_a_service_route_reaches_the_site_that_calls_it(env_with: Make) -> None:
    env = env_with(GATEWAY)
    orders = env.world.records.count("shop", "orders")
    text, feedback = _place_order(env)
    assert feedback["status"] == "failure" and feedback["fault"] == "gateway"
    assert feedback["error"]["http_status"] == 502
    assert "bad gateway" in feedback["error"]["message"] and "bad gateway" in text
    assert env.world.records.count("shop", "orders") == orders  # nothing was placed
    env.step(
        ToolCall(tool="browser_goto", arguments={"url": "https://shop.example/checkout/review"})
    )
    observation, _, _, _, info = env.step(
        ToolCall(tool="browser_click", arguments={"element": "button-place-order"})
    )
    assert info["feedback"].status == "success" and "/confirmation" in str(observation)


def test_a_fault_for_the_agents_own_calls_leaves_the_site_alone(env_with: Make) -> None:
    env = env_with(GATEWAY | {"target": GATEWAY["target"] | {"caller": "agent"}})
    _, feedback = _place_order(env)
    assert feedback["status"] == "success" and feedback["fault"] is None, feedback
    site_only = env_with(GATEWAY | {"target": GATEWAY["target"] | {"caller": "site"}})
    response = site_only.world.http.post(
        "https://api.shop.example/v1/carts/cart_x/checkout",
        headers={"Authorization": f"Bearer {default_api_key('shop')}"},
    )
    assert response.status_code == 404  # no such cart: the fault was not for this call


def test_a_backend_timeout_or_garbled_answer_is_the_sites_error_page(env_with: Make) -> None:
    timeout = GATEWAY | {"id": "slow-gateway", "kind": "timeout"}
    text, feedback = _place_order(env_with(timeout))
    assert feedback["fault"] == "slow-gateway" and feedback["error"]["http_status"] == 504
    assert "did not answer in time" in text
    garbled = GATEWAY | {"id": "garbled", "kind": "malformed_body"}
    text, feedback = _place_order(env_with(garbled))
    assert feedback["fault"] == "garbled" and feedback["error"]["http_status"] == 502
    assert "could not read" in text


def test_error_feedback_quotes_the_pages_own_message(act: Act) -> None:
    _, feedback = act("browser_goto", url="https://shop.example/nowhere")
    assert feedback["error"]["message"] == (
        "the page answered 404: The page /nowhere does not exist."
    )
    _, feedback = act("browser_goto", url="https://shop.example/search?q=lamp&page=abc")
    assert feedback["error"]["message"] == (
        "the page answered 400: The page number must be a whole number."
    )
    act("browser_goto", url="https://shop.example/login")
    act("browser_type", element="textbox-email", text="ada@mail.example")
    _, feedback = act("browser_submit", element="form-login")
    assert feedback["error"]["message"] == "the page answered 401: Wrong email or password."


def test_a_fault_page_with_a_json_body_has_a_message(env_with: Make) -> None:
    limit = {"id": "limit", "kind": "rate_limit", "trigger": {"first": 1},
             "target": {"url": "https://shop.example/search*"}}  # fmt: skip
    env = env_with(limit)
    observation, _, _, _, info = env.step(
        ToolCall(tool="browser_goto", arguments={"url": "https://shop.example/search?q=lamp"})
    )
    feedback = info["feedback"]
    assert feedback.fault == "limit" and feedback.error is not None
    assert feedback.error.message == (
        "the page answered 429: rate limit exceeded; retry after the Retry-After interval"
    )
    assert "429 Too Many Requests" in str(observation) and '"status": 429' in str(observation)


def test_a_click_on_an_id_like_nothing_on_the_page_names_ids_to_try(act: Act) -> None:
    act("browser_goto", url="https://shop.example/")
    _, feedback = act("browser_click", element="widget-zzz")
    assert feedback["error"]["type"] == "no_such_element"
    assert "did you mean " in feedback["error"]["message"]
    suggested = feedback["error"]["message"].split("did you mean ")[1].split("?")[0].split(", ")
    assert len(suggested) == 3 and all(s.count("-") >= 1 for s in suggested)


def test_a_button_outside_any_form_does_nothing_without_scripts(env) -> None:
    html = (
        "<html><head><title>Widget</title><script>wire()</script></head><body>"
        '<button id="go" onclick="wire()">Go</button></body></html>'
    )
    env.world.network.serve(
        "widget.example",
        lambda request: httpx.Response(200, html=html, request=request),
        name="site:widget",
    )
    observation, _, _, _, info = env.step(
        ToolCall(tool="browser_goto", arguments={"url": "https://widget.example/"})
    )
    assert "(scripts on this page are not executed)" in str(observation)
    _, _, _, _, info = env.step(ToolCall(tool="browser_click", arguments={"element": "button-go"}))
    feedback = info["feedback"]
    assert feedback.status == "failure" and feedback.error.type == "inert_element"
    assert "does nothing without scripts" in feedback.error.message


def test_submitting_an_unknown_form_names_the_forms_there(act: Act) -> None:
    act("browser_goto", url="https://shop.example/login")
    _, feedback = act("browser_submit", element="form-logn")
    assert feedback["status"] == "failure"
    assert feedback["error"]["type"] == "no_such_element"
    message = feedback["error"]["message"]
    assert "did you mean form-login" in message
    assert "forms here: form-cookies, form-search, form-login" in message


def test_markup_in_a_record_is_shown_as_text_not_run(world) -> None:
    evil = '<script>steal()</script><b onmouseover="x()">Lamp</b>'
    product = world.records.get("shop", "products", "prod_101")
    world.records.put("shop", "products", "prod_101", product | {"name": evil})
    page = world.browser.goto("https://shop.example/products/prod_101")
    text = "\n".join(page.text())
    assert f"# {evil}" in text  # the name as typed, markup and all
    assert "<script>steal()" not in page.html and "&lt;script&gt;steal()" in page.html
    assert page.title.startswith(evil)


def _goto(env: ToolEnv, url: str) -> tuple[str, Any]:
    observation, _, _, _, info = env.step(ToolCall(tool="browser_goto", arguments={"url": url}))
    return str(observation), info["feedback"]


PRODUCT_PAGE = "https://shop.example/products/prod_101"
PRODUCT_DOWN = {"id": "product-down", "kind": "http_503", "trigger": {"first": 1},
                "target": {"service": "shop", "route": "/products/prod_101",
                           "method": "GET"}}  # fmt: skip


def test_a_fault_on_the_product_route_reaches_the_product_page(env_with: Make) -> None:
    env = env_with(PRODUCT_DOWN)
    text, feedback = _goto(env, PRODUCT_PAGE)
    assert feedback.status == "failure" and feedback.fault == "product-down"
    assert feedback.error is not None and feedback.error.http_status == 503
    assert "The shop service answered 503" in feedback.error.message
    assert feedback.expected_recovery == "retry_now"  # http_503's recovery
    assert "button-add-to-cart" not in text
    text, feedback = _goto(env, PRODUCT_PAGE)  # first: 1 — the next visit gets the page
    assert feedback.status == "success" and feedback.fault is None
    assert "button-add-to-cart" in text
    _, other = _goto(env_with(PRODUCT_DOWN), "https://shop.example/products/prod_102")
    assert other.status == "success" and other.fault is None  # another route: untouched


def test_the_product_page_shows_what_the_service_answers(env_with: Make) -> None:
    stale = {"id": "stale-name", "kind": "stale_data", "trigger": {"first": 1},
             "params": {"override": {"name": "Yesterday's lamp"}},
             "target": {"service": "shop", "route": "/products/prod_101"}}  # fmt: skip
    env = env_with(stale)
    text, feedback = _goto(env, PRODUCT_PAGE)
    assert feedback.fault == "stale-name" and "Yesterday's lamp" in text
    lost = {"id": "lagging", "kind": "not_found", "trigger": {"first": 1},
            "target": {"service": "shop", "route": "/products/prod_101"}}  # fmt: skip
    _, feedback = _goto(env_with(lost), PRODUCT_PAGE)
    assert feedback.status == "failure" and feedback.fault == "lagging"
    assert feedback.error is not None and feedback.error.http_status == 404


def test_a_fault_for_the_agents_own_calls_leaves_the_product_page_alone(env_with: Make) -> None:
    env = env_with(PRODUCT_DOWN | {"target": PRODUCT_DOWN["target"] | {"caller": "agent"}})
    _, feedback = _goto(env, PRODUCT_PAGE)
    assert feedback.status == "success" and feedback.fault is None


LISTING_DOWN = {"id": "listing-down", "kind": "http_503", "trigger": {"first": 2},
                "target": {"service": "shop", "route": "/products", "method": "GET"}}  # fmt: skip


def test_a_fault_on_the_product_listing_reaches_home_and_search(env_with: Make) -> None:
    env = env_with(LISTING_DOWN)
    for url in ("https://shop.example/", "https://shop.example/search?q=lamp"):
        text, feedback = _goto(env, url)
        assert feedback.status == "failure" and feedback.fault == "listing-down", url
        assert feedback.error is not None and feedback.error.http_status == 503
    text, feedback = _goto(env, "https://shop.example/search?q=lamp")
    assert feedback.status == "success" and feedback.fault is None
    assert "[link-desk-lamp]" in text  # the listing is back: the result is a link
