"""The world's text-mode browser: URL, history, cookies, the loaded page and what was typed.

Requests go through the world's mock network (so sites, services and injected faults are the
same for the browser as for the API tools) with the browser's own cookie jar. Redirects
(301/302/303/307/308) are followed and a 303 turns a POST into a GET, as browsers do. The
browser is a state layer: reset empties it; it adds nothing to diffs (the sites' records do).

History: going back or forward to a page that came from a GET loads it again (the current
state, as a browser revalidating). A page that was the answer to a form POST (no redirect
after it: a form with errors, a "Reply added." page) is kept with its history entry and shown
as it was, marked as such — nothing is sent again; to resend, submit the form again. (Browsers
ask before resubmitting; sending silently would repeat the action, failing it with 405 would
lose the page.)
"""

from __future__ import annotations

import difflib
import html
import json
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import httpx

from sandbox.browser import parts
from sandbox.browser.cookies import CookieJar
from sandbox.browser.page import MARKER, Element, Page, describe, parse_page
from sandbox.errors import ToolError
from sandbox.network import Network, parsed_url
from sandbox.types import Change

MAX_REDIRECTS = 10
BROWSER_HEADERS = {"User-Agent": "agent-sandbox-browser/1.0", "Accept": "text/html"}
LINES_PER_PAGE = parts.LINES_PER_PART


class BrowserError(ToolError):
    """An action the page does not allow (unknown element, wrong kind of element, …)."""


@dataclass
class Visit:
    method: str
    url: str
    data: dict[str, str] | None = None


class Browser:
    def __init__(self, network: Network) -> None:
        self._network = network
        self.cookies = CookieJar()
        self.history: list[str] = []
        self.kept: list[Page | None] = []  # per history entry: the page, if it answered a POST
        self.position = -1
        self.from_history = False  # the page shown is a kept one (not loaded again)
        self.page: Page | None = None
        self.values: dict[str, Any] = {}  # element id → typed text / checked flag / option
        self.requested: str | None = None  # the URL the last navigation asked for

    # ---- navigation ------------------------------------------------------------------------

    def goto(self, url: str) -> Page:
        if "://" not in url:
            url = "https://" + url
        elif not url.lower().startswith(("http://", "https://")):
            raise BrowserError(
                f"cannot open {url!r}: this browser opens http:// and https:// pages only",
                type="invalid_url",
            )
        return self._navigate(Visit("GET", url))

    def back(self) -> Page:
        if self.position <= 0:
            raise BrowserError("there is no earlier page in this tab's history", type="no_history")
        self.position -= 1
        return self._revisit()

    def forward(self) -> Page:
        if self.position >= len(self.history) - 1:
            raise BrowserError("there is no later page to go forward to", type="no_history")
        self.position += 1
        return self._revisit()

    def _revisit(self) -> Page:
        kept = self.kept[self.position]
        if kept is None:
            return self._load(Visit("GET", self.history[self.position]), record=False)
        self.page, self.values, self.requested = kept, {}, kept.url
        self.from_history = True
        return kept

    def _navigate(self, visit: Visit) -> Page:
        return self._load(visit, record=True)

    def _request(self, method: str, url: str, data: dict[str, str] | None) -> httpx.Response:
        """One request as a browser sends it: its headers, the page it came from, the cookies
        of the host; the response's cookies kept. Straight through the network's transport
        (faults included), without a full httpx client: redirects are followed by ``_load``."""
        host = parsed_url(url).host  # the parse Network.send reuses
        headers = dict(BROWSER_HEADERS)
        if self.page is not None:
            headers["Referer"] = self.page.url
        cookie = self.cookies.header_for(host)
        if cookie is not None:
            headers["Cookie"] = cookie
        response = self._network.send(method, url, headers=headers, data=data)
        self.cookies.take(host, response.headers.get_list("set-cookie"))
        return response

    def _load(self, visit: Visit, *, record: bool) -> Page:
        method, url, data = visit.method, visit.url, visit.data
        for _ in range(MAX_REDIRECTS + 1):
            try:
                response = self._request(method, url, data)
            except httpx.TimeoutException:
                raise BrowserError(
                    f"the page {url} took too long to load (timeout); try again",
                    type="timeout",
                ) from None
            except httpx.ConnectError as error:
                raise BrowserError(
                    f"this site can't be reached: {error}", type="connect_error"
                ) from None
            except (httpx.InvalidURL, httpx.UnsupportedProtocol) as error:
                raise BrowserError(f"invalid URL {url!r}: {error}", type="invalid_url") from None
            location = response.headers.get("location")
            if response.status_code in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                if response.status_code in (301, 302, 303):
                    method, data = "GET", None
                continue
            break
        else:
            raise BrowserError(f"too many redirects from {visit.url}", type="redirect_loop")
        self.page = parse_page(url, response.status_code, _as_html(response))
        self.requested = visit.url
        self.values = {}
        self.from_history = False
        kept = self.page if method == "POST" else None
        if record:
            del self.history[self.position + 1 :]
            del self.kept[self.position + 1 :]
            self.history.append(url)
            self.kept.append(kept)
            self.position = len(self.history) - 1
        else:
            self.history[self.position] = url
            self.kept[self.position] = kept
        return self.page

    # ---- elements --------------------------------------------------------------------------

    def require_page(self) -> Page:
        if self.page is None:
            raise BrowserError("no page is open; start with browser_goto(url)", type="no_page")
        return self.page

    def element(self, element_id: str) -> Element:
        page = self.require_page()
        found = page.elements.get(element_id)
        if found is None:
            nearest = _nearest(element_id, list(page.elements))
            hint = f"; did you mean {', '.join(nearest)}?" if nearest else ""
            raise BrowserError(
                f"no element {element_id!r} on {page.url}{hint} "
                "(ids are shown in [brackets] in the page)",
                type="no_such_element",
            )
        return found

    def current(self, element: Element) -> Any:
        default = element.checked if element.role in ("checkbox", "radio") else element.value
        return self.values.get(element.id, default)

    def type(self, element_id: str, text: str) -> Element:
        element = self.element(element_id)
        if element.role != "textbox":
            raise BrowserError(
                f"{element_id} is a {element.role} ({element.name!r}), not a text field; "
                + ("use browser_select" if element.role == "select" else "use browser_click"),
                type="not_typeable",
            )
        self._check_enabled(element)
        self.values[element.id] = text
        return element

    def select(self, element_id: str, option: str) -> Element:
        element = self.element(element_id)
        if element.role != "select":
            raise BrowserError(
                f"{element_id} is a {element.role}, not a drop-down; only select elements "
                "take browser_select",
                type="not_selectable",
            )
        self._check_enabled(element)
        for value, label in element.options:
            if option in (value, label) or option.lower() == label.lower():
                self.values[element.id] = value
                return element
        labels = ", ".join(label for _, label in element.options)
        raise BrowserError(
            f"{element_id} has no option {option!r}; options: {labels}", type="no_such_option"
        )

    def click(self, element_id: str) -> Page | Element:
        element = self.element(element_id)
        self._check_enabled(element)
        if element.role == "link":
            assert element.href is not None
            return self._navigate(Visit("GET", element.href))
        if element.role == "checkbox":
            self.values[element.id] = not self.current(element)
            return element
        if element.role == "radio":
            page = self.require_page()
            for other in page.elements.values():
                same_group = other.field_name == element.field_name and other.form == element.form
                if other.role == "radio" and same_group:
                    self.values[other.id] = other.id == element.id
            return element
        if element.role == "button":
            if element.form is None:
                raise BrowserError(
                    f"{element_id} ({element.name!r}) does nothing without scripts "
                    "(scripts are not executed in this browser)",
                    type="inert_element",
                )
            return self.submit(element.form, via=element)
        raise BrowserError(
            f"{element_id} is a {element.role}; type into it with browser_type "
            "(or browser_select for a drop-down)",
            type="not_clickable",
        )

    def submit(self, target_id: str, via: Element | None = None) -> Page:
        page = self.require_page()
        form = page.forms.get(target_id)
        if form is None and target_id not in page.elements:
            nearest = _nearest(target_id, [*page.forms, *page.elements])
            hint = f"; did you mean {', '.join(nearest)}?" if nearest else ""
            forms = ", ".join(page.forms) or "none"
            raise BrowserError(
                f"no form or field {target_id!r} on {page.url}{hint} (forms here: {forms})",
                type="no_such_element",
            )
        if form is None:
            element = self.element(target_id)
            if element.form is None:
                raise BrowserError(f"{target_id} is not in a form", type="no_form")
            form = page.forms[element.form]
        data: dict[str, str] = dict(form.hidden)
        for element_id in form.fields:
            element = page.elements[element_id]
            if element.field_name is None or element.disabled or element.role == "button":
                continue
            value = self.current(element)
            if element.role in ("checkbox", "radio"):
                if value:
                    data[element.field_name] = element.value
            else:
                data[element.field_name] = str(value)
        if via is not None and via.field_name:
            data[via.field_name] = via.value
        if form.method == "GET":
            split = urlsplit(form.action)
            url = split._replace(query=urlencode(data), fragment="").geturl()
            return self._navigate(Visit("GET", url))
        return self._navigate(Visit("POST", form.action, data))

    @staticmethod
    def _check_enabled(element: Element) -> None:
        if element.disabled:
            raise BrowserError(f"{element.id} is disabled", type="disabled_element")

    # ---- the observation -------------------------------------------------------------------

    def render(self, page_number: int = 1, per_page: int = LINES_PER_PAGE) -> str:
        """The page's ``page_number``-th part: at most ``per_page`` lines and about
        ``parts.CHARS_PER_PART`` characters (long lines are cut), so every part is bounded."""
        page = self.require_page()
        cut = parts.split([self._line(line) for line in page.lines], per_page)
        pages = len(cut.parts)
        if not 1 <= page_number <= pages:
            raise BrowserError(
                f"page {page_number} does not exist; this page has {pages} part(s)",
                type="bad_page_number",
            )
        chunk = cut.parts[page_number - 1]
        header = [f"{page.title or '(untitled)'} — {page.url} [{page.status}]"]
        if self.from_history:
            header.append(
                "(from history: this page answered a form you sent; it is shown as it was and "
                "nothing was sent again — submit the form again to resend)"
            )
        if page.has_scripts:
            header.append("(scripts on this page are not executed)")
        footer = []
        if pages > 1:
            footer.append(
                f"[part {page_number} of {pages}; browser_read(page={page_number + 1}) for more]"
                if page_number < pages
                else f"[part {page_number} of {pages}]"
            )
        return "\n".join(header + chunk + footer)

    def _line(self, line: str) -> str:
        page = self.page
        assert page is not None
        return MARKER.sub(lambda match: describe(self._shown(page.elements[match[1]])), line)

    def _shown(self, element: Element) -> Element:
        if element.id not in self.values:
            return element
        value = self.values[element.id]
        if element.role in ("checkbox", "radio"):
            return replace(element, checked=bool(value))
        return replace(element, value=str(value))

    def find(self, text: str) -> list[str]:
        """Each line with ``text`` as a bounded snippet around the match; on a page of several
        parts, prefixed with the part it is in (for browser_read)."""
        page = self.require_page()
        needle = text.lower()
        lines = [self._line(line) for line in page.lines]
        cut = parts.split(lines)
        several = len(cut.parts) > 1
        return [
            (f"(part {cut.first_part[index]}) " if several else "") + parts.snippet(line, needle)
            for index, line in enumerate(lines)
            if needle in line.lower()
        ]

    # ---- the StateLayer protocol -----------------------------------------------------------

    def mark_baseline(self) -> None:
        pass

    def restore_baseline(self) -> None:
        self.history, self.position, self.page, self.values = [], -1, None, {}
        self.kept, self.requested, self.from_history = [], None, False
        self.cookies.clear()

    def take_step_changes(self) -> list[Change]:
        return []

    def baseline_changes(self) -> list[Change]:
        return []

    def snapshot(self) -> dict[str, Any]:
        return {}

    def close(self) -> None:
        self.cookies.clear()


def _as_html(response: httpx.Response) -> str:
    """The response as a page: HTML as it is; anything else (a JSON error from a fault, plain
    text) as preformatted text under its status, a JSON ``error.message`` as the page's alert."""
    kind = response.headers.get("content-type", "text/html").split(";")[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml", ""):
        return response.text
    title = f"{response.status_code} {response.reason_phrase}".strip()
    text, alert = response.text, ""
    try:
        decoded = json.loads(text)
    except ValueError:
        decoded = None
    if decoded is not None:
        text = json.dumps(decoded, indent=2, ensure_ascii=False)
        error = decoded.get("error") if isinstance(decoded, dict) else None
        message = error.get("message") if isinstance(error, dict) else None
        if isinstance(message, str) and message:
            alert = f'<div role="alert"><p>{html.escape(message)}</p></div>'
    return (
        f"<html><head><title>{html.escape(title)}</title></head><body><h1>{html.escape(title)}"
        f"</h1>{alert}<pre>{html.escape(text)}</pre></body></html>"
    )


def _nearest(wanted: str, ids: list[str], limit: int = 3) -> list[str]:
    """The ids most like ``wanted``: close matches first, then ids of the same role, then
    whichever ids are most alike (difflib) — so a page with elements always suggests some."""
    close = difflib.get_close_matches(wanted, ids, n=limit, cutoff=0.4)
    if close:
        return close
    role = wanted.split("-", 1)[0]
    same_role = [i for i in ids if i.startswith(role + "-")]
    if same_role:
        return same_role[:limit]
    ranked = sorted(ids, key=lambda i: -difflib.SequenceMatcher(None, wanted, i).ratio())
    return ranked[:limit]
