"""What a page handler raises to show the site's error page instead of its own."""

from __future__ import annotations


class PageError(Exception):
    """Raised by a page handler: shown as the site's error page with this status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
