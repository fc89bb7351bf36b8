"""The calendar: people with time zones and working hours, events with attendees, free/busy
and double-booking conflicts at ``https://api.calendar.example/v1``."""

from tools.calendar.routes import CALENDAR
from tools.calendar.tools import CALENDAR_TOOLS

__all__ = ["CALENDAR", "CALENDAR_TOOLS"]
