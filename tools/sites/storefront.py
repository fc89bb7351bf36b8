"""The shop's storefront at https://shop.example: browse, search, cart, a two-step checkout.

A product's page reads the shop API (``GET /products/{id}``), and anything that changes the
shop (cart, checkout) goes through it too: in-process, through the shop API's own handlers and
the world's fault injector (as ``caller="site"``), so buying here creates exactly the order
``GET /v1/orders/{id}`` returns, by the same rules, and a fault aimed at one of those routes
reaches the page that calls it. The listings (home, search) still read the records.
"""

from __future__ import annotations

import math
from typing import Any
from urllib.parse import quote

from tools.shop import SHOP
from tools.sites.internal import api, api_ok, error_message
from tools.sites.site import Html, PageError, Site, Visit

STOREFRONT = Site(
    "storefront",
    "shop.example",
    title="Acme Shop",
    backends=(SHOP,),
    help=(
        "Find a product with the search box, open it, choose a quantity and add it to your "
        "cart. Checkout takes two steps: shipping details, then a review where you place the "
        "order. Your orders are listed under My orders once you are logged in.",
    ),
)
PAGE_SIZE = 5
CONSENT = "cookie_consent"


def _context(visit: Visit) -> dict[str, Any]:
    data = visit.world.records
    settings = data.get("shop", "settings", "store") or {
        "store_name": STOREFRONT.title,
        "free_shipping_threshold_cents": 0,
    }
    cart = _cart(visit)
    return {
        "settings": settings,
        "cart_count": sum(item["quantity"] for item in cart["items"]) if cart else 0,
        "show_cookie_notice": visit.cookie(CONSENT) is None,
        "flash": None,
        "errors": [],
    }


def _cart(visit: Visit) -> dict[str, Any] | None:
    cart_id = (visit.session or {}).get("cart_id")
    return visit.world.records.get("shop", "carts", cart_id) if cart_id else None


LISTING_LIMIT = 100


def _active_products(visit: Visit) -> list[dict[str, Any]]:
    """Every active product, paged through ``GET /products`` as the storefront's backend would
    (so a fault on that route reaches the home and search pages too)."""
    products: list[dict[str, Any]] = []
    cursor: str | None = None
    while True:
        path = f"/products?active=true&limit={LISTING_LIMIT}"
        answer = api_ok(visit.world, SHOP, "GET", path + (f"&cursor={cursor}" if cursor else ""))
        products.extend(p for p in answer["data"] if p["active"])
        cursor = answer.get("next_cursor")
        if not answer.get("has_more") or not cursor:
            return products


def _product(visit: Visit, product_id: str) -> dict[str, Any] | None:
    """One product from ``GET /products/{id}``; ``None`` when the shop does not know it."""
    status, answer = api(visit.world, SHOP, "GET", f"/products/{quote(product_id, safe='')}")
    if status == 404:
        return None
    if status >= 400 or not isinstance(answer, dict):
        raise PageError(status if status >= 400 else 502, error_message(SHOP, status, answer))
    return answer


@STOREFRONT.page("GET", "/")
def home(visit: Visit) -> Html:
    return visit.render(
        "storefront/home.html", products=_active_products(visit)[:6], **_context(visit)
    )


@STOREFRONT.page("POST", "/cookies")
def accept_cookies(visit: Visit) -> Html:
    visit.set_cookies.append(f"{CONSENT}=yes; Path=/; Max-Age=31536000")
    return visit.redirect(visit.request.headers.get("referer") or "/")


@STOREFRONT.page("GET", "/search")
def search(visit: Visit) -> Html:
    q = visit.query.get("q", "").strip()
    needle = q.lower()
    results = [
        p for p in _active_products(visit) if needle in p["name"].lower() or needle in p["category"]
    ]
    pages = max(1, math.ceil(len(results) / PAGE_SIZE))
    page = visit.page_number()
    if not 1 <= page <= pages:
        raise PageError(404, f"There is no page {page} of results for “{q}”.")
    shown = results[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    return visit.render(
        "storefront/search.html", q=q, results=shown, page=page, pages=pages, **_context(visit)
    )


@STOREFRONT.page("GET", "/products/{product_id}")
def product(visit: Visit) -> Html:
    record = _product(visit, visit.params["product_id"])
    if record is None or not record["active"]:
        raise PageError(404, "This product does not exist or is no longer sold.")
    return visit.render("storefront/product.html", product=record, **_context(visit))


@STOREFRONT.page("GET", "/login")
def login_form(visit: Visit) -> Html:
    return visit.render(
        "storefront/login.html", next=visit.query.get("next", "/"), email="", **_context(visit)
    )


@STOREFRONT.page("POST", "/login")
def login(visit: Visit) -> Html:
    email = visit.form.get("email", "").strip().lower()
    account = visit.account(email)
    if account is None or account.get("password") != visit.form.get("password"):
        context = _context(visit) | {"errors": ["Wrong email or password."]}
        return visit.render(
            "storefront/login.html",
            status=401,
            next=visit.form.get("next", "/"),
            email=email,
            **context,
        )
    visit.login(account | {"extra": {"customer_id": account["customer_id"]}})
    target = visit.form.get("next") or "/"
    return visit.redirect(target if target.startswith("/") else "/")


@STOREFRONT.page("POST", "/logout")
def logout(visit: Visit) -> Html:
    visit.logout()
    return visit.redirect("/")


@STOREFRONT.page("POST", "/cart/items")
def add_to_cart(visit: Visit) -> Html:
    session = visit.require_login()
    product_id = visit.form.get("product_id", "")
    try:
        quantity = int(visit.form.get("quantity", "1"))
    except ValueError:
        quantity = 0
    record = visit.world.records.get("shop", "products", product_id)
    if record is None:
        raise PageError(404, "This product does not exist.")
    if quantity < 1:
        context = _context(visit) | {"errors": ["Quantity must be a whole number of at least 1."]}
        return visit.render("storefront/product.html", status=422, product=record, **context)
    cart_id = session.get("cart_id")
    if cart_id is None or _cart(visit) is None or _cart(visit)["status"] != "open":  # type: ignore[index]
        cart = api_ok(visit.world, SHOP, "POST", "/carts", {"customer_id": session["customer_id"]})
        cart_id = cart["id"]
        session["cart_id"] = cart_id
        visit.save_session()
    status, body = api(
        visit.world,
        SHOP,
        "POST",
        f"/carts/{cart_id}/items",
        {"product_id": product_id, "quantity": quantity},
    )
    if status >= 400:
        context = _context(visit) | {"errors": [body["error"]["message"]]}
        return visit.render("storefront/product.html", status=status, product=record, **context)
    return visit.redirect("/cart")


@STOREFRONT.page("POST", "/cart/items/{product_id}/remove")
def remove_from_cart(visit: Visit) -> Html:
    session = visit.require_login()
    if session.get("cart_id"):
        api_ok(
            visit.world,
            SHOP,
            "DELETE",
            f"/carts/{session['cart_id']}/items/{visit.params['product_id']}",
        )
    return visit.redirect("/cart")


@STOREFRONT.page("GET", "/cart")
def cart(visit: Visit) -> Html:
    visit.require_login()
    return visit.render("storefront/cart.html", cart=_cart(visit), **_context(visit))


SHIPPING_FIELDS = {
    "name": "Full name",
    "street": "Street and number",
    "postcode": "Postcode",
    "city": "City",
}


@STOREFRONT.page("GET", "/checkout")
def checkout_form(visit: Visit) -> Html:
    session = visit.require_login()
    if not (_cart(visit) or {}).get("items"):
        return visit.redirect("/cart")
    form = session.get("shipping") or dict.fromkeys(SHIPPING_FIELDS, "") | {"delivery": "standard"}
    return visit.render("storefront/checkout.html", form=form, **_context(visit))


@STOREFRONT.page("POST", "/checkout")
def checkout_shipping(visit: Visit) -> Html:
    session = visit.require_login()
    form = {name: visit.form.get(name, "").strip() for name in SHIPPING_FIELDS}
    form["delivery"] = visit.form.get("delivery", "standard")
    errors = [f"{label} is required." for name, label in SHIPPING_FIELDS.items() if not form[name]]
    if form["postcode"] and not form["postcode"].replace(" ", "").isalnum():
        errors.append("Postcode may only contain letters and digits.")
    if form["delivery"] not in ("standard", "express"):
        errors.append("Choose a delivery option.")
    if errors:
        context = _context(visit) | {"errors": errors}
        return visit.render("storefront/checkout.html", status=422, form=form, **context)
    session["shipping"] = form
    visit.save_session()
    return visit.redirect("/checkout/review")


@STOREFRONT.page("GET", "/checkout/review")
def checkout_review(visit: Visit) -> Html:
    session = visit.require_login()
    if not session.get("shipping"):
        return visit.redirect("/checkout")
    if not (_cart(visit) or {}).get("items"):
        return visit.redirect("/cart")
    return visit.render(
        "storefront/review.html", shipping=session["shipping"], cart=_cart(visit), **_context(visit)
    )


@STOREFRONT.page("POST", "/checkout/confirm")
def place_order(visit: Visit) -> Html:
    session = visit.require_login()
    if not session.get("shipping") or not session.get("cart_id"):
        return visit.redirect("/checkout")
    status, body = api(visit.world, SHOP, "POST", f"/carts/{session['cart_id']}/checkout")
    if status >= 400:
        context = _context(visit) | {"errors": [body["error"]["message"]]}
        return visit.render("storefront/cart.html", status=status, cart=_cart(visit), **context)
    session.pop("cart_id", None)
    session.pop("shipping", None)
    visit.save_session()
    return visit.redirect(f"/orders/{body['id']}/confirmation")


@STOREFRONT.page("GET", "/orders/{order_id}/confirmation")
def confirmation(visit: Visit) -> Html:
    session = visit.require_login()
    order = visit.world.records.get("shop", "orders", visit.params["order_id"])
    if order is None or order["customer_id"] != session["customer_id"]:
        raise PageError(404, "No such order in your account.")
    return visit.render("storefront/confirmation.html", order=order, **_context(visit))


@STOREFRONT.page("GET", "/account/orders")
def my_orders(visit: Visit) -> Html:
    session = visit.require_login()
    orders = [
        o
        for o in visit.world.records.list("shop", "orders")
        if o["customer_id"] == session["customer_id"]
    ]
    orders.sort(key=lambda o: o["created_at"], reverse=True)
    return visit.render("storefront/orders.html", orders=orders, **_context(visit))
