"""The browser over the storefront and admin sites: cookies, login, forms, errors, history, and
that the sites and the APIs are one world."""

from __future__ import annotations

import pytest

from sandbox.browser import BrowserError
from scenarios.services import default_api_key

AUTH = {"Authorization": f"Bearer {default_api_key('shop')}"}


def test_cookie_notice_goes_away_once_accepted(world) -> None:
    browser = world.browser
    browser.goto("https://shop.example/")
    assert "button-accept-cookies" in browser.page.elements
    browser.click("button-accept-cookies")
    assert browser.page.url == "https://shop.example/"
    assert "button-accept-cookies" not in browser.page.elements
    browser.goto("https://shop.example/search?q=lamp")
    assert "button-accept-cookies" not in browser.page.elements


def test_login_failure_then_success_sets_a_session_cookie(world) -> None:
    browser = world.browser
    browser.goto("https://shop.example/login")
    browser.type("textbox-email", "ada@mail.example")
    browser.type("textbox-password", "wrong")
    browser.submit("form-login")
    assert browser.page.status == 401
    assert any("Wrong email or password" in line for line in browser.page.text())
    browser.type("textbox-password", "pw1")
    browser.submit("form-login")
    assert browser.page.url == "https://shop.example/"
    assert "link-my-orders" in browser.page.elements
    assert browser.cookies.get("storefront_session")


def test_buying_in_the_storefront_creates_the_order_the_api_returns(logged_in) -> None:
    world, browser = logged_in, logged_in.browser
    browser.goto("https://shop.example/products/prod_101")
    browser.type("textbox-quantity", "2")
    browser.click("button-add-to-cart")
    assert browser.page.url == "https://shop.example/cart"
    browser.click("link-checkout")
    browser.type("textbox-name", "Ada Lovelace")
    browser.type("textbox-street", "1 Analytical Way")
    browser.click("button-continue-to-review")
    assert browser.page.status == 422  # postcode and city missing
    alert = "\n".join(browser.page.text())
    assert "Postcode is required." in alert and "City is required." in alert
    browser.type("textbox-postcode", "N1 9GU")
    browser.type("textbox-city", "London")
    browser.click("radio-delivery-express")
    browser.click("button-continue-to-review")
    assert browser.page.url == "https://shop.example/checkout/review"
    assert any("(express)" in line for line in browser.page.text())
    browser.click("button-place-order")
    assert browser.page.url.endswith("/confirmation")
    order_id = browser.page.url.split("/")[-2]
    order = world.http.get(f"https://api.shop.example/v1/orders/{order_id}", headers=AUTH).json()
    assert order["customer_id"] == "cus_301" and order["status"] == "paid"
    assert order["items"][0]["quantity"] == 2


def test_an_api_change_shows_on_the_next_page_load(world) -> None:
    browser = world.browser
    browser.goto("https://shop.example/products/prod_101")
    world.http.patch(
        "https://api.shop.example/v1/products/prod_101", json={"price_cents": 999}, headers=AUTH
    )
    browser.goto("https://shop.example/products/prod_101")
    assert any("€9.99" in line for line in browser.page.text())


def test_admin_settings_change_is_what_the_api_returns(world) -> None:
    browser = world.browser
    browser.goto("https://admin.shop.example/settings")
    assert browser.page.url.startswith("https://admin.shop.example/login")
    browser.type("textbox-username", "ops")
    browser.type("textbox-password", "admin-pw")
    browser.submit("form-login")
    assert browser.page.url == "https://admin.shop.example/settings"
    browser.select("select-refund-window", "60 days")
    browser.click("checkbox-maintenance-mode")
    browser.click("button-save-settings")
    assert any("Settings saved." in line for line in browser.page.text())
    settings = world.http.get("https://api.shop.example/v1/settings", headers=AUTH).json()
    assert settings["refund_window_days"] == 60 and settings["maintenance_mode"] is True


def test_pagination_and_back_forward(world) -> None:
    browser = world.browser
    browser.goto("https://shop.example/search?q=e")
    assert "link-next-page" in browser.page.elements
    browser.click("link-next-page")
    assert "page=2" in browser.page.url
    browser.back()
    assert browser.page.url == "https://shop.example/search?q=e"
    browser.forward()
    assert "page=2" in browser.page.url
    with pytest.raises(BrowserError, match="no later page"):
        browser.forward()


def test_status_pages(world) -> None:
    browser = world.browser
    browser.goto("https://shop.example/nowhere")
    assert browser.page.status == 404 and "404" in browser.page.title
    browser.goto("https://shop.example/products/prod_999")
    assert browser.page.status == 404


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda b: b.click("link-dessk-lamp"), "did you mean link-desk-lamp"),
        (lambda b: b.type("link-desk-lamp", "x"), "is a link"),
        (lambda b: b.select("textbox-q", "x"), "not a drop-down"),
        (lambda b: b.click("textbox-q"), "type into it"),
    ],
)
def test_errors_the_actor_can_learn_from(world, action, message) -> None:
    world.browser.goto("https://shop.example/")
    with pytest.raises(BrowserError, match=message):
        action(world.browser)


def test_before_any_page_and_unknown_sites(world) -> None:
    with pytest.raises(BrowserError, match="browser_goto"):
        world.browser.click("link-home")
    with pytest.raises(BrowserError, match="can't be reached"):
        world.browser.goto("https://www.google.com/")


def test_reset_forgets_cookies_history_and_orders(logged_in) -> None:
    world = logged_in
    baseline_orders = world.records.count("shop", "orders")
    world.browser.goto("https://shop.example/products/prod_102")
    world.browser.click("button-add-to-cart")
    world.reset()
    assert world.browser.page is None and world.browser.history == []
    assert not world.browser.cookies
    assert world.records.count("shop", "orders") == baseline_orders
    assert world.records.count("shop", "carts") == 0


def test_more_error_paths(world) -> None:
    browser = world.browser
    browser.goto("https://shop.example/")
    with pytest.raises(BrowserError, match="not in a form"):
        browser.submit("link-home")
    with pytest.raises(BrowserError, match="part"):
        browser.render(page_number=9)
    with pytest.raises(BrowserError, match="http:// and https://"):
        browser.goto("ftp://shop.example/")
    assert browser.find("no such text anywhere") == []


def test_a_calendar_conflict_shows_on_the_booking_page(tmp_path) -> None:
    from scenarios.build import build_world
    from scenarios.library import load_bundled

    world = build_world(load_bundled("book-review-in-calendar"))
    browser = world.browser
    browser.goto("https://calendar.acme.example/new")
    browser.type("textbox-email", "ada.berg@acme.example")
    browser.type("textbox-password", "cal-ada-2026")
    browser.submit("form-login")
    browser.goto("https://calendar.acme.example/new")
    with pytest.raises(BrowserError, match="has no option '7 minutes'; options: 15 minutes"):
        browser.select("select-duration", "7 minutes")
    for _ in range(2):  # the second booking of the same slot clashes
        browser.goto("https://calendar.acme.example/new")
        browser.type("textbox-title", "Design review")
        browser.type("textbox-date", "2026-01-07")
        browser.type("textbox-start", "10:00")
        browser.type("textbox-attendees", "tomas.haddad@acme.example")
        browser.click("button-create-event")
    assert browser.page.status == 409
    assert any("conflict" in line.lower() or "busy" in line.lower() for line in browser.page.text())


def _every_site_world():
    from scenarios.build import build_world
    from scenarios.schema import Scenario

    scenario = Scenario.model_validate(
        {
            "id": "all-sites", "title": "t", "task": "t", "tools": ["browser_*"],
            "services": {"shop": {}, "mail": {}, "helpdesk": {}, "calendar": {}},
            "sites": {name: {"accounts": []}
                      for name in ("storefront", "admin", "webmail", "portal", "calendar")},
            "goal": [{"check": "answer_contains", "text": "x"}],
            "solutions": {"a": [{"tool": "submit", "arguments": {"answer": "x"}}]},
        }
    )  # fmt: skip
    return build_world(scenario)


def test_every_footer_link_opens_a_real_page() -> None:
    browser = _every_site_world().browser
    hosts = ("shop.example", "admin.shop.example", "mail.acme.example",
             "support.acme.example", "calendar.acme.example")  # fmt: skip
    for host in hosts:
        browser.goto(f"https://{host}/login")
        for link, heading in (("link-help", "# Help — "), ("link-privacy", "# Privacy")):
            page = browser.click(link)
            assert page.status == 200, (host, link)
            text = "\n".join(page.text())
            assert heading in text and "[link-home-page] Back to the home page" in text
            assert "does not exist" not in text
            browser.back()


def test_maintenance_mode_shows_a_notice_on_the_storefront(world) -> None:
    browser = world.browser
    browser.goto("https://shop.example/")
    assert not any("Maintenance" in line for line in browser.page.text())
    world.http.patch(
        "https://api.shop.example/v1/settings", json={"maintenance_mode": True}, headers=AUTH
    )
    browser.goto("https://shop.example/")
    text = "\n".join(browser.page.text())
    assert "status:\n    Maintenance: the shop is being worked on right now" in text
