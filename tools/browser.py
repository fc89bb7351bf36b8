"""Browser tools: act in the world's text-mode browser. Each returns the page as the actor sees
it (an accessibility-tree-like text; element ids in [brackets] are stable across runs)."""

from __future__ import annotations

from urllib.parse import urlsplit

from pydantic import BaseModel, Field

from sandbox.browser import Page
from sandbox.browser.summary import summary
from sandbox.tool import ToolResult, tool
from sandbox.types import ErrorInfo
from sandbox.world import World

MAX_HITS = 30


def _show(world: World, *, action: bool = False) -> ToolResult:
    """The page; an error page (4xx/5xx: a refused login, a form with errors, a 404) makes the
    action a failed step, with the page as its observation — and so does an ``action`` (a click
    or a submit) that was sent to the login page: the session had ended."""
    text = world.browser.render()
    page = world.browser.require_page()
    if action and _sent_to_login(world):
        error = ErrorInfo(
            type="login_required",
            message=f"redirected to the login page ({page.url}): you are not logged in, or the "
            "session ended; log in again",
        )
        return ToolResult(text=text, status="failure", error=error)
    if page.status < 400 or world.browser.from_history:  # a kept page: nothing answered now
        return ToolResult(text=text)
    error = ErrorInfo(
        type=f"http_{page.status // 100}xx",
        message=f"the page answered {page.status}: {summary(page)}",
        http_status=page.status,
    )
    return ToolResult(text=text, status="failure", error=error)


def _sent_to_login(world: World) -> bool:
    browser = world.browser
    if browser.page is None or browser.requested is None:
        return False
    landed = urlsplit(browser.page.url).path.rstrip("/")
    asked = urlsplit(browser.requested).path.rstrip("/")
    if asked.endswith(("/login", "/logout")):  # logging in, or out on purpose: no failure
        return False
    return landed.endswith("/login")


class GotoArgs(BaseModel):
    url: str = Field(description="The address, e.g. https://shop.example/ .")


@tool(sim_seconds=2.0)
def browser_goto(world: World, args: GotoArgs) -> ToolResult:
    """Open a URL in the browser and show the page."""
    world.browser.goto(args.url)
    return _show(world)


class ElementArgs(BaseModel):
    element: str = Field(description="An element id from the page, e.g. link-desk-lamp.")


@tool(sim_seconds=2.0)
def browser_click(world: World, args: ElementArgs) -> ToolResult:
    """Click a link, button, checkbox or radio button by its id; shows the resulting page."""
    if isinstance(world.browser.click(args.element), Page):
        return _show(world, action=True)
    return ToolResult(text=world.browser.render())  # a checkbox or radio: the page stays


class TypeArgs(ElementArgs):
    text: str = Field(description="The text to put in the field (replaces what is there).")


@tool()
def browser_type(world: World, args: TypeArgs) -> str:
    """Type text into a text field (replacing its content). Nothing is sent until the form is
    submitted."""
    element = world.browser.type(args.element, args.text)
    return f"Typed into {element.id}.\n\n{world.browser.render()}"


class SelectArgs(ElementArgs):
    option: str = Field(description="The option's label or value.")


@tool()
def browser_select(world: World, args: SelectArgs) -> str:
    """Choose an option in a drop-down (select) by its label or value."""
    element = world.browser.select(args.element, args.option)
    return f"Selected {args.option!r} in {element.id}.\n\n{world.browser.render()}"


class SubmitArgs(BaseModel):
    element: str = Field(description="A form id (form-…) or the id of any field in the form.")


@tool(sim_seconds=2.0)
def browser_submit(world: World, args: SubmitArgs) -> ToolResult:
    """Submit a form (as pressing Enter in it would) and show the resulting page."""
    world.browser.submit(args.element)
    return _show(world, action=True)


class NoArgs(BaseModel):
    pass


@tool()
def browser_back(world: World, args: NoArgs) -> ToolResult:
    """Go back one page in the history."""
    world.browser.back()
    return _show(world)


@tool()
def browser_forward(world: World, args: NoArgs) -> ToolResult:
    """Go forward one page in the history."""
    world.browser.forward()
    return _show(world)


class FindArgs(BaseModel):
    text: str = Field(min_length=1, description="Text to look for (case-insensitive).")


@tool(sim_seconds=0.5)
def browser_find(world: World, args: FindArgs) -> str:
    """Find text on the current page: the matching lines (a snippet around the match in a long
    line), with the ids of elements on them and, on a long page, the part to read."""
    hits = world.browser.find(args.text)
    if not hits:
        return f"{args.text!r} is not on this page ({world.browser.require_page().url})."
    more = f" (the first {MAX_HITS} shown)" if len(hits) > MAX_HITS else ""
    return f"{len(hits)} line(s) with {args.text!r}{more}:\n" + "\n".join(hits[:MAX_HITS])


class ReadArgs(BaseModel):
    page: int = Field(default=1, ge=1, description="Which part of a long page (1 = the start).")


@tool(sim_seconds=0.5)
def browser_read(world: World, args: ReadArgs) -> str:
    """Show the current page again, or a later part of a long page."""
    return world.browser.render(args.page)


BROWSER_TOOLS = (
    browser_goto,
    browser_click,
    browser_type,
    browser_select,
    browser_submit,
    browser_back,
    browser_forward,
    browser_find,
    browser_read,
)
