"""Payments: customers, charges, refunds and the balance at ``https://api.payments.example/v1``."""

from tools.payments.routes import PAYMENTS
from tools.payments.tools import PAYMENTS_TOOLS

__all__ = ["PAYMENTS", "PAYMENTS_TOOLS"]
