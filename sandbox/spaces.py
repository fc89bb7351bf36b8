"""Gymnasium spaces for text observations and actions.

Gymnasium's ``Text`` space accepts only alphanumerics by default, so a Unicode observation
fails ``check_env``. ``AnyText`` samples like ``Text`` but contains any string within its bounds.
"""

from __future__ import annotations

from typing import Any

from gymnasium import spaces


class AnyText(spaces.Text):
    def contains(self, x: Any) -> bool:
        return isinstance(x, str) and self.min_length <= len(x) <= self.max_length

    def __repr__(self) -> str:
        return f"AnyText({self.min_length}, {self.max_length})"
