"""A loaded page as the actor sees it: an accessibility-tree-like text with stable element ids.

An element's id comes from what it *is* — its role and its id, name, label or text
(``link-desk-lamp``, ``textbox-email``, ``button-place-order``); names that clash are told
apart inside their container (``sandbox.browser.ids``), never by a counter over the page, so
the same element keeps its id across runs and when unrelated parts of the page change. Scripts
are not executed; the page is parsed once with lexbor (selectolax) and kept.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import urljoin

from selectolax.lexbor import LexborHTMLParser, LexborNode

from sandbox.browser.ids import Claim, assign

SKIPPED = {"script", "style", "template", "noscript", "head", "svg", "iframe"}
BLOCKS = {
    "address", "article", "aside", "blockquote", "dd", "details", "dialog", "div", "dl", "dt",
    "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tbody",
    "thead", "tfoot", "tr", "ul", "caption",
}  # fmt: skip
LANDMARKS = {
    "nav": "navigation",
    "header": "banner",
    "footer": "footer",
    "aside": "complementary",
    "dialog": "dialog",
}
SECONDARY_ROLES = {"banner", "contentinfo", "complementary", "dialog", "alert", "status"}
SECONDARY_TAGS = {"header", "footer", "aside", "dialog"}
NAMED_CONTAINERS = {"ul", "ol", "table", "section", "article", "fieldset", "div"}
TEXT_INPUTS = {"text", "email", "password", "search", "tel", "url", "date", "time", "number", ""}
_SPACE = re.compile(r"\s+")
_SLUG = re.compile(r"[^a-z0-9]+")
_COUNT = re.compile(r"\s*\(\d+\)\s*$")
_TOKEN = re.compile("\x02\\d+\x02")


@dataclass
class Element:
    """Something the actor can act on."""

    id: str
    role: str  # link, button, textbox, checkbox, radio, select
    name: str
    tag: str
    href: str | None = None
    field_name: str | None = None  # the form field it submits under
    value: str = ""
    checked: bool = False
    disabled: bool = False
    required: bool = False
    multiline: bool = False
    input_type: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)  # (value, label)
    form: str | None = None  # the id of the form it belongs to


@dataclass
class Form:
    id: str
    action: str
    method: str
    fields: list[str] = field(default_factory=list)  # element ids, in order
    hidden: dict[str, str] = field(default_factory=dict)


@dataclass
class Page:
    url: str
    status: int
    title: str
    lines: list[str]
    elements: dict[str, Element]
    forms: dict[str, Form]
    has_scripts: bool = False
    html: str = ""
    """The page as served (for people: the workbench shows it rendered, scripts off)."""

    def text(self) -> list[str]:
        """The lines with every control in its initial state."""
        return [MARKER.sub(lambda m: describe(self.elements[m[1]]), line) for line in self.lines]


def slug(text: str, limit: int = 32) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _SLUG.sub("-", ascii_text.lower()).strip("-")[:limit].rstrip("-")


def _text(node: LexborNode) -> str:
    return _SPACE.sub(" ", node.text(deep=True, separator=" ")).strip()


@lru_cache(maxsize=8192)
def _absolute(base: str, link: str) -> str:
    """``urljoin``, memoised: a site's pages share their menus, so the same links recur on
    every page (urljoin was a sixth of parsing a page)."""
    return urljoin(base, link)


class _Builder:
    def __init__(self, url: str, tree: LexborHTMLParser) -> None:
        self.url = url
        self.tree = tree
        self.lines: list[str] = []
        self.current: list[str] = []
        self.depth = 0
        self.pre = 0  # inside <pre>
        self.elements: dict[str, Element] = {}
        self.forms: dict[str, Form] = {}
        self.form_stack: list[str] = []
        self.claims: list[Claim] = []
        self.scopes: list[tuple[str, int]] = [("", 0)]  # (container key, tier), innermost last
        self.labels = {
            label.attributes.get("for") or "": _text(label) for label in tree.css("label[for]")
        }

    # ---- lines -----------------------------------------------------------------------------

    def flush(self) -> None:
        if self.pre:  # preformatted text keeps its spacing and its blank lines
            self.lines.append(("  " * self.depth + "".join(self.current)).rstrip())
            self.current = []
            return
        text = " ".join(part for part in self.current if part).strip()
        if text:
            self.lines.append("  " * self.depth + text)
        self.current = []

    def add_pre(self, node: LexborNode) -> None:
        """``<pre>``: one observation line per line of the text (the first newline right after
        the tag is not content, as in HTML); blank lines at either end are dropped."""
        self.flush()
        start = len(self.lines)
        self.pre += 1
        self.walk(node)
        self.flush()
        self.pre -= 1
        block = self.lines[start:]
        while block and not block[0].strip():
            block.pop(0)
        while block and not block[-1].strip():
            block.pop()
        self.lines[start:] = block

    def emit(self, text: str) -> None:
        if text:
            self.current.append(text)

    # ---- ids -------------------------------------------------------------------------------

    def claim(self, role: str, basis: str) -> str:
        """A provisional id; ``finish`` replaces it with the final one."""
        basis = _COUNT.sub("", basis)  # "Cart (2)" is the same link as "Cart (0)"
        token = f"\x02{len(self.claims)}\x02"
        scope, tier = self.scopes[-1]
        base = f"{role}-{slug(basis) or 'unnamed'}"
        self.claims.append(Claim(token, base, tier, scope, len(self.claims)))
        return token

    def enter(self, key: str, secondary: bool) -> None:
        tier = max(self.scopes[-1][1], 1 if secondary else 0)
        self.scopes.append((slug(key) or "part", tier))

    def finish(self) -> None:
        """Give every element and form its final id (now that all claims are known)."""
        final = assign(self.claims)
        for element in self.elements.values():
            element.id = final[element.id]
            element.form = final[element.form] if element.form else None
        for form in self.forms.values():
            form.id = final[form.id]
            form.fields = [final[f] for f in form.fields]
        self.elements = {e.id: e for e in self.elements.values()}
        self.forms = {f.id: f for f in self.forms.values()}
        self.lines = [_TOKEN.sub(lambda m: final[m[0]], line) for line in self.lines]

    # ---- walk ------------------------------------------------------------------------------

    def walk(self, node: LexborNode) -> None:
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                if self.pre:
                    first, *rest = (child.text_content or "").expandtabs(4).split("\n")
                    self.current.append(first)
                    for line in rest:
                        self.flush()
                        self.current.append(line)
                    continue
                self.emit(_SPACE.sub(" ", child.text_content or "").strip())
                continue
            if tag in SKIPPED or tag.startswith("!") or "hidden" in child.attributes:
                continue
            if child.attributes.get("aria-hidden") == "true":
                continue
            self.visit(child, tag)

    def visit(self, node: LexborNode, tag: str) -> None:
        attrs = node.attributes
        if tag == "a" and attrs.get("href"):
            self.add_link(node)
            return
        if tag in ("button", "input", "select", "textarea"):
            self.add_control(node, tag)
            return
        if tag == "label":
            self.add_label(node)
            return
        if tag == "img":
            self.emit(f"(image: {attrs.get('alt')})" if attrs.get("alt") else "")
            return
        if tag == "br":
            self.flush()
            return
        if tag == "pre":
            self.add_pre(node)
            return
        if tag in ("td", "th"):
            if self.current:
                self.emit("|")
            self.walk(node)
            return
        if tag == "form":
            self.add_form(node)
            return
        if tag not in BLOCKS and attrs.get("role") not in ("alert", "status", "dialog", "banner"):
            self.walk(node)
            return
        self.flush()
        heading = tag in ("h1", "h2", "h3", "h4", "h5", "h6")
        role = attrs.get("role") or ""
        landmark = LANDMARKS.get(tag) or (role if role in ("alert", "status", "dialog") else None)
        if heading:
            self.emit("#" * int(tag[1]))
            self.walk(node)
            self.flush()
            return
        if tag == "li":
            self.emit("-")
        secondary = tag in SECONDARY_TAGS or role in SECONDARY_ROLES
        label = attrs.get("aria-label")
        if landmark:
            self.lines.append("  " * self.depth + f"{landmark}{f' ({label})' if label else ''}:")
            self.depth += 1
            self.enter(f"{landmark} {label or ''}", secondary)
            self.walk(node)
            self.scopes.pop()
            self.flush()
            self.depth -= 1
            return
        named = tag in NAMED_CONTAINERS and (attrs.get("id") or label)
        if secondary or named:
            self.enter(attrs.get("id") or label or role, secondary)
            self.walk(node)
            self.scopes.pop()
        else:
            self.walk(node)
        self.flush()

    def add_label(self, node: LexborNode) -> None:
        """A label names its control, which shows the name: the label's text is not repeated."""
        target = node.attributes.get("for")
        if target and self.tree.css_first(f"#{target}") is not None:
            return
        controls = node.css("input, select, textarea, button")
        if not controls:
            self.walk(node)
            return
        for control in controls:
            self.visit(control, control.tag)

    def add_form(self, node: LexborNode) -> None:
        attrs = node.attributes
        basis = attrs.get("id") or attrs.get("name") or attrs.get("aria-label") or "form"
        form_id = self.claim("form", basis)
        self.forms[form_id] = Form(
            id=form_id,
            action=_absolute(self.url, attrs.get("action") or self.url),
            method=(attrs.get("method") or "get").upper(),
        )
        self.flush()
        label = attrs.get("aria-label")
        self.lines.append("  " * self.depth + f"form {form_id}{f' ({label})' if label else ''}:")
        self.depth += 1
        self.form_stack.append(form_id)
        self.enter(basis, False)
        self.walk(node)
        self.scopes.pop()
        self.form_stack.pop()
        self.flush()
        self.depth -= 1

    def add_link(self, node: LexborNode) -> None:
        attrs = node.attributes
        name = _text(node) or attrs.get("aria-label") or attrs.get("title") or ""
        if not name:
            image = node.css_first("img[alt]")
            name = image.attributes.get("alt") or "" if image else ""
        basis = attrs.get("id") or name or attrs.get("href") or "link"
        element = Element(
            id=self.claim("link", basis),
            role="link",
            name=name or attrs.get("href") or "",
            tag="a",
            href=_absolute(self.url, attrs.get("href") or ""),
        )
        self.elements[element.id] = element
        self.emit(f"[{element.id}] {element.name}")

    def accessible_name(self, node: LexborNode) -> str:
        attrs = node.attributes
        own_id = attrs.get("id")
        if own_id and own_id in self.labels:
            return self.labels[own_id]
        parent = node.parent
        while parent is not None and parent.tag not in ("label", "form", "body"):
            parent = parent.parent
        if parent is not None and parent.tag == "label":
            return _text(parent)
        return attrs.get("aria-label") or attrs.get("placeholder") or attrs.get("title") or ""

    def add_control(self, node: LexborNode, tag: str) -> None:
        attrs = node.attributes
        input_type = (attrs.get("type") or ("submit" if tag == "button" else "")).lower()
        if tag == "input" and input_type == "hidden":
            if self.form_stack and attrs.get("name"):
                self.forms[self.form_stack[-1]].hidden[attrs["name"] or ""] = (
                    attrs.get("value") or ""
                )
            return
        if tag == "button" or input_type in ("submit", "button", "reset"):
            role = "button"
            name = _text(node) if tag == "button" else attrs.get("value") or "Submit"
        elif tag == "select":
            role, name = "select", self.accessible_name(node)
        elif tag == "textarea" or input_type in TEXT_INPUTS:
            role, name = "textbox", self.accessible_name(node)
        elif input_type in ("checkbox", "radio"):
            role, name = input_type, self.accessible_name(node)
        else:
            role, name = "textbox", self.accessible_name(node)
        field_name = attrs.get("name")
        if role == "radio":
            basis = f"{field_name or ''} {attrs.get('value') or name}"
        elif role == "button":
            basis = name or attrs.get("id") or field_name or ""
        else:
            basis = attrs.get("id") or field_name or name
        element = Element(
            id=self.claim(role, basis),
            role=role,
            name=name,
            tag=tag,
            field_name=field_name,
            input_type=input_type,
            disabled="disabled" in attrs,
            required="required" in attrs,
            multiline=tag == "textarea",
            form=self.form_stack[-1] if self.form_stack else None,
        )
        if tag == "textarea":
            element.value = node.text(deep=True)
        elif tag == "select":
            chosen: str | None = None
            for option in node.css("option"):
                label = _text(option)
                value = option.attributes.get("value")
                option_value = label if value is None else value
                element.options.append((option_value, label))
                if chosen is None or "selected" in option.attributes:
                    chosen = option_value  # the first option, unless one is selected
            element.value = chosen or ""
        elif role in ("checkbox", "radio"):
            element.value = attrs.get("value") or "on"
            element.checked = "checked" in attrs
        elif role == "button":
            element.value = attrs.get("value") or ""
        else:
            element.value = attrs.get("value") or ""
        self.elements[element.id] = element
        if element.form:
            self.forms[element.form].fields.append(element.id)
        if element.form and role != "button":  # one field a line: forms read top to bottom
            self.flush()
            self.emit(marker(element.id))
            self.flush()
        else:
            self.emit(marker(element.id))


MARKER = re.compile("\x00([^\x00]+)\x00")


def marker(element_id: str) -> str:
    """A control's place in a line; filled with its current state when the page is shown."""
    return f"\x00{element_id}\x00"


def describe(element: Element) -> str:
    """One element as it appears in the observation."""
    flags = (" (disabled)" if element.disabled else "") + (
        " (required)" if element.required else ""
    )
    if element.role == "button":
        return f"[{element.id}] {element.name}{flags}"
    if element.role in ("checkbox", "radio"):
        state = "checked" if element.checked else "unchecked"
        return f"[{element.id}] {element.name}: {state}{flags}"
    if element.role == "select":
        chosen = next((label for value, label in element.options if value == element.value), "")
        labels = ", ".join(label for _, label in element.options)
        return f'[{element.id}] {element.name}: "{chosen}" (options: {labels}){flags}'
    shown = "•" * len(element.value) if element.input_type == "password" else element.value
    return f'[{element.id}] {element.name}: "{shown}"{flags}'


def parse_page(url: str, status: int, html: str) -> Page:
    tree = LexborHTMLParser(html)
    title_node = tree.css_first("title")
    builder = _Builder(url, tree)
    if tree.body is not None:
        builder.walk(tree.body)
    builder.flush()
    builder.finish()
    return Page(
        url=url,
        status=status,
        title=_text(title_node) if title_node else "",
        lines=builder.lines,
        elements=builder.elements,
        forms=builder.forms,
        has_scripts=tree.css_first("script") is not None,
        html=html,
    )
