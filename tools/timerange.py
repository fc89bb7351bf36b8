"""Date-range query parameters shared by the services' list endpoints (``since``/``before``
style): a day (``2026-01-01``, midnight UTC) or an instant with a zone (``…T09:00:00Z``),
compared as instants rather than as strings."""

from __future__ import annotations

from datetime import UTC, datetime

from sandbox.service import HttpError

DAY_OR_INSTANT = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$"


def instant(text: str) -> datetime:
    """``text`` as an aware UTC datetime (a bare day is its midnight UTC)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def bounds(
    since: str | None, before: str | None, *, names: tuple[str, str] = ("since", "before")
) -> tuple[datetime | None, datetime | None]:
    """The parsed range; a 400 naming the parameter when it is empty or backwards."""
    low = instant(since) if since else None
    high = instant(before) if before else None
    if low is not None and high is not None and high <= low:
        raise HttpError(
            400,
            f"{names[1]} ({before}) must be after {names[0]} ({since})",
            code="bad_query_parameter",
            field=names[1],
        )
    return low, high


def within(value: str, low: datetime | None, high: datetime | None) -> bool:
    """Whether the ISO instant ``value`` lies in ``[low, high)``."""
    moment = instant(value)
    return (low is None or moment >= low) and (high is None or moment < high)
