"""Every bundled tool and service, by name: scenarios choose theirs from here."""

from __future__ import annotations

from sandbox.service import Service
from sandbox.tool import Toolset
from tools.ask_user import ask_user
from tools.browser import BROWSER_TOOLS
from tools.calendar import CALENDAR, CALENDAR_TOOLS
from tools.files import FILE_TOOLS
from tools.helpdesk import HELPDESK, HELPDESK_TOOLS
from tools.http import http_request
from tools.mail import MAIL, MAIL_TOOLS
from tools.payments import PAYMENTS, PAYMENTS_TOOLS
from tools.shop import SHOP, SHOP_TOOLS
from tools.sites.admin import ADMIN
from tools.sites.calendar_site import CALENDAR_SITE
from tools.sites.portal import PORTAL
from tools.sites.site import Site
from tools.sites.storefront import STOREFRONT
from tools.sites.webmail import WEBMAIL
from tools.submit import submit
from tools.wait import wait

SERVICES: dict[str, Service] = {
    service.name: service for service in (SHOP, HELPDESK, CALENDAR, MAIL, PAYMENTS)
}
SITES: dict[str, Site] = {
    site.name: site for site in (STOREFRONT, ADMIN, WEBMAIL, PORTAL, CALENDAR_SITE)
}

ALL_TOOLS = Toolset(
    (
        *FILE_TOOLS,
        http_request,
        *SHOP_TOOLS,
        *HELPDESK_TOOLS,
        *CALENDAR_TOOLS,
        *MAIL_TOOLS,
        *PAYMENTS_TOOLS,
        *BROWSER_TOOLS,
        wait,
        ask_user,
        submit,
    )
)


def toolset_for(patterns: list[str]) -> Toolset:
    """The tools a scenario offers; ``submit`` is always included, last."""
    chosen = ALL_TOOLS.select([p for p in patterns if p != "submit"])
    return Toolset((*(chosen[name] for name in chosen), submit))
