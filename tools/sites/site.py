"""A website served on the world's mock network, rendered with Jinja2 from the services' state.

Like a ``Service`` it is a static description installed on a world as one respx route for its
host. Pages are handlers returning HTML (autoescaped templates) or a redirect; sessions live in
the world's records (``<site>:_sessions``, bookkeeping: reset covers them, diffs do not) behind a
cookie, so logging in is real cookie handling through the browser's httpx client.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import jinja2

from sandbox.service import Service
from tools.sites.errors import PageError
from tools.sites.internal import grant

if TYPE_CHECKING:
    from sandbox.world import World

log = logging.getLogger(__name__)

TEMPLATES = jinja2.Environment(
    loader=jinja2.PackageLoader("tools.sites", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    auto_reload=False,
    cache_size=-1,
)
TEMPLATES.filters["money"] = lambda cents: f"€{int(cents) / 100:,.2f}"
for _name in TEMPLATES.list_templates(extensions=["html"]):
    TEMPLATES.get_template(_name)  # compiled now: serving a page never reads from disk

__all__ = ["Html", "PageError", "Redirect", "Site", "Visit", "add_login"]

SESSIONS = "_sessions"
ACCOUNTS = "_accounts"


@dataclass
class Html:
    body: str
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Visit:
    """One request to a site, as its page handlers see it."""

    world: World
    site: Site
    request: httpx.Request
    params: dict[str, str]
    query: dict[str, str]
    form: dict[str, str]
    session_id: str | None
    session: dict[str, Any] | None
    set_cookies: list[str] = field(default_factory=list)

    def render(self, template: str, status: int = 200, **context: Any) -> Html:
        body = TEMPLATES.get_template(template).render(
            site=self.site, session=self.session, path=self.request.url.path, **context
        )
        return Html(body, status)

    def redirect(self, location: str, status: int = 303) -> Html:
        return Html("", status, {"Location": location})

    def login(self, account: dict[str, Any]) -> None:
        session_id = self.world.ids.next(f"{self.site.name}_sess")
        self.session_id = session_id
        self.session = {"id": session_id, "account": account["id"], **account.get("extra", {})}
        self.save_session()
        self.set_cookies.append(f"{self.site.cookie}={session_id}; Path=/; HttpOnly; Secure")

    def logout(self) -> None:
        if self.session_id:
            self.world.records.delete(self.site.name, SESSIONS, self.session_id)
        self.session = None
        self.set_cookies.append(f"{self.site.cookie}=; Path=/; Max-Age=0")

    def save_session(self) -> None:
        if self.session_id and self.session is not None:
            self.world.records.put(self.site.name, SESSIONS, self.session_id, self.session)

    def page_number(self) -> int:
        """``?page=`` (1 when absent); anything but a whole number is the site's 400 page."""
        raw = self.query.get("page", "").strip() or "1"
        try:
            return int(raw)
        except ValueError:
            raise PageError(400, "The page number must be a whole number.") from None

    def cookie(self, name: str) -> str | None:
        return _cookie(self.request, name)

    def account(self, account_id: str) -> dict[str, Any] | None:
        return self.world.records.get(self.site.name, ACCOUNTS, account_id)

    def require_login(self) -> dict[str, Any]:
        if self.session is None:
            if self.request.method == "GET":
                query = self.request.url.query.decode()
                wanted = self.request.url.path + (f"?{query}" if query else "")
            else:  # after logging in, go back to the page the form was on
                referer = urlsplit(self.request.headers.get("referer", "/"))
                wanted = referer.path + (f"?{referer.query}" if referer.query else "")
            raise Redirect(f"/login?{urlencode({'next': wanted})}")
        return self.session


class Redirect(Exception):
    """Raised by a page handler to send the browser elsewhere (303)."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


PageHandler = Callable[[Visit], Html]


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: PageHandler

    @cached_property
    def pattern(self) -> re.Pattern[str]:
        return re.compile(
            "^" + re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(self.path)) + "$"
        )


class Site:
    def __init__(
        self,
        name: str,
        host: str,
        *,
        title: str,
        backends: tuple[Service, ...] = (),
        help: tuple[str, ...] = (),
    ) -> None:
        self.name = name
        self.backends = backends
        self.host = host
        self.title = title
        self.base_url = f"https://{host}"
        self.cookie = f"{name}_session"
        self.help = help
        self.routes: list[Route] = []
        self.page("GET", "/help")(_help_page)  # every footer links these two
        self.page("GET", "/privacy")(_privacy_page)

    def page(self, method: str, path: str) -> Callable[[PageHandler], PageHandler]:
        def register(handler: PageHandler) -> PageHandler:
            self.routes.append(Route(method.upper(), path, handler))
            return handler

        return register

    def install(self, world: World, accounts: list[dict[str, Any]]) -> None:
        world.network.serve(
            self.host, lambda request: self.handle(world, request), name=f"site:{self.name}"
        )
        for account in accounts:
            world.records.put(self.name, ACCOUNTS, account["id"], account)
        for service in self.backends:
            grant(world, service)

    def handle(self, world: World, request: httpx.Request) -> httpx.Response:
        visit: Visit | None = None
        try:
            route, params = self._match(request)
            visit = self._visit(world, request, params)
            result = route.handler(visit)
        except Redirect as redirect:
            result = Html("", 303, {"Location": redirect.location})
        except PageError as error:
            result = self._error_page(error.status, error.message)
        except Exception:  # a bug in a page: a 500 page, as a real site shows
            log.exception("page %s %s failed", request.method, request.url)
            result = self._error_page(500, "Something went wrong on our side. Try again later.")
        headers = [
            ("Content-Type", "text/html; charset=utf-8"),
            *result.headers.items(),
            *(("Set-Cookie", cookie) for cookie in (visit.set_cookies if visit else [])),
        ]
        return httpx.Response(
            result.status, content=result.body.encode("utf-8"), headers=headers, request=request
        )

    def _match(self, request: httpx.Request) -> tuple[Route, dict[str, str]]:
        path = request.url.path or "/"
        matched = [(r, m) for r in self.routes if (m := r.pattern.match(path))]
        if not matched:
            raise PageError(404, f"The page {path} does not exist.")
        for route, match in matched:
            if route.method == request.method:
                return route, match.groupdict()
        raise PageError(405, f"{request.method} is not allowed on {path}.")

    def _visit(self, world: World, request: httpx.Request, params: dict[str, str]) -> Visit:
        form: dict[str, str] = {}
        if request.method == "POST" and request.content:
            form = dict(parse_qsl(request.content.decode("utf-8"), keep_blank_values=True))
        session_id = _cookie(request, self.cookie)
        session = world.records.get(self.name, SESSIONS, session_id) if session_id else None
        return Visit(
            world=world,
            site=self,
            request=request,
            params=params,
            query=dict(request.url.params),
            form=form,
            session_id=session_id if session else None,
            session=session,
        )

    def _error_page(self, status: int, message: str) -> Html:
        body = TEMPLATES.get_template("error.html").render(
            site=self, status=status, message=message, session=None, path=""
        )
        return Html(body, status)


def _help_page(visit: Visit) -> Html:
    site = visit.site
    paragraphs = [
        *site.help,
        f"Trouble logging in? Ask your administrator to check your {site.title} account.",
    ]
    return visit.render("info.html", heading=f"Help — {site.title}", paragraphs=paragraphs)


def _privacy_page(visit: Visit) -> Html:
    site = visit.site
    paragraphs = [
        f"{site.title} keeps one cookie, {site.cookie}, while you are logged in, so that the "
        "pages know who you are. Logging out deletes it.",
        "What you do here is stored with your account, as the records of the service behind "
        "this site. Nothing is shared with third parties.",
    ]
    return visit.render("info.html", heading="Privacy", paragraphs=paragraphs)


def _cookie(request: httpx.Request, name: str) -> str | None:
    for part in request.headers.get("cookie", "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name and value:
            return value
    return None


def add_login(
    site: Site,
    template: str,
    *,
    home: str = "/",
    context: Callable[[Visit], dict[str, Any]] = lambda visit: {},
    session_extra: Callable[[dict[str, Any]], dict[str, Any]] = lambda account: {},
) -> None:
    """The usual three pages: ``GET /login`` (the form), ``POST /login`` (a refused login is a
    401 page naming the problem; success goes to the page asked for, same site only) and
    ``POST /logout``. The form's login field is ``email``."""

    def render(visit: Visit, status: int = 200, **values: Any) -> Html:
        return visit.render(template, status=status, **context(visit), **values)

    def login_form(visit: Visit) -> Html:
        return render(visit, next=visit.query.get("next", home), email="")

    def login(visit: Visit) -> Html:
        email = visit.form.get("email", "").strip().lower()
        account = visit.account(email)
        if account is None or account.get("password") != visit.form.get("password"):
            return render(
                visit,
                status=401,
                email=email,
                next=visit.form.get("next", home),
                errors=["Wrong email or password."],
            )
        visit.login(account | {"extra": session_extra(account)})
        target = visit.form.get("next") or home
        return visit.redirect(target if target.startswith("/") else home)

    def logout(visit: Visit) -> Html:
        visit.logout()
        return visit.redirect("/login")

    site.page("GET", "/login")(login_form)
    site.page("POST", "/login")(login)
    site.page("POST", "/logout")(logout)
