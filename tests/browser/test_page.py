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


def _keeps_every_id(before_html: str, after_html: str) -> dict[str, str]:
    """Every element of ``before_html`` has the same id (and name and href) after the change;
    returns the ids that are new."""
    before = parse_page("https://x.example/", 200, before_html).elements
    after = parse_page("https://x.example/", 200, after_html).elements
    for element_id, element in before.items():
        assert element_id in after, f"{element_id} disappeared"
        moved = after[element_id]
        assert (moved.name, moved.href, moved.field_name) == (
            element.name,
            element.href,
            element.field_name,
        ), f"{element_id} now points at another element"
    return {i: e.name for i, e in after.items() if i not in before}


def test_a_banner_repeating_a_name_does_not_take_its_id() -> None:
    banner = '<header><a href="/sale">Open</a> <button>Search</button></header>'
    new = _keeps_every_id(PAGE, PAGE.replace("<body>", "<body>" + banner))
    assert new == {"link-open-banner": "Open", "button-search": "Search"}
    dialog = '<div role="dialog" aria-label="Promo"><a href="/x">Home</a></div>'
    new = _keeps_every_id(PAGE, PAGE.replace("<main>", dialog + "<main>"))
    assert new == {"link-home-dialog-promo": "Home"}


def test_a_second_form_with_the_same_fields_keeps_the_first_forms_ids() -> None:
    search = (
        '<form id="search" action="/search"><input type="search" name="q" aria-label="Search">'
        "<button>Search</button></form>"
    )
    page = PAGE.replace("</nav>", search + "</nav>")
    quick = search.replace('id="search"', 'id="quick-search"')
    in_header = page.replace("<body>", f"<body><header>{quick}</header>")  # before the first
    in_content = page.replace("</main>", f"{quick}</main>")  # after it
    for changed in (in_header, in_content):
        new = _keeps_every_id(page, changed)
        assert set(new) == {"textbox-q-quick-search", "button-search-quick-search"}
        parsed = parse_page("https://x.example/", 200, changed)
        assert set(parsed.forms) == {"form-f", "form-search", "form-quick-search"}
        assert parsed.forms["form-quick-search"].fields == [
            "textbox-q-quick-search",
            "button-search-quick-search",
        ]
        assert parsed.elements["textbox-q"].form == "form-search"


def test_same_named_siblings_are_numbered_inside_their_container_only() -> None:
    orders = (
        '<ul id="archived"><li><a href="/o/9">Open</a></li><li><a href="/o/8">Open</a></li></ul>'
    )
    new = _keeps_every_id(PAGE, PAGE.replace("</main>", orders + "</main>"))
    assert new == {"link-open-archived": "Open", "link-open-archived-2": "Open"}
    shown = "\n".join(
        parse_page("https://x.example/", 200, PAGE.replace("</main>", orders + "</main>")).text()
    )
    assert "[link-open-archived-2] Open" in shown and "form form-f:" in shown


def test_an_unknown_id_always_gets_suggestions() -> None:
    from sandbox.browser.browser import _nearest

    page_ids = ["link-home", "link-cart", "textbox-email", "button-save"]
    assert _nearest("link-hom", page_ids)[0] == "link-home"  # a close match
    assert _nearest("widget-zzz", page_ids)  # no role like it, nothing close: still some
    assert len(_nearest("q", page_ids)) == 3
    assert _nearest("anything", []) == []
