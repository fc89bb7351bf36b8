"""The shop: catalogue, customers, carts, orders, refunds and inventory at
``https://api.shop.example/v1``."""

from tools.shop.routes import SHOP
from tools.shop.tools import SHOP_TOOLS

__all__ = ["SHOP", "SHOP_TOOLS"]
