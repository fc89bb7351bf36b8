"""The workbench: act through schema-generated forms, record, review, label, approve — and
never let tool output run in the page."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")

from starlette.testclient import TestClient

from recorder.replay import verify
from recorder.storage import load_trajectory
from sandbox.web.app import create_app
from sandbox.web.forms import FormError, arguments_from, fields_for
from scenarios import load_bundled
from tools.catalog import ALL_TOOLS


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    return TestClient(
        create_app(tmp_path / "data"), base_url="http://127.0.0.1", follow_redirects=True
    )


def start(client: TestClient, scenario_id: str) -> str:
    response = client.post("/sessions", data={"scenario_id": scenario_id, "annotator": "ana"})
    assert response.status_code == 200
    return str(response.url).rsplit("/", 1)[-1]


def test_forms_come_from_the_schema() -> None:
    fields = {f.name: f for f in fields_for(ALL_TOOLS["shop_list_orders"].input_schema)}
    assert fields["limit"].widget == "integer" and not fields["limit"].required
    assert fields["status"].widget == "select" and "refunded" in fields["status"].options
    mail = {f.name: f for f in fields_for(ALL_TOOLS["mail_send"].input_schema)}
    assert (
        mail["to"].widget == "lines" and mail["to"].required and mail["body"].widget == "textarea"
    )
    to = [mail["to"], mail["subject"], mail["body"]]
    typed = {"to": "a@x.example\n\n b@x.example \n", "subject": "s", "body": "b"}
    assert arguments_from(typed, to)["to"] == ["a@x.example", "b@x.example"]  # one per line
    assert arguments_from({**typed, "to": '["c@x.example"]'}, to)["to"] == ["c@x.example"]
    with pytest.raises(FormError, match="to: expected one item per line"):
        arguments_from({**typed, "to": "[1, 2]"}, to)
    args = arguments_from({"limit": "5", "status": "paid", "cursor": ""}, list(fields.values()))
    assert args == {"limit": 5, "status": "paid"}
    update = fields_for(ALL_TOOLS["shop_update_product"].input_schema)
    assert {f.name: f.widget for f in update}["active"] == "select"
    assert arguments_from({"product_id": "prod_101", "active": ""}, update) == {
        "product_id": "prod_101"
    }  # an untouched optional flag changes nothing
    assert arguments_from({"product_id": "p", "active": "false"}, update)["active"] is False
    comment = fields_for(ALL_TOOLS["helpdesk_add_comment"].input_schema)
    assert arguments_from({"ticket_id": "t", "body": "b"}, comment)["public"] is False
    with pytest.raises(FormError, match="limit: expected a whole number"):
        arguments_from({"limit": "five"}, list(fields.values()))


def test_an_annotator_solves_a_task_through_the_forms(client: TestClient, tmp_path: Path) -> None:
    scenario = load_bundled("rotate-leaked-key")
    sid = start(client, scenario.id)
    page = client.get(f"/sessions/{sid}?tool=fs_read_file").text
    assert "Security says our payments API key leaked" in page and 'name="path"' in page
    refused = client.post(f"/sessions/{sid}/step", data={"tool": "fs_read_file", "path": "~/x"})
    assert "Write your reasoning first" in refused.text
    first = client.post(
        f"/sessions/{sid}/step",
        data={
            "tool": "fs_read_file",
            "path": "~/SECURITY-NOTICE.txt",
            "thought": "read the notice",
        },
    )
    assert "sk_live_b84e0d55" in first.text and "success" in first.text
    for call in scenario.solutions["search-then-edit"][1:]:
        client.post(
            f"/sessions/{sid}/step",
            data={"tool": call.tool, "thought": "next", "raw_json": json.dumps(call.arguments)},
        )
    done = client.get(f"/sessions/{sid}").text
    assert "The episode is over: score 1.00" in done
    (path,) = (tmp_path / "data" / "ana").glob("*.jsonl")
    trajectory = load_trajectory(path)
    assert trajectory.end is not None and trajectory.end.score == 1.0
    assert trajectory.header.actor == "human:ana"
    assert all(step.call.thought for step in trajectory.steps)
    assert verify(trajectory).identical


def test_review_labels_and_approves(client: TestClient, tmp_path: Path) -> None:
    sid = start(client, "expense-total")
    client.post(
        f"/sessions/{sid}/step", data={"tool": "fs_list_dir", "path": "~", "thought": "look"}
    )
    (path,) = (tmp_path / "data" / "ana").glob("*.jsonl")
    relative = str(path.relative_to(tmp_path / "data"))
    page = client.get("/review", params={"path": relative}).text
    assert "Step 0" in page and "Score" in page
    assert "<h3>Goal</h3>" in page and "error handling" in page
    client.post("/review/annotate", data={"path": relative, "step": "0", "label": "success"})
    approved = client.post(
        "/review/verdict",
        data={"path": relative, "verdict": "approve", "reviewer": "qa", "reason": ""},
    )
    assert "Saved" in approved.text
    trajectory = load_trajectory(path)
    assert trajectory.annotations[0].label == "success" and trajectory.status == "approved"
    rejected = client.post(
        "/review/verdict",
        data={"path": relative, "verdict": "reject", "reviewer": "qa", "reason": ""},
    )
    assert "needs a reason" in rejected.text
    assert client.get("/review", params={"path": "../../etc/passwd"}).status_code == 404


def test_tool_output_is_escaped_everywhere(client: TestClient, tmp_path: Path) -> None:
    sid = start(client, "organise-downloads")
    evil = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    client.post(
        f"/sessions/{sid}/step",
        data={
            "tool": "fs_write_file",
            "thought": evil,
            "raw_json": json.dumps({"path": "~/evil.html", "content": evil}),
        },
    )
    client.post(
        f"/sessions/{sid}/step",
        data={
            "tool": "fs_read_file",
            "thought": "read it",
            "raw_json": json.dumps({"path": "~/evil.html"}),
        },
    )
    page = client.get(f"/sessions/{sid}").text
    assert "<script>alert(1)" not in page and 'onerror="alert' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    (path,) = (tmp_path / "data" / "ana").glob("*.jsonl")
    review = client.get("/review", params={"path": str(path.relative_to(tmp_path / "data"))}).text
    assert "<script>alert(1)" not in review and "&lt;script&gt;" in review


def test_undo_branches_instead_of_editing(client: TestClient, tmp_path: Path) -> None:
    sid = start(client, "organise-downloads")
    client.post(f"/sessions/{sid}/step", data={"tool": "fs_list_dir", "path": "~", "thought": "a"})
    client.post(
        f"/sessions/{sid}/step",
        data={
            "tool": "fs_delete",
            "thought": "oops",
            "raw_json": json.dumps({"path": "~/Downloads/README.md"}),
        },
    )
    page = client.post(f"/sessions/{sid}/undo").text
    assert "Last step undone" in page
    folder = tmp_path / "data" / "ana"
    original = folder / "organise-downloads-1.jsonl"
    (branched,) = folder.glob("*-undo*.jsonl")
    assert len(load_trajectory(original).steps) == 2  # never rewritten
    child = load_trajectory(branched)
    assert len(child.steps) == 1 and child.header.branch_step == 1
    assert child.header.parent_trajectory_id == load_trajectory(original).header.trajectory_id
    again = client.post(
        f"/sessions/{sid}/step",
        data={
            "tool": "fs_read_file",
            "thought": "b",
            "raw_json": json.dumps({"path": "~/Downloads/README.md"}),
        },
    )
    assert "success" in again.text  # the deleted file is back in the branched world


def test_queue_assigns_tracks_and_finishes_tasks(client: TestClient, tmp_path: Path) -> None:
    scenario = load_bundled("rotate-leaked-key")
    page = client.post("/tasks", data={"scenario_id": scenario.id, "assignee": "ben"}).text
    assert "todo" in page and "ben" in page
    client.post("/tasks", data={"scenario_id": "expense-total", "assignee": "cara"})
    only_ben = client.get("/", params={"assignee": "ben"}).text
    assert "rotate-leaked-key" in only_ben.split("Assign a task")[0]
    assert "expense-total" not in only_ben.split("Assign a task")[0]
    acting = client.post("/tasks/1/start")
    sid = str(acting.url).rsplit("/", 1)[-1]
    assert "in_progress" in client.get("/").text
    assert str(client.post("/tasks/1/start").url).endswith(f"/sessions/{sid}")  # continue
    for call in scenario.solutions["search-then-edit"]:
        client.post(
            f"/sessions/{sid}/step",
            data={"tool": call.tool, "thought": "t", "raw_json": json.dumps(call.arguments)},
        )
    home = client.get("/").text
    assert "done 1" in home and "Review" in home
    (path,) = (tmp_path / "data" / "ben").glob("*.jsonl")
    assert load_trajectory(path).end.score == 1.0
    assert "No such open task" in client.post("/tasks/1/start").text


def test_browser_pages_are_shown_rendered_with_scripts_off(client: TestClient) -> None:
    sid = start(client, "price-survey")
    page = client.post(
        f"/sessions/{sid}/step",
        data={
            "tool": "browser_goto",
            "thought": "look",
            "url": "https://shop.example/search?q=electronics",
        },
    ).text
    assert '<iframe sandbox srcdoc="' in page
    frame = page.split('<iframe sandbox srcdoc="', 1)[1].split('"', 1)[0]
    assert "&lt;html" in frame and "<script" not in frame  # escaped into the attribute
    assert "allow-scripts" not in page


def test_review_shows_label_agreement(client: TestClient, tmp_path: Path) -> None:
    sid = start(client, "expense-total")
    client.post(
        f"/sessions/{sid}/step", data={"tool": "fs_read_file", "path": "~/nope", "thought": "x"}
    )
    (path,) = (tmp_path / "data" / "ana").glob("*.jsonl")
    relative = str(path.relative_to(tmp_path / "data"))
    client.post("/review/annotate", data={"path": relative, "step": "0", "label": "success"})
    page = client.get("/review", params={"path": relative}).text
    assert "Labels vs ground truth: 0 of 1 agree" in page


def test_active_time_is_recorded_with_the_step(client: TestClient, tmp_path: Path) -> None:
    sid = start(client, "expense-total")
    client.post(
        f"/sessions/{sid}/step",
        data={"tool": "fs_list_dir", "path": "~", "thought": "x", "active_ms": "4200"},
    )
    client.post(f"/sessions/{sid}/step", data={"tool": "fs_list_dir", "path": "~", "thought": "y"})
    (path,) = (tmp_path / "data" / "ana").glob("*.jsonl")
    steps = load_trajectory(path).steps
    assert [s.active_ms for s in steps] == [4200.0, None]


def test_two_annotators_on_one_recording_get_agreement_figures(
    client: TestClient, tmp_path: Path
) -> None:
    sid = start(client, "expense-total")
    for path_arg in ("~", "~/nope"):
        client.post(
            f"/sessions/{sid}/step", data={"tool": "fs_list_dir", "path": path_arg, "thought": "x"}
        )
    (path,) = (tmp_path / "data" / "ana").glob("*.jsonl")
    relative = str(path.relative_to(tmp_path / "data"))
    for who, labels in (("ana", ["success", "failure"]), ("ben", ["success", "success"])):
        for step, label in enumerate(labels):
            client.post(
                "/review/annotate",
                data={"path": relative, "step": str(step), "label": label, "annotator": who},
            )
    page = client.get("/review", params={"path": relative}).text
    assert "ana: 2 of 2 labels agree" in page and "ben: 1 of 2 labels agree" in page
    assert "ana and ben: 2 step(s) labelled by both" in page


def test_cross_site_posts_are_refused(client: TestClient, tmp_path: Path) -> None:
    evil = client.post(
        "/tasks",
        data={"scenario_id": "expense-total", "assignee": "x"},
        headers={"Origin": "https://evil.example"},
    )
    assert evil.status_code == 403
    referer = client.post(
        "/tasks",
        data={"scenario_id": "expense-total", "assignee": "x"},
        headers={"Referer": "https://evil.example/page"},
    )
    assert referer.status_code == 403
    same = client.post(
        "/tasks",
        data={"scenario_id": "expense-total", "assignee": "x"},
        headers={"Origin": "http://127.0.0.1"},
    )
    assert same.status_code == 200 and "todo" in same.text


def test_pages_run_only_the_workbench_script(client: TestClient) -> None:
    home = client.get("/")
    policy = home.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("style-src")[0]
    assert home.headers["x-content-type-options"] == "nosniff"
    assert '<script src="/static/workbench.js"' in home.text and "<script>" not in home.text
    script = client.get("/static/workbench.js")
    assert script.status_code == 200 and "data-hotkey" in script.text
    assert client.get("/static/../app.py").status_code == 404


def test_xss_payloads_from_api_bodies_and_page_text_stay_text(client: TestClient) -> None:
    sid = start(client, "refund-by-policy")
    payload = '<script>alert(3)</script><img src=x onerror="alert(4)">'
    client.post(
        f"/sessions/{sid}/step",
        data={
            "tool": "shop_refund_order",
            "thought": "t",
            "raw_json": json.dumps({"order_id": "ord_2001", "reason": payload}),
        },
    )
    client.post(
        f"/sessions/{sid}/step",
        data={
            "tool": "http_request",
            "thought": "t",
            "raw_json": json.dumps(
                {
                    "url": "https://api.shop.example/v1/orders/ord_2001",
                    "headers": {"Authorization": "Bearer nope"},
                }
            ),
        },
    )
    page = client.get(f"/sessions/{sid}").text
    assert "<script>alert(3)" not in page and 'onerror="alert(4)"' not in page
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in page


def test_labels_while_acting_are_appended_and_steps_keep_coming(
    client: TestClient, tmp_path: Path
) -> None:
    sid = start(client, "expense-total")
    client.post(f"/sessions/{sid}/step", data={"tool": "fs_list_dir", "path": "~", "thought": "x"})
    assert "Labelled" in client.post(f"/sessions/{sid}/label", data={"label": "success"}).text
    client.post(
        f"/sessions/{sid}/step", data={"tool": "fs_read_file", "path": "~/no", "thought": "y"}
    )
    client.post(f"/sessions/{sid}/label", data={"label": "failure"})
    (path,) = (tmp_path / "data" / "ana").glob("*.jsonl")
    trajectory = load_trajectory(path)  # steps written after an annotation are intact
    assert len(trajectory.steps) == 2 and trajectory.torn_tail is None
    assert [(a.step, a.label, a.annotator) for a in trajectory.annotations] == [
        (0, "success", "ana"),
        (1, "failure", "ana"),
    ]


def run(client: TestClient, sid: str, tool: str, arguments: dict[str, object], thought: str = "t"):
    return client.post(
        f"/sessions/{sid}/step",
        data={"tool": tool, "thought": thought, "raw_json": json.dumps(arguments)},
    )


def recording_of(tmp_path: Path, who: str = "ana") -> str:
    (path,) = sorted((tmp_path / "data" / who).glob("*.jsonl"))[:1]
    return str(path.relative_to(tmp_path / "data"))


def test_arguments_read_as_written_and_stay_escaped(client: TestClient, tmp_path: Path) -> None:
    sid = start(client, "organise-downloads")
    text = "can't & <b>bold</b> — ünïcode"
    page = run(client, sid, "fs_write_file", {"path": "~/n.txt", "content": text}).text
    assert "\\u0027" not in page and "\\u0026" not in page and "\\u003c" not in page
    assert "can&#39;t &amp; &lt;b&gt;bold&lt;/b&gt; — ünïcode" in page
    assert "\n  &#34;content&#34;: &#34;can" in page  # indented, one key per line
    review = client.get("/review", params={"path": recording_of(tmp_path)}).text
    assert "can&#39;t &amp; &lt;b&gt;bold&lt;/b&gt;" in review and "\\u0027" not in review


def test_requests_for_another_host_are_refused(tmp_path: Path) -> None:
    app = create_app(tmp_path / "data", host="wb.lan")
    for base, status in (
        ("http://127.0.0.1:8765", 200),
        ("http://localhost:8765", 200),
        ("http://wb.lan:8765", 200),
        ("http://rebound.evil.example:8765", 400),  # DNS rebinding: evil name, our address
    ):
        assert TestClient(app, base_url=base).get("/").status_code == status, base
    evil = TestClient(app, base_url="http://attacker.example")
    assert (
        evil.post("/sessions", data={"scenario_id": "expense-total", "annotator": "x"}).status_code
        == 400
    )
    assert not (tmp_path / "data" / "x").exists()


def test_a_script_in_a_sites_page_text_stays_text(client: TestClient, tmp_path: Path) -> None:
    """A record holding markup, shown by a site page: the observation, the rendered frame and
    the review all keep it as text."""
    sid = start(client, "portal-policy-reply")
    payload = '<script>alert(5)</script><img src=x onerror="alert(6)">'
    run(client, sid, "browser_goto", {"url": "https://support.acme.example/tickets/tkt_3001"})
    run(client, sid, "browser_type", {"element": "textbox-email", "text": "lena@acme.example"})
    run(client, sid, "browser_type", {"element": "textbox-password", "text": "helpdesk-lena-22"})
    run(client, sid, "browser_submit", {"element": "form-login"})
    run(client, sid, "browser_type", {"element": "textbox-reply-body", "text": payload})
    page = run(client, sid, "browser_click", {"element": "button-add-reply"}).text
    newest = page.split('class="latest"', 1)[1].split("</section>", 1)[0]
    assert "No comments yet" not in newest and "alert(5)" in newest  # the page shows the reply
    assert "<script>alert(5)" not in page and 'onerror="alert(6)"' not in page
    assert "&lt;script&gt;alert(5)&lt;/script&gt;" in page
    frame = page.split('<iframe sandbox srcdoc="', 1)[1].split('"', 1)[0]
    assert "<" not in frame and "&amp;lt;script&amp;gt;alert(5)" in frame  # text inside the page
    review = client.get("/review", params={"path": recording_of(tmp_path)}).text
    assert "<script>alert(5)" not in review and 'onerror="alert(6)"' not in review
    assert review.count('<iframe sandbox srcdoc="') == 6  # each browser step's page
    assert "allow-scripts" not in review


@pytest.mark.parametrize(
    ("url", "data", "status", "message"),
    [
        ("/sessions", {"scenario_id": "nope", "annotator": "a"}, 404, "no bundled scenario 'nope'"),
        (
            "/sessions",
            {"scenario_id": "expense-total", "annotator": "a", "seed": "abc"},
            400,
            "seed must be a whole number such as 7 (or blank for the scenario's), not 'abc'",
        ),
        ("/tasks", {"scenario_id": "nope", "assignee": "a"}, 404, "no bundled scenario"),
        (
            "/tasks",
            {"scenario_id": "expense-total", "assignee": "a", "seed": "1.5"},
            400,
            "seed must be",
        ),
        ("/tasks", {"scenario_id": "expense-total", "assignee": ""}, 400, "no assignee"),
    ],
)
def test_bad_form_input_is_a_clear_4xx(
    client: TestClient, url: str, data: dict[str, str], status: int, message: str
) -> None:
    response = client.post(url, data=data)
    assert response.status_code == status and message in html.unescape(response.text)


def test_bad_review_paths_are_a_clear_4xx(client: TestClient, tmp_path: Path) -> None:
    client.get("/")  # the queue's SQLite file exists beside the recordings
    assert (tmp_path / "data" / "queue.sqlite").exists()
    for path, status, message in (
        ("queue.sqlite", 404, "not a recording: expected a .jsonl trajectory file"),
        ("", 400, "no recording named"),
        ("ana/missing.jsonl", 404, "no recording"),
    ):
        response = client.get("/review", params={"path": path})
        assert response.status_code == status and message in response.text, path
    (tmp_path / "data" / "junk.jsonl").write_text("not json\n")
    junk = client.get("/review", params={"path": "junk.jsonl"})
    assert junk.status_code == 400 and "cannot be read as a recording" in junk.text


def test_forms_preselect_defaults_require_fields_and_refuse_two_sources(
    client: TestClient,
) -> None:
    sid = start(client, "refund-by-policy")
    page = client.get(f"/sessions/{sid}?tool=http_request").text
    method = page.split('<select name="method"', 1)[1].split("</select>", 1)[0]
    assert "<option selected>GET</option>" in method and '<option value="">' not in method
    assert '<input name="url" size="80" value="" placeholder="" required' in page
    assert "(default GET)" in page
    both = client.post(
        f"/sessions/{sid}/step",
        data={
            "tool": "http_request",
            "thought": "keep me",
            "method": "GET",  # the preselected default does not count as filled
            "url": "https://api.shop.example/v1/orders",
            "raw_json": json.dumps({"url": "https://api.shop.example/v1/refunds"}),
        },
    )
    assert both.status_code == 400
    assert "Both the form (url) and the raw JSON are filled" in both.text
    assert ">keep me</textarea>" in both.text  # nothing typed is lost
    assert 'value="https://api.shop.example/v1/orders"' in both.text
    only_raw = client.post(
        f"/sessions/{sid}/step",
        data={
            "tool": "http_request",
            "thought": "raw only",
            "method": "GET",
            "raw_json": json.dumps({"url": "https://api.shop.example/v1/orders"}),
        },
    )
    assert only_raw.status_code == 200 and "Step 0 · http_request" in only_raw.text
    unknown = client.get(f"/sessions/{sid}?tool=rm_rf").text
    assert "No tool &#39;rm_rf&#39; in this task" in unknown
    partial = client.get(f"/sessions/{sid}?tool=refund_ord").text  # the one tool it names
    assert '<input type="hidden" name="tool" value="shop_refund_order">' in partial
    ambiguous = client.get(f"/sessions/{sid}?tool=shop_").text
    assert "No tool &#39;shop_&#39;" in ambiguous


def test_the_chosen_tool_stays_after_label_and_undo(client: TestClient) -> None:
    sid = start(client, "expense-total")
    client.post(f"/sessions/{sid}/step", data={"tool": "fs_list_dir", "path": "~", "thought": "x"})
    labelled = client.post(
        f"/sessions/{sid}/label", data={"label": "success", "tool": "fs_read_file"}
    )
    assert labelled.url.params["tool"] == "fs_read_file" and 'id="step-form"' in labelled.text
    undone = client.post(f"/sessions/{sid}/undo", data={"tool": "fs_read_file"})
    assert undone.url.params["tool"] == "fs_read_file" and "Last step undone" in undone.text


def test_review_shows_everything_and_comments_need_no_label(
    client: TestClient, tmp_path: Path
) -> None:
    sid = start(client, "expense-total")
    client.post(
        f"/sessions/{sid}/step", data={"tool": "fs_read_file", "path": "~/nope", "thought": "x"}
    )
    client.post(
        f"/sessions/{sid}/step",
        data={"tool": "fs_write_file", "path": "~/t.txt", "content": "1", "thought": "y"},
    )
    relative = recording_of(tmp_path)
    saved = client.post(
        "/review/annotate",
        data={"path": relative, "step": "0", "label": "", "comment": "fine", "annotator": "qa"},
    )
    assert "Comment on step 0 saved" in saved.text
    client.post(
        "/review/annotate",
        data={"path": relative, "step": "1", "label": "success", "annotator": "bo"},
    )
    empty = client.post("/review/annotate", data={"path": relative, "step": "0", "label": ""})
    assert "needs a label, a comment" in empty.text  # nothing to save is said, not faked
    client.post(
        "/review/verdict",
        data={"path": relative, "verdict": "reject", "reviewer": "qa", "reason": "wrong file"},
    )
    client.post(
        "/review/verdict",
        data={"path": relative, "verdict": "approve", "reviewer": "lead", "reason": "ok now"},
    )
    page = client.get("/review", params={"path": relative}).text
    step0 = page.split('id="step-0"', 1)[1].split('id="step-1"', 1)[0]
    assert "<dt>Error</dt>" in step0 and "~/nope" in step0 and "Expected next" in step0
    assert "<strong>qa</strong>: “fine”" in step0 and "UTC" in step0
    step1 = page.split('id="step-1"', 1)[1].split("<h2>Verdict", 1)[0]
    assert "create" in step1 and "t.txt" in step1  # the change it made
    assert "<strong>bo</strong> labelled" in step1
    verdicts = page.split('<ol class="verdicts">', 1)[1].split("</ol>", 1)[0]
    assert verdicts.index("rejected") < verdicts.index("approved")
    assert "“wrong file”" in verdicts and "by lead" in verdicts
    assert client.post("/review/verdict", data={"path": relative, "verdict": ""}).status_code == 400
    notes = load_trajectory(tmp_path / "data" / relative).annotations
    assert [(n.annotator, n.label, n.comment) for n in notes] == [
        ("qa", None, "fine"),
        ("bo", "success", None),
    ]


def test_a_rejected_task_shows_so_and_can_be_reopened(client: TestClient, tmp_path: Path) -> None:
    client.post("/tasks", data={"scenario_id": "expense-total", "assignee": "ben"})
    sid = str(client.post("/tasks/1/start").url).rsplit("/", 1)[-1]
    run(client, sid, "submit", {"answer": "no idea"})
    home = client.get("/").text
    assert "unreviewed" in home
    relative = recording_of(tmp_path, "ben")
    client.post(
        "/review/verdict",
        data={
            "path": relative,
            "verdict": "reject",
            "reviewer": "qa",
            "reason": "read the receipts",
        },
    )
    home = client.get("/").text
    assert "rejected</span>: read the receipts" in home and "/tasks/1/reopen" in home
    reopened = client.post("/tasks/1/reopen")
    assert "Task 1 reopened" in reopened.text and "todo" in reopened.text
    again = client.post("/tasks/1/start")
    assert str(again.url).endswith("/sessions/2") and "Step 0" not in again.text
    assert client.post("/tasks/1/reopen").status_code == 404  # in progress: nothing to reopen
