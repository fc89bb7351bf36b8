"""The workbench in a real headless Chromium: an annotator solves a bundled task with the
keyboard, a reviewer approves it, and a script planted in tool output stays text.

Playwright's Python package drives Debian's Chromium (``/usr/bin/chromium``, installed by
``.ci/run``); Playwright's own browser download is never used. Screenshots of each page land in
the test's temp dir (``SANDBOX_E2E_SHOTS=DIR`` keeps them somewhere to look at)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed: pip install -e '.[dev]'"
)

import uvicorn
from playwright.sync_api import Page, sync_playwright

from recorder.storage import load_trajectory
from sandbox.web.app import create_app
from scenarios import load_bundled

CHROMIUM = os.environ.get("SANDBOX_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    pytest.skip(
        f"no Chromium at {CHROMIUM}: apt-get install chromium (or set SANDBOX_CHROMIUM)",
        allow_module_level=True,
    )

# Without the background-networking flags Chromium keeps dialling Google on a closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    data = tmp_path / "data"
    port = free_port()
    config = uvicorn.Config(create_app(data), host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not running.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the workbench did not start within 10 s")
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}", data
    running.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def dialogs() -> list[str]:
    """Every alert/confirm a page opened: a script that ran."""
    return []


@pytest.fixture
def page(dialogs: list[str]) -> Iterator[Page]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        yield tab
        browser.close()


def shot(page: Page, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("SANDBOX_E2E_SHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def focused(page: Page) -> str:
    return str(page.evaluate("document.activeElement.id || document.activeElement.name"))


def choose(page: Page, tool: str) -> None:
    """Pick a tool by keyboard: Alt+T, type its name, Enter (``submit`` has its own key)."""
    with page.expect_navigation():
        if tool == "submit":
            page.keyboard.press("Alt+Enter")
        else:
            page.keyboard.press("Alt+t")
            assert focused(page) == "tool-picker"
            page.keyboard.type(tool)
            page.keyboard.press("Enter")
    assert page.locator("form#step-form input[name='tool']").get_attribute("value") == tool


def act(page: Page, tool: str, arguments: dict[str, object], thought: str) -> None:
    """Choose the tool by keyboard; the reasoning box has the focus: type it, fill the schema
    form field by field, Ctrl+Enter."""
    choose(page, tool)
    assert focused(page) == "thought"
    page.keyboard.type(thought)
    form = page.locator("form#step-form")
    for name, value in arguments.items():
        field = form.locator(f"[name='{name}']")
        if field.get_attribute("type") == "checkbox":
            field.set_checked(bool(value))
        elif isinstance(value, str):
            field.fill(value)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            field.fill("\n".join(value))  # one per line
        else:
            field.fill(json.dumps(value))
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")


def test_an_annotator_solves_with_hotkeys_and_a_reviewer_approves(
    server: tuple[str, Path], page: Page, tmp_path: Path
) -> None:
    base, data = server
    scenario = load_bundled("rotate-leaked-key")
    page.goto(base + "/")
    page.fill("form[action='/tasks'] input[name='assignee']", "ana")
    page.select_option("select[name='scenario_id']", scenario.id)
    page.click("form[action='/tasks'] button")
    shot(page, tmp_path, "queue")
    page.click("form[action$='/start'] button")
    assert "Security says our payments API key leaked" in page.content()
    assert focused(page) == "tool-picker"  # keyboard first: no Tab marathon
    assert "Alt+T" in page.content() and "Alt+Enter" in page.content()

    calls = scenario.solutions["search-then-edit"]
    for n, call in enumerate(calls):
        act(page, call.tool, call.arguments, call.thought or f"step {n} of the plan")
        if n == 0:
            shot(page, tmp_path, "after-first-step")
            assert "sk_live_b84e0d55" in page.content()
            assert focused(page) == "thought"  # ready for the next call
            newest = page.locator("section.latest")
            assert newest.get_attribute("id") == "step-0" and newest.is_visible()
            with page.expect_navigation():
                page.keyboard.press("Alt+1")
            assert "Labelled" in page.content()
            # the tool stays chosen after a label
            assert page.locator("form#step-form input[name='tool']").get_attribute("value") == (
                "fs_read_file"
            )
        if n == 3:  # a long page: the form is in view, not at the bottom of a reload
            box = page.locator("form#step-form").bounding_box()
            assert page.evaluate("window.scrollY") > 0 and box is not None
            assert box["y"] < 900
    assert "The episode is over: score 1.00" in page.content()
    shot(page, tmp_path, "done")

    (path,) = (data / "ana").glob("*.jsonl")
    trajectory = load_trajectory(path)
    assert trajectory.end is not None and trajectory.end.score == 1.0
    assert [s.call.tool for s in trajectory.steps] == [c.tool for c in calls]
    assert trajectory.annotations[0].label == "success" and trajectory.annotations[0].step == 0
    assert all(s.active_ms is not None for s in trajectory.steps)

    page.click("text=Review it")
    assert "Score 1.000" in page.content()
    comment = page.locator("form.annotate").first
    comment.locator("input[name='annotator']").fill("qa")
    comment.locator("input[name='comment']").fill("can't & <b>fine</b>")
    with page.expect_navigation():
        comment.locator("input[name='comment']").press("Enter")  # saves the comment, no label
    assert "Comment on step 0 saved" in page.content()
    note = load_trajectory(path).annotations[-1]
    assert (note.annotator, note.label, note.comment) == ("qa", None, "can't & <b>fine</b>")
    assert page.get_by_text("can't & <b>fine</b>").count() == 1
    # the name is remembered
    assert page.locator("form.annotate input[name='annotator']").nth(2).input_value() == "qa"
    page.fill("input[name='reviewer']", "qa")
    page.fill("form[action='/review/verdict'] input[name='reason']", "clean")
    page.click("button[value='approve']")
    shot(page, tmp_path, "review")
    assert "Saved" in page.content()
    assert load_trajectory(path).status == "approved"
    assert "approved by qa" in page.inner_text("ol.verdicts")
    page.goto(base + "/")
    assert "done 1" in page.content() and "approved" in page.inner_text("table")


def test_active_time_survives_page_loads(server: tuple[str, Path], page: Page) -> None:
    base, data = server
    page.goto(base + "/")
    page.fill("form[action='/sessions'] input[name='annotator']", "tim")
    page.check("input[value='expense-total']")
    with page.expect_navigation():
        page.keyboard.press("Alt+s")
    page.wait_for_timeout(1500)
    choose(page, "fs_read_file")  # a page load
    page.keyboard.type("look around first")
    choose(page, "fs_list_dir")  # changed my mind: another load, the reasoning stays
    assert page.locator("textarea[name='thought']").input_value() == "look around first"
    assert focused(page) == "path"  # the reasoning is written: the first field is next
    page.wait_for_timeout(1000)
    page.keyboard.type("~")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    assert page.locator("textarea[name='thought']").input_value() == ""  # a new step
    page.keyboard.type("again")
    page.fill("input[name='path']", "~")
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    (path,) = (data / "tim").glob("*.jsonl")
    first, second = (s.active_ms or 0.0 for s in load_trajectory(path).steps)
    assert first >= 2500, first  # the time before the tool was chosen counts too
    assert second < first  # and the count starts again for the next step


def test_a_planted_script_stays_text(
    server: tuple[str, Path], page: Page, dialogs: list[str], tmp_path: Path
) -> None:
    base, _ = server
    page.goto(base + "/")
    page.fill("form[action='/sessions'] input[name='annotator']", "eve")
    page.check("input[value='organise-downloads']")
    with page.expect_navigation():
        page.keyboard.press("Alt+s")
    evil = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    act(page, "fs_write_file", {"path": "~/evil.html", "content": evil}, evil)
    act(page, "fs_read_file", {"path": "~/evil.html"}, "read it back")
    shot(page, tmp_path, "xss")
    assert dialogs == []
    assert page.locator("img[src='x']").count() == 0
    assert page.get_by_text(evil).count() >= 2


def test_a_script_shown_by_a_site_page_stays_text(
    server: tuple[str, Path], page: Page, dialogs: list[str], tmp_path: Path
) -> None:
    """A reply holding markup, posted through the portal and shown by its ticket page: the
    workbench shows it as text, and the rendered page in the frame runs nothing."""
    base, _ = server
    page.goto(base + "/")
    page.fill("form[action='/sessions'] input[name='annotator']", "eve")
    page.check("input[value='portal-policy-reply']")
    with page.expect_navigation():
        page.keyboard.press("Alt+s")
    evil = '<script>alert(7)</script><img src=x onerror="alert(8)">'
    for tool, arguments in (
        ("browser_goto", {"url": "https://support.acme.example/tickets/tkt_3001"}),
        ("browser_type", {"element": "textbox-email", "text": "lena@acme.example"}),
        ("browser_type", {"element": "textbox-password", "text": "helpdesk-lena-22"}),
        ("browser_submit", {"element": "form-login"}),
        ("browser_type", {"element": "textbox-reply-body", "text": evil}),
        ("browser_click", {"element": "button-add-reply"}),
    ):
        act(page, tool, arguments, "t")
    shot(page, tmp_path, "xss-site-page")
    assert dialogs == []
    assert page.locator("img[src='x']").count() == 0
    assert page.locator("section.latest").get_by_text("alert(7)").count() >= 1
    frame = page.frame_locator("iframe[sandbox]")
    assert frame.get_by_text(evil).count() >= 1  # text inside the rendered page, not markup
    assert frame.locator("img[src='x']").count() == 0
