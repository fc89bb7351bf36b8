"""The helpdesk: tickets with status rules and ETags, comments and agents at
``https://api.helpdesk.example/v1``."""

from tools.helpdesk.routes import HELPDESK
from tools.helpdesk.tools import HELPDESK_TOOLS

__all__ = ["HELPDESK", "HELPDESK_TOOLS"]
