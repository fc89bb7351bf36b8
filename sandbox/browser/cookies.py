"""The browser's cookie jar: host-only cookies, as the sandbox's sites set them.

The sites set ``name=value; Path=/; …`` with no ``Domain`` (so a cookie goes back only to the
host that set it) and end one with ``Max-Age=0``. That is all this jar implements, which is
what makes it cheap next to ``http.cookiejar`` (whose policy machinery cost more per page than
the site's own handler); a cookie with a ``Domain`` or a narrower ``Path`` is kept host-only.
"""

from __future__ import annotations

from collections.abc import Iterable


class CookieJar:
    def __init__(self) -> None:
        self._by_host: dict[str, dict[str, str]] = {}

    def header_for(self, host: str) -> str | None:
        """The ``Cookie`` header a request to ``host`` carries (None: no cookies)."""
        cookies = self._by_host.get(host)
        if not cookies:
            return None
        return "; ".join(f"{name}={value}" for name, value in cookies.items())

    def take(self, host: str, set_cookie_headers: Iterable[str]) -> None:
        """Store (or, with ``Max-Age`` ≤ 0, delete) the cookies of a response from ``host``."""
        for header in set_cookie_headers:
            pair, _, attributes = header.partition(";")
            name, equals, value = pair.partition("=")
            name = name.strip()
            if not equals or not name:
                continue
            if _expires_now(attributes):
                self._by_host.get(host, {}).pop(name, None)
            else:
                self._by_host.setdefault(host, {})[name] = value.strip()

    def get(self, name: str, host: str | None = None) -> str | None:
        """A cookie's value (on ``host``, or on any host)."""
        hosts = [host] if host is not None else list(self._by_host)
        for each in hosts:
            value = self._by_host.get(each, {}).get(name)
            if value is not None:
                return value
        return None

    def clear(self) -> None:
        self._by_host.clear()

    def __bool__(self) -> bool:
        return any(self._by_host.values())


def _expires_now(attributes: str) -> bool:
    for attribute in attributes.split(";"):
        key, _, value = attribute.partition("=")
        if key.strip().lower() == "max-age":
            try:
                return int(value.strip()) <= 0
            except ValueError:
                return False
    return False
