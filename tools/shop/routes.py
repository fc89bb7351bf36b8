"""The shop's HTTP API: routes and their rules (stock, order states, refunds)."""

from __future__ import annotations

from sandbox.rest import (
    add_token_endpoint,
    check_if_match,
    filter_and_sort,
    paginate,
    require,
    with_etag,
)
from sandbox.service import Call, HttpError, Reply, Service
from tools.shop.models import (
    Cart,
    CartCreate,
    CartItemAdd,
    Customer,
    CustomerQuery,
    LineItem,
    Order,
    OrderQuery,
    OrderStatus,
    Product,
    ProductQuery,
    ProductUpdate,
    Refund,
    RefundCreate,
    SettingsUpdate,
    StoreSettings,
)
from tools.shop.seed import generate

SHOP = Service(
    "shop",
    "https://api.shop.example/v1",
    title="Shop API",
    description="Catalogue, customers, carts, orders and refunds. Money is in integer cents.",
)
add_token_endpoint(SHOP)
SHOP.seed(generate)

REFUNDABLE = {
    OrderStatus.paid,
    OrderStatus.shipped,
    OrderStatus.delivered,
    OrderStatus.partially_refunded,
}
CANCELLABLE = {OrderStatus.pending, OrderStatus.paid}


# ---- products --------------------------------------------------------------------------------


@SHOP.endpoint(
    "GET", "/products", scope="products:read", query=ProductQuery, response=Product, paginated=True
)
def list_products(call: Call) -> dict:
    """List products, filtered by category, active flag or text."""
    records = call.data.view("products")
    if call.query.q:
        needle = call.query.q.lower()
        records = [r for r in records if needle in r["name"].lower() or needle in r["sku"].lower()]
    records = filter_and_sort(
        call, records, filters=("category", "active"), sortable=("price_cents", "name", "stock")
    )
    return paginate(call, records, "/products")


@SHOP.endpoint(
    "GET", "/products/{product_id}", scope="products:read", response=Product, errors=(404,)
)
def get_product(call: Call) -> dict:
    """Get one product."""
    return require(call, "products", call.params["product_id"], "product")


@SHOP.endpoint(
    "PATCH",
    "/products/{product_id}",
    scope="products:write",
    body=ProductUpdate,
    response=Product,
    errors=(404,),
)
def update_product(call: Call) -> dict:
    """Change a product's price, stock or active flag."""
    product = require(call, "products", call.params["product_id"], "product")
    product.update(call.body.model_dump(exclude_none=True))
    call.data.put("products", product["id"], product)
    return product


# ---- customers -------------------------------------------------------------------------------


@SHOP.endpoint(
    "GET",
    "/customers",
    scope="customers:read",
    query=CustomerQuery,
    response=Customer,
    paginated=True,
)
def list_customers(call: Call) -> dict:
    """List customers, filtered by email or name text."""
    records = call.data.view("customers")
    if call.query.q:
        records = [r for r in records if call.query.q.lower() in r["name"].lower()]
    records = filter_and_sort(call, records, filters=("email",), sortable=("name", "created_at"))
    return paginate(call, records, "/customers")


@SHOP.endpoint(
    "GET", "/customers/{customer_id}", scope="customers:read", response=Customer, errors=(404,)
)
def get_customer(call: Call) -> dict:
    """Get one customer."""
    return require(call, "customers", call.params["customer_id"], "customer")


# ---- orders and refunds ----------------------------------------------------------------------


@SHOP.endpoint(
    "GET", "/orders", scope="orders:read", query=OrderQuery, response=Order, paginated=True
)
def list_orders(call: Call) -> dict:
    """List orders, filtered by status or customer, sortable by created_at or total_cents."""
    records = filter_and_sort(
        call,
        call.data.view("orders"),
        filters=("status", "customer_id"),
        sortable=("created_at", "total_cents"),
    )
    return paginate(call, records, "/orders")


@SHOP.endpoint("GET", "/orders/{order_id}", scope="orders:read", response=Order, errors=(404,))
def get_order(call: Call) -> dict:
    """Get one order with its items and refunds."""
    return require(call, "orders", call.params["order_id"], "order")


@SHOP.endpoint(
    "POST", "/orders/{order_id}/cancel", scope="orders:write", response=Order, errors=(404, 409)
)
def cancel_order(call: Call) -> dict:
    """Cancel a pending or paid order (not once shipped); its stock goes back."""
    order = require(call, "orders", call.params["order_id"], "order")
    if order["status"] not in CANCELLABLE:
        raise HttpError(
            409,
            f"order {order['id']} is {order['status']}; only pending or paid orders can be "
            "cancelled (refund a shipped or delivered order instead)",
            code="invalid_state",
        )
    for item in order["items"]:
        product = call.data.get("products", item["product_id"])
        if product is not None:
            product["stock"] += item["quantity"]
            call.data.put("products", product["id"], product)
    order["status"] = OrderStatus.cancelled
    call.data.put("orders", order["id"], order)
    return order


@SHOP.endpoint(
    "POST",
    "/orders/{order_id}/refunds",
    scope="orders:write",
    body=RefundCreate,
    response=Refund,
    status=201,
    errors=(404, 409),
)
def refund_order(call: Call) -> Reply:
    """Refund all or part of a paid, shipped or delivered order."""
    order = require(call, "orders", call.params["order_id"], "order")
    remaining = order["total_cents"] - order["refunded_cents"]
    if order["status"] == OrderStatus.refunded or remaining <= 0:
        raise HttpError(
            409, f"order {order['id']} is already fully refunded", code="already_refunded"
        )
    if order["status"] not in REFUNDABLE:
        raise HttpError(
            409,
            f"order {order['id']} is {order['status']}; only paid, shipped or delivered orders "
            "can be refunded",
            code="invalid_state",
        )
    amount = call.body.amount_cents or remaining
    if amount > remaining:
        raise HttpError(
            422,
            f"amount_cents {amount} exceeds what is left to refund ({remaining})",
            code="validation_error",
            field="amount_cents",
        )
    refund = Refund(
        id=call.new_id("re"),
        order_id=order["id"],
        amount_cents=amount,
        reason=call.body.reason,
        created_at=call.now_iso(),
    ).model_dump(mode="json")
    order["refunds"].append(refund)
    order["refunded_cents"] += amount
    full = order["refunded_cents"] == order["total_cents"]
    order["status"] = OrderStatus.refunded if full else OrderStatus.partially_refunded
    call.data.put("orders", order["id"], order)
    return Reply(refund, status=201, headers={"Location": call.url(f"/orders/{order['id']}")})


# ---- carts and checkout ----------------------------------------------------------------------


@SHOP.endpoint(
    "POST", "/carts", scope="carts:write", body=CartCreate, response=Cart, status=201, errors=(404,)
)
def create_cart(call: Call) -> Reply:
    """Open an empty cart for a customer."""
    require(call, "customers", call.body.customer_id, "customer")
    cart = Cart(id=call.new_id("cart"), customer_id=call.body.customer_id).model_dump(mode="json")
    call.data.put("carts", cart["id"], cart)
    return Reply(cart, status=201, headers={"Location": call.url(f"/carts/{cart['id']}")})


@SHOP.endpoint("GET", "/carts/{cart_id}", scope="carts:write", response=Cart, errors=(404,))
def get_cart(call: Call) -> dict:
    """Get a cart."""
    return require(call, "carts", call.params["cart_id"], "cart")


def _open_cart(call: Call) -> dict:
    cart = require(call, "carts", call.params["cart_id"], "cart")
    if cart["status"] != "open":
        raise HttpError(
            409,
            f"cart {cart['id']} was already checked out (order {cart['order_id']})",
            code="cart_closed",
        )
    return cart


def _retotal(cart: dict) -> dict:
    cart["total_cents"] = sum(i["quantity"] * i["unit_price_cents"] for i in cart["items"])
    return cart


@SHOP.endpoint(
    "POST",
    "/carts/{cart_id}/items",
    scope="carts:write",
    body=CartItemAdd,
    response=Cart,
    errors=(404, 409),
)
def add_cart_item(call: Call) -> dict:
    """Add a product to a cart (quantities of the same product add up)."""
    cart = _open_cart(call)
    product = require(call, "products", call.body.product_id, "product")
    if not product["active"]:
        raise HttpError(409, f"product {product['id']} is not for sale", code="inactive_product")
    line = next((i for i in cart["items"] if i["product_id"] == product["id"]), None)
    wanted = call.body.quantity + (line["quantity"] if line else 0)
    if wanted > product["stock"]:
        raise HttpError(
            409,
            f"only {product['stock']} of {product['id']} in stock (cart would hold {wanted})",
            code="insufficient_stock",
        )
    if line:
        line["quantity"] = wanted
    else:
        cart["items"].append(
            LineItem(
                product_id=product["id"],
                name=product["name"],
                quantity=wanted,
                unit_price_cents=product["price_cents"],
            ).model_dump(mode="json")
        )
    call.data.put("carts", cart["id"], _retotal(cart))
    return cart


@SHOP.endpoint(
    "DELETE",
    "/carts/{cart_id}/items/{product_id}",
    scope="carts:write",
    response=Cart,
    errors=(404, 409),
)
def remove_cart_item(call: Call) -> dict:
    """Remove a product from a cart."""
    cart = _open_cart(call)
    kept = [i for i in cart["items"] if i["product_id"] != call.params["product_id"]]
    if len(kept) == len(cart["items"]):
        raise HttpError(404, f"product {call.params['product_id']!r} is not in the cart")
    cart["items"] = kept
    call.data.put("carts", cart["id"], _retotal(cart))
    return cart


@SHOP.endpoint(
    "POST",
    "/carts/{cart_id}/checkout",
    scope="carts:write",
    response=Order,
    status=201,
    errors=(404, 409),
)
def checkout(call: Call) -> Reply:
    """Turn a cart into a paid order; stock is taken."""
    cart = _open_cart(call)
    if not cart["items"]:
        raise HttpError(409, f"cart {cart['id']} is empty", code="empty_cart")
    for item in cart["items"]:
        product = require(call, "products", item["product_id"], "product")
        if item["quantity"] > product["stock"]:
            raise HttpError(
                409,
                f"only {product['stock']} of {product['id']} left in stock",
                code="insufficient_stock",
            )
        product["stock"] -= item["quantity"]
        call.data.put("products", product["id"], product)
    order = Order(
        id=call.new_id("ord"),
        customer_id=cart["customer_id"],
        items=cart["items"],
        total_cents=cart["total_cents"],
        status=OrderStatus.paid,
        created_at=call.now_iso(),
    ).model_dump(mode="json")
    call.data.put("orders", order["id"], order)
    cart.update(status="checked_out", order_id=order["id"])
    call.data.put("carts", cart["id"], cart)
    return Reply(order, status=201, headers={"Location": call.url(f"/orders/{order['id']}")})


# ---- store settings --------------------------------------------------------------------------


@SHOP.endpoint("GET", "/settings", scope="settings:read", response=StoreSettings, errors=(404,))
def get_settings(call: Call) -> Reply:
    """Get the store settings (with an ETag for safe updates)."""
    return with_etag(require(call, "settings", "store", "settings"))


@SHOP.endpoint(
    "PATCH",
    "/settings",
    scope="settings:write",
    body=SettingsUpdate,
    response=StoreSettings,
    errors=(404, 412),
)
def update_settings(call: Call) -> Reply:
    """Change store settings; send If-Match with the ETag you read to avoid lost updates."""
    settings = require(call, "settings", "store", "settings")
    check_if_match(call, settings)
    settings.update(call.body.model_dump(exclude_none=True))
    call.data.put("settings", "store", settings)
    return with_etag(settings)
