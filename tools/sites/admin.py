"""The shop's admin pages at https://admin.shop.example: store settings behind a login.

Saving goes through the shop API's own ``PATCH /settings`` in-process, so a change made here is
what ``GET /v1/settings`` returns, with the same validation.
"""

from __future__ import annotations

from typing import Any

from tools.shop import SHOP
from tools.sites.internal import api, api_ok
from tools.sites.site import Html, Site, Visit

ADMIN = Site(
    "admin",
    "admin.shop.example",
    title="Acme Shop Admin",
    backends=(SHOP,),
    help=(
        "Settings changes the store's name, support email, free-shipping threshold, refund "
        "window and maintenance mode; saving applies them to the live shop at once. Products "
        "lists the catalogue with prices and stock.",
    ),
)


def _settings_form(settings: dict[str, Any]) -> dict[str, Any]:
    return {
        "store_name": settings["store_name"],
        "support_email": settings["support_email"],
        "free_shipping_eur": f"{settings['free_shipping_threshold_cents'] / 100:.2f}",
        "refund_window_days": settings["refund_window_days"],
        "maintenance_mode": settings["maintenance_mode"],
    }


@ADMIN.page("GET", "/")
def home(visit: Visit) -> Html:
    return visit.redirect("/settings" if visit.session else "/login")


@ADMIN.page("GET", "/login")
def login_form(visit: Visit) -> Html:
    return visit.render(
        "admin/login.html", next=visit.query.get("next", "/settings"), username="", errors=[]
    )


@ADMIN.page("POST", "/login")
def login(visit: Visit) -> Html:
    username = visit.form.get("username", "").strip()
    account = visit.account(username)
    if account is None or account.get("password") != visit.form.get("password"):
        return visit.render(
            "admin/login.html",
            status=401,
            next=visit.form.get("next", "/settings"),
            username=username,
            errors=["Wrong username or password."],
        )
    visit.login(account)
    target = visit.form.get("next") or "/settings"
    return visit.redirect(target if target.startswith("/") else "/settings")


@ADMIN.page("POST", "/logout")
def logout(visit: Visit) -> Html:
    visit.logout()
    return visit.redirect("/login")


@ADMIN.page("GET", "/settings")
def settings_page(visit: Visit) -> Html:
    visit.require_login()
    settings = api_ok(visit.world, SHOP, "GET", "/settings")
    return visit.render("admin/settings.html", form=_settings_form(settings), errors=[])


@ADMIN.page("POST", "/settings")
def save_settings(visit: Visit) -> Html:
    visit.require_login()
    form = visit.form
    errors: list[str] = []
    body: dict[str, Any] = {
        "store_name": form.get("store_name", "").strip(),
        "support_email": form.get("support_email", "").strip(),
        "maintenance_mode": form.get("maintenance_mode") == "on",
    }
    try:
        body["free_shipping_threshold_cents"] = round(
            float(form.get("free_shipping_eur", "")) * 100
        )
    except ValueError:
        errors.append("Free shipping from must be an amount in EUR, e.g. 50.00.")
    try:
        body["refund_window_days"] = int(form.get("refund_window_days", ""))
    except ValueError:
        errors.append("Choose a refund window.")
    if not errors:
        status, answer = api(visit.world, SHOP, "PATCH", "/settings", body)
        if status < 400:
            return visit.render(
                "admin/settings.html",
                form=_settings_form(answer),
                errors=[],
                flash="Settings saved.",
            )
        errors = [f"{d['field']}: {d['message']}" for d in answer["error"].get("details", [])] or [
            answer["error"]["message"]
        ]
    shown = {**form, "maintenance_mode": form.get("maintenance_mode") == "on"}
    return visit.render("admin/settings.html", status=422, form=shown, errors=errors)


@ADMIN.page("GET", "/products")
def products(visit: Visit) -> Html:
    visit.require_login()
    return visit.render(
        "admin/products.html", products=visit.world.records.list("shop", "products"), errors=[]
    )
