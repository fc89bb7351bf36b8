"""Typed payments tools (the SDK path through the same routes as ``http_request``)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from sandbox.tool import ToolResult, tool
from sandbox.world import World
from tools.api_client import SortedPageArgs, call_api, show, show_page
from tools.payments.models import ChargeStatus
from tools.payments.routes import PAYMENTS


class ListCustomersArgs(SortedPageArgs):
    email: str | None = None


@tool()
def payments_list_customers(world: World, args: ListCustomersArgs) -> str | ToolResult:
    """List payment customers, optionally by email."""
    return show_page(call_api(world, PAYMENTS, "GET", "/customers", query=args.model_dump()))


class CustomerArgs(BaseModel):
    customer_id: str = Field(description="e.g. pcus_101")


@tool()
def payments_get_customer(world: World, args: CustomerArgs) -> str:
    """Get one payment customer."""
    return show(call_api(world, PAYMENTS, "GET", f"/customers/{args.customer_id}"))


class ListChargesArgs(SortedPageArgs):
    customer_id: str | None = None
    status: ChargeStatus | None = None
    captured: bool | None = Field(default=None, description="false: authorisations not taken.")
    created_since: str | None = Field(
        default=None, description="Created on or after: a day (2026-01-01) or a UTC instant."
    )
    created_before: str | None = Field(default=None, description="Created before (day/instant).")


@tool()
def payments_list_charges(world: World, args: ListChargesArgs) -> str | ToolResult:
    """List charges (one page; follow next_cursor for more), by customer, status, captured or
    creation time; sort by created_at or amount_cents."""
    query = args.model_dump(mode="json")
    return show_page(call_api(world, PAYMENTS, "GET", "/charges", query=query))


class ChargeArgs(BaseModel):
    charge_id: str = Field(description="e.g. ch_1004")


@tool()
def payments_get_charge(world: World, args: ChargeArgs) -> str:
    """Get one charge with its refunds."""
    return show(call_api(world, PAYMENTS, "GET", f"/charges/{args.charge_id}"))


class CreateChargeArgs(BaseModel):
    customer_id: str
    amount_cents: int = Field(ge=1)
    description: str = ""
    capture: bool = Field(
        default=True, description="false: only authorise now; payments_capture_charge later."
    )
    idempotency_key: str | None = Field(
        default=None, description="Reuse the same key when retrying, so it charges only once."
    )


def _key(idempotency_key: str | None) -> dict[str, str]:
    return {"Idempotency-Key": idempotency_key} if idempotency_key else {}


@tool()
def payments_create_charge(world: World, args: CreateChargeArgs) -> str:
    """Charge a customer. Pass an idempotency_key and reuse it on retries."""
    body = args.model_dump(exclude={"idempotency_key"})
    if body["capture"]:
        del body["capture"]  # the API's default; a plain charge sends the plain body
    headers = _key(args.idempotency_key)
    return show(call_api(world, PAYMENTS, "POST", "/charges", body=body, headers=headers))


class RefundChargeArgs(ChargeArgs):
    reason: str
    amount_cents: int | None = Field(default=None, ge=1, description="Omit to refund the rest.")
    idempotency_key: str | None = None


@tool()
def payments_refund_charge(world: World, args: RefundChargeArgs) -> str:
    """Refund a charge fully or in part. Pass an idempotency_key and reuse it on retries."""
    body = args.model_dump(exclude={"charge_id", "idempotency_key"}, exclude_none=True)
    path = f"/charges/{args.charge_id}/refunds"
    return show(
        call_api(world, PAYMENTS, "POST", path, body=body, headers=_key(args.idempotency_key))
    )


class CaptureChargeArgs(ChargeArgs):
    idempotency_key: str | None = None


@tool()
def payments_capture_charge(world: World, args: CaptureChargeArgs) -> str:
    """Capture an authorised (capture=false) charge: the money is taken now."""
    path = f"/charges/{args.charge_id}/capture"
    return show(call_api(world, PAYMENTS, "POST", path, headers=_key(args.idempotency_key)))


class NoArgs(BaseModel):
    pass


@tool()
def payments_get_balance(world: World, args: NoArgs) -> str:
    """The account balance: available and pending cents."""
    return show(call_api(world, PAYMENTS, "GET", "/balance"))


PAYMENTS_TOOLS = (
    payments_list_customers,
    payments_get_customer,
    payments_list_charges,
    payments_get_charge,
    payments_create_charge,
    payments_capture_charge,
    payments_refund_charge,
    payments_get_balance,
)
