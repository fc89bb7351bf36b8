"""The payments API: charges and refunds honour ``Idempotency-Key`` (a retried request with
the same key replays the first answer instead of charging twice)."""

from __future__ import annotations

from datetime import timedelta

from sandbox.records import Record
from sandbox.rest import add_token_endpoint, filter_and_sort, paginate, require
from sandbox.service import Call, HttpError, Reply, Service
from tools.payments.models import (
    Balance,
    Charge,
    ChargeCreate,
    ChargeQuery,
    ChargeStatus,
    Customer,
    CustomerQuery,
    Refund,
    RefundCreate,
)
from tools.payments.seed import generate
from tools.timerange import bounds, within

PAYMENTS = Service(
    "payments",
    "https://api.payments.example/v1",
    title="Payments API",
    description="Customers, charges, refunds and balance. Money is in integer cents. POST "
    "requests accept an Idempotency-Key header: retrying with the same key is safe.",
)
add_token_endpoint(PAYMENTS)
PAYMENTS.seed(generate)
PENDING_DAYS = 2


def is_captured(charge: Record) -> bool:
    """A charge record's ``captured`` (records written without it: captured unless failed)."""
    return bool(charge.get("captured", charge["status"] != ChargeStatus.failed))


def view(charge: Record) -> Record:
    """The charge as the API shows it (``captured`` always present)."""
    return {**charge, "captured": is_captured(charge)}


@PAYMENTS.endpoint(
    "GET",
    "/customers",
    scope="customers:read",
    query=CustomerQuery,
    response=Customer,
    paginated=True,
)
def list_customers(call: Call) -> dict:
    """List customers, optionally by email."""
    records = filter_and_sort(
        call, call.data.view("customers"), filters=("email",), sortable=("name", "created_at")
    )
    return paginate(call, records, "/customers")


@PAYMENTS.endpoint(
    "GET", "/customers/{customer_id}", scope="customers:read", response=Customer, errors=(404,)
)
def get_customer(call: Call) -> dict:
    """Get one customer."""
    return require(call, "customers", call.params["customer_id"], "customer")


@PAYMENTS.endpoint(
    "GET", "/charges", scope="charges:read", query=ChargeQuery, response=Charge, paginated=True
)
def list_charges(call: Call) -> dict:
    """List charges, by customer, status, captured or creation time; sort by created_at or
    amount_cents."""
    query: ChargeQuery = call.query
    low, high = bounds(
        query.created_since, query.created_before, names=("created_since", "created_before")
    )
    records = [
        view(charge)
        for charge in call.data.view("charges")
        if within(charge["created_at"], low, high)
        and (query.captured is None or is_captured(charge) == query.captured)
    ]
    records = filter_and_sort(
        call, records, filters=("customer_id", "status"), sortable=("created_at", "amount_cents")
    )
    return paginate(call, records, "/charges")


@PAYMENTS.endpoint(
    "GET", "/charges/{charge_id}", scope="charges:read", response=Charge, errors=(404,)
)
def get_charge(call: Call) -> dict:
    """Get one charge with its refunds."""
    return view(require(call, "charges", call.params["charge_id"], "charge"))


@PAYMENTS.endpoint(
    "POST",
    "/charges",
    scope="charges:write",
    body=ChargeCreate,
    response=Charge,
    status=201,
    errors=(404,),
    idempotent=True,
)
def create_charge(call: Call) -> Reply:
    """Charge a customer (send an Idempotency-Key to make retries safe); with capture=false
    the amount is only authorised until captured."""
    require(call, "customers", call.body.customer_id, "customer")
    charge = Charge(
        id=call.new_id("ch"),
        customer_id=call.body.customer_id,
        amount_cents=call.body.amount_cents,
        currency=call.body.currency,
        description=call.body.description,
        status=ChargeStatus.succeeded,
        captured=call.body.capture,
        created_at=call.now_iso(),
    ).model_dump(mode="json")
    call.data.put("charges", charge["id"], charge)
    return Reply(charge, status=201, headers={"Location": call.url(f"/charges/{charge['id']}")})


@PAYMENTS.endpoint(
    "POST",
    "/charges/{charge_id}/refunds",
    scope="charges:write",
    body=RefundCreate,
    response=Refund,
    status=201,
    errors=(404, 409),
    idempotent=True,
)
def refund_charge(call: Call) -> Reply:
    """Refund a charge fully or in part (send an Idempotency-Key to make retries safe)."""
    charge = require(call, "charges", call.params["charge_id"], "charge")
    if charge["status"] == ChargeStatus.failed:
        raise HttpError(409, f"charge {charge['id']} failed; nothing was taken", code="failed")
    remaining = charge["amount_cents"] - charge["refunded_cents"]
    if remaining <= 0:
        raise HttpError(
            409, f"charge {charge['id']} is already fully refunded", code="already_refunded"
        )
    amount = call.body.amount_cents or remaining
    if not is_captured(charge) and amount != remaining:
        raise HttpError(
            422,
            f"charge {charge['id']} is an uncaptured authorisation: it is released whole; "
            "omit amount_cents",
            code="validation_error",
            field="amount_cents",
        )
    if amount > remaining:
        raise HttpError(
            422,
            f"amount_cents {amount} exceeds the {remaining} left to refund",
            code="validation_error",
            field="amount_cents",
        )
    refund = Refund(
        id=call.new_id("pre"),
        charge_id=charge["id"],
        amount_cents=amount,
        reason=call.body.reason,
        created_at=call.now_iso(),
    ).model_dump(mode="json")
    charge["refunds"].append(refund)
    charge["refunded_cents"] += amount
    full = charge["refunded_cents"] == charge["amount_cents"]
    charge["status"] = ChargeStatus.refunded if full else ChargeStatus.partially_refunded
    call.data.put("charges", charge["id"], charge)
    return Reply(refund, status=201)


@PAYMENTS.endpoint(
    "POST",
    "/charges/{charge_id}/capture",
    scope="charges:write",
    response=Charge,
    errors=(404, 409),
    idempotent=True,
)
def capture_charge(call: Call) -> dict:
    """Capture an authorised (capture=false) charge: the money is taken now."""
    charge = view(require(call, "charges", call.params["charge_id"], "charge"))
    if charge["status"] == ChargeStatus.failed:
        raise HttpError(409, f"charge {charge['id']} failed; nothing to capture", code="failed")
    if charge["status"] == ChargeStatus.refunded:
        raise HttpError(
            409,
            f"charge {charge['id']} was released by a refund; create a new charge instead",
            code="released",
        )
    if charge["captured"]:
        raise HttpError(409, f"charge {charge['id']} is already captured", code="already_captured")
    charge["captured"] = True
    call.data.put("charges", charge["id"], charge)
    return charge


@PAYMENTS.endpoint("GET", "/balance", scope="charges:read", response=Balance)
def get_balance(call: Call) -> Balance:
    """The account balance: settled (available) and recent (pending) net captured charges."""
    cutoff = (call.now() - timedelta(days=PENDING_DAYS)).isoformat().replace("+00:00", "Z")
    available = pending = refunded = 0
    for charge in call.data.list("charges"):
        if charge["status"] == ChargeStatus.failed or not is_captured(charge):
            continue
        net = charge["amount_cents"] - charge["refunded_cents"]
        refunded += charge["refunded_cents"]
        if charge["created_at"] >= cutoff:
            pending += net
        else:
            available += net
    return Balance(available_cents=available, pending_cents=pending, refunded_cents=refunded)
