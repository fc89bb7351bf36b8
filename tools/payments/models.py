"""The payment provider's resources. Money is in integer cents."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from sandbox.rest import PageQuery
from tools.timerange import DAY_OR_INSTANT


class ChargeStatus(StrEnum):
    succeeded = "succeeded"
    failed = "failed"
    refunded = "refunded"
    partially_refunded = "partially_refunded"


class Customer(BaseModel):
    id: str
    name: str
    email: str
    created_at: str


class Refund(BaseModel):
    id: str
    charge_id: str
    amount_cents: int
    reason: str
    created_at: str


class Charge(BaseModel):
    id: str
    customer_id: str
    amount_cents: int = Field(ge=1)
    currency: str = "EUR"
    description: str = ""
    status: ChargeStatus
    captured: bool = Field(
        default=True,
        description="False for an authorisation held but not yet taken (capture it to take it).",
    )
    refunded_cents: int = 0
    created_at: str
    refunds: list[Refund] = Field(default_factory=list)


class ChargeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer_id: str
    amount_cents: int = Field(ge=1, le=10_000_000)
    currency: str = Field(default="EUR", pattern=r"^[A-Z]{3}$")
    description: str = Field(default="", max_length=500)
    capture: bool = Field(
        default=True,
        description="False to only authorise now and capture later (POST /charges/{id}/capture).",
    )


class RefundCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    amount_cents: int | None = Field(default=None, ge=1, description="Omit to refund the rest.")
    reason: str = Field(min_length=1, max_length=500)


class Balance(BaseModel):
    available_cents: int
    pending_cents: int
    refunded_cents: int
    currency: str = "EUR"


class ChargeQuery(PageQuery):
    customer_id: str | None = None
    status: ChargeStatus | None = None
    captured: bool | None = None
    created_since: str | None = Field(
        default=None, pattern=DAY_OR_INSTANT, description="Created on or after, e.g. 2026-01-01."
    )
    created_before: str | None = Field(
        default=None, pattern=DAY_OR_INSTANT, description="Created before, e.g. 2026-02-01."
    )


class CustomerQuery(PageQuery):
    email: str | None = None
