"""The browser's cookie jar: host-only cookies, deleted by Max-Age=0."""

from sandbox.browser.cookies import CookieJar


def test_cookies_go_back_only_to_the_host_that_set_them() -> None:
    jar = CookieJar()
    jar.take("shop.example", ["session=abc; Path=/; HttpOnly; Secure"])
    assert jar.header_for("shop.example") == "session=abc"
    assert jar.header_for("mail.example") is None
    assert jar.get("session") == "abc"
    assert jar.get("session", "mail.example") is None


def test_max_age_zero_deletes_and_a_later_cookie_replaces() -> None:
    jar = CookieJar()
    jar.take("shop.example", ["session=abc; Path=/", "consent=yes; Path=/; Max-Age=31536000"])
    jar.take("shop.example", ["session=; Path=/; Max-Age=0"])
    assert jar.header_for("shop.example") == "consent=yes"
    jar.take("shop.example", ["consent=no"])
    assert jar.get("consent") == "no"
    jar.clear()
    assert not jar


def test_malformed_set_cookie_headers_are_ignored() -> None:
    jar = CookieJar()
    jar.take("shop.example", ["no-equals-sign", "=value-without-name", "ok=1; Max-Age=soon"])
    assert jar.header_for("shop.example") == "ok=1"
