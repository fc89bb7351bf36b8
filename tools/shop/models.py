"""The shop's resources. Money is in integer cents (``*_cents``), as payment APIs do."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from sandbox.rest import PageQuery


class OrderStatus(StrEnum):
    pending = "pending"
    paid = "paid"
    shipped = "shipped"
    delivered = "delivered"
    cancelled = "cancelled"
    refunded = "refunded"
    partially_refunded = "partially_refunded"


class Product(BaseModel):
    id: str
    sku: str
    name: str
    category: str
    price_cents: int = Field(ge=0)
    currency: str = "EUR"
    stock: int = Field(ge=0)
    active: bool = True


class ProductUpdate(BaseModel):
    model_config = {"extra": "forbid"}

    price_cents: int | None = Field(default=None, ge=0)
    stock: int | None = Field(default=None, ge=0)
    active: bool | None = None


class Customer(BaseModel):
    id: str
    name: str
    email: str
    created_at: str


class LineItem(BaseModel):
    product_id: str
    name: str
    quantity: int = Field(ge=1)
    unit_price_cents: int = Field(ge=0)


class Refund(BaseModel):
    id: str
    order_id: str
    amount_cents: int
    reason: str
    created_at: str


class Order(BaseModel):
    id: str
    customer_id: str
    items: list[LineItem]
    total_cents: int
    refunded_cents: int = 0
    currency: str = "EUR"
    status: OrderStatus
    created_at: str
    refunds: list[Refund] = Field(default_factory=list)


class RefundCreate(BaseModel):
    model_config = {"extra": "forbid"}

    amount_cents: int | None = Field(
        default=None, ge=1, description="Omit to refund everything not yet refunded."
    )
    reason: str = Field(min_length=1, max_length=500)


class Cart(BaseModel):
    id: str
    customer_id: str
    items: list[LineItem] = Field(default_factory=list)
    total_cents: int = 0
    status: str = "open"
    order_id: str | None = None


class CartCreate(BaseModel):
    model_config = {"extra": "forbid"}

    customer_id: str


class CartItemAdd(BaseModel):
    model_config = {"extra": "forbid"}

    product_id: str
    quantity: int = Field(default=1, ge=1, le=100)


class ProductQuery(PageQuery):
    category: str | None = None
    active: bool | None = None
    q: str | None = Field(default=None, description="Case-insensitive text in the name or SKU.")


class OrderQuery(PageQuery):
    status: OrderStatus | None = None
    customer_id: str | None = None


class CustomerQuery(PageQuery):
    email: str | None = None
    q: str | None = Field(default=None, description="Case-insensitive text in the name.")


class StoreSettings(BaseModel):
    id: str = "store"
    store_name: str
    support_email: str
    free_shipping_threshold_cents: int = Field(ge=0)
    refund_window_days: int = Field(ge=0, le=365)
    maintenance_mode: bool = False


class SettingsUpdate(BaseModel):
    model_config = {"extra": "forbid"}

    store_name: str | None = Field(default=None, min_length=1, max_length=80)
    support_email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")
    free_shipping_threshold_cents: int | None = Field(default=None, ge=0)
    refund_window_days: int | None = Field(default=None, ge=0, le=365)
    maintenance_mode: bool | None = None
