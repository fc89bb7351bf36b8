"""Typed shop tools: the SDK path through the same routes as ``http_request``."""

from __future__ import annotations

from pydantic import BaseModel, Field

from sandbox.tool import ToolResult, tool
from sandbox.world import World
from tools.api_client import SortedPageArgs, call_api, show, show_page
from tools.shop.models import OrderStatus
from tools.shop.routes import SHOP


class ListProductsArgs(SortedPageArgs):
    category: str | None = None
    q: str | None = Field(default=None, description="Text in the product name or SKU.")


@tool()
def shop_list_products(world: World, args: ListProductsArgs) -> str | ToolResult:
    """List shop products (one page; follow next_cursor for more)."""
    return show_page(call_api(world, SHOP, "GET", "/products", query=args.model_dump()))


class ProductArgs(BaseModel):
    product_id: str = Field(description="e.g. prod_101")


@tool()
def shop_get_product(world: World, args: ProductArgs) -> str:
    """Get one product: price, stock, active flag."""
    return show(call_api(world, SHOP, "GET", f"/products/{args.product_id}"))


class UpdateProductArgs(ProductArgs):
    price_cents: int | None = Field(default=None, ge=0)
    stock: int | None = Field(default=None, ge=0)
    active: bool | None = None


@tool()
def shop_update_product(world: World, args: UpdateProductArgs) -> str:
    """Change a product's price (cents), stock or active flag."""
    body = args.model_dump(exclude={"product_id"}, exclude_none=True)
    return show(call_api(world, SHOP, "PATCH", f"/products/{args.product_id}", body=body))


class ListCustomersArgs(SortedPageArgs):
    email: str | None = None
    q: str | None = Field(default=None, description="Text in the customer's name.")


@tool()
def shop_list_customers(world: World, args: ListCustomersArgs) -> str | ToolResult:
    """List shop customers, optionally by email or name text."""
    return show_page(call_api(world, SHOP, "GET", "/customers", query=args.model_dump()))


class ListOrdersArgs(SortedPageArgs):
    status: OrderStatus | None = None
    customer_id: str | None = None


@tool()
def shop_list_orders(world: World, args: ListOrdersArgs) -> str | ToolResult:
    """List orders (one page), filtered by status or customer; sort by created_at or total_cents."""
    query = args.model_dump(mode="json")
    return show_page(call_api(world, SHOP, "GET", "/orders", query=query))


class OrderArgs(BaseModel):
    order_id: str = Field(description="e.g. ord_1012")


@tool()
def shop_get_order(world: World, args: OrderArgs) -> str:
    """Get one order with its items, status and refunds."""
    return show(call_api(world, SHOP, "GET", f"/orders/{args.order_id}"))


class RefundArgs(OrderArgs):
    reason: str = Field(description="Why the order is refunded (kept on the refund).")
    amount_cents: int | None = Field(
        default=None, ge=1, description="Omit to refund everything not yet refunded."
    )


@tool()
def shop_refund_order(world: World, args: RefundArgs) -> str:
    """Refund an order, fully or in part (amount_cents)."""
    body = args.model_dump(exclude={"order_id"}, exclude_none=True)
    return show(call_api(world, SHOP, "POST", f"/orders/{args.order_id}/refunds", body=body))


@tool()
def shop_cancel_order(world: World, args: OrderArgs) -> str:
    """Cancel a pending or paid order (shipped orders must be refunded instead)."""
    return show(call_api(world, SHOP, "POST", f"/orders/{args.order_id}/cancel"))


class CreateCartArgs(BaseModel):
    customer_id: str = Field(description="e.g. cus_101")


@tool()
def shop_create_cart(world: World, args: CreateCartArgs) -> str:
    """Open an empty cart for a customer."""
    return show(call_api(world, SHOP, "POST", "/carts", body=args.model_dump()))


class AddToCartArgs(BaseModel):
    cart_id: str
    product_id: str
    quantity: int = Field(default=1, ge=1, le=100)


@tool()
def shop_add_to_cart(world: World, args: AddToCartArgs) -> str:
    """Add a quantity of a product to a cart."""
    body = args.model_dump(exclude={"cart_id"})
    return show(call_api(world, SHOP, "POST", f"/carts/{args.cart_id}/items", body=body))


class CartArgs(BaseModel):
    cart_id: str


@tool()
def shop_checkout(world: World, args: CartArgs) -> str:
    """Check a cart out: it becomes a paid order and stock is taken."""
    return show(call_api(world, SHOP, "POST", f"/carts/{args.cart_id}/checkout"))


class NoArgs(BaseModel):
    pass


@tool()
def shop_get_settings(world: World, args: NoArgs) -> str:
    """Get the store settings (name, support email, free-shipping threshold, refund window)."""
    return show(call_api(world, SHOP, "GET", "/settings"))


class UpdateSettingsArgs(BaseModel):
    store_name: str | None = None
    support_email: str | None = None
    free_shipping_threshold_cents: int | None = Field(default=None, ge=0)
    refund_window_days: int | None = Field(default=None, ge=0, le=365)
    maintenance_mode: bool | None = None


@tool()
def shop_update_settings(world: World, args: UpdateSettingsArgs) -> str:
    """Change store settings (only the fields given)."""
    body = args.model_dump(exclude_none=True)
    return show(call_api(world, SHOP, "PATCH", "/settings", body=body))


SHOP_TOOLS = (
    shop_list_products,
    shop_get_product,
    shop_update_product,
    shop_list_customers,
    shop_list_orders,
    shop_get_order,
    shop_refund_order,
    shop_cancel_order,
    shop_create_cart,
    shop_add_to_cart,
    shop_checkout,
    shop_get_settings,
    shop_update_settings,
)
