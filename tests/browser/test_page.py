"""Page parsing: stable ids, labels, forms, what is shown and what is not."""

from __future__ import annotations

from sandbox.browser.page import parse_page

PAGE = """<html><head><title>T</title><script>evil()</script></head><body>
<nav><a href="/">Home</a><a href="/cart">Cart (2)</a></nav>
<main>
<h1>Orders</h1>
<p>Some <b>bold</b> text</p>
<ul><li><a href="/o/1">Open</a></li><li><a href="/o/2">Open</a></li></ul>
<form id="f" action="/save" method="post">
  <label for="email">Email</label><input id="email" name="email" type="email" required>
  <label><input type="checkbox" name="news" checked> Newsletter</label>
  <select name="size"><option value="s">Small</option>
    <option value="m" selected>Medium</option></select>
  <input type="hidden" name="token" value="t1">
  <button>Save</button>
</form>
<div hidden><a href="/secret">Hidden</a></div>
</main></body></html>"""


def ids(html: str) -> list[str]:
    return list(parse_page("https://x.example/", 200, html).elements)


def test_ids_come_from_semantics() -> None:
    page = parse_page("https://x.example/", 200, PAGE)
    assert list(page.elements) == [
        "link-home", "link-cart", "link-open", "link-open-2",
        "textbox-email", "checkbox-news", "select-size", "button-save",
    ]  # fmt: skip
    assert page.elements["link-cart"].href == "https://x.example/cart"
    assert page.forms["form-f"].hidden == {"token": "t1"}
    assert page.forms["form-f"].method == "POST"
    assert page.elements["select-size"].value == "m"
    assert page.elements["checkbox-news"].checked
    assert page.elements["textbox-email"].required
    assert page.has_scripts


def test_an_unrelated_banner_does_not_move_ids() -> None:
    with_banner = PAGE.replace(
        "<main>",
        '<div role="banner"><a href="/sale">Sale!</a> <button>Dismiss</button></div><main>',
    )
    before = parse_page("https://x.example/", 200, PAGE).elements
    after = parse_page("https://x.example/", 200, with_banner).elements
    assert set(before) <= set(after)
    for element_id, element in before.items():
        assert after[element_id].name == element.name


def test_counts_in_names_do_not_change_ids() -> None:
    assert "link-cart" in ids(PAGE.replace("Cart (2)", "Cart (17)"))


def test_text_is_shown_and_hidden_things_are_not() -> None:
    page = parse_page("https://x.example/", 200, PAGE)
    text = "\n".join(page.text())
    assert "Some bold text" in text
    assert "# Orders" in text
    assert "Hidden" not in text and "evil" not in text
    assert "Email" in text and text.count("Email") == 1  # the label names the field once


def test_parsing_is_deterministic() -> None:
    first = parse_page("https://x.example/", 200, PAGE)
    second = parse_page("https://x.example/", 200, PAGE)
    assert first == second
