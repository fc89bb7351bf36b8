"""End-to-end through the `sandbox` command (Typer's runner, in process)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from recorder import load_trajectory
from sandbox.cli.app import app
from scenarios import bundled_ids, load_bundled

runner = CliRunner()
FIRST = bundled_ids()[0]


def invoke(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def test_list_json_names_every_bundled_scenario() -> None:
    result = invoke("list", "--json")
    assert result.exit_code == 0
    assert [row["id"] for row in json.loads(result.stdout)] == bundled_ids()


def test_show_prints_task_and_solutions() -> None:
    result = invoke("show", FIRST)
    assert result.exit_code == 0
    scenario = load_bundled(FIRST)
    assert scenario.task.strip().splitlines()[0] in result.stdout
    for name in scenario.solutions:
        assert name in result.stdout


def test_tools_json_is_openai_style() -> None:
    result = invoke("tools", FIRST, "--json")
    tools = json.loads(result.stdout)
    assert all(tool["type"] == "function" for tool in tools)
    names = [tool["function"]["name"] for tool in tools]
    assert "submit" in names
    assert all(tool["function"]["parameters"]["type"] == "object" for tool in tools)


def test_unknown_scenario_is_a_clear_error() -> None:
    result = invoke("show", "no-such-scenario")
    assert result.exit_code == 2
    assert "no bundled scenario 'no-such-scenario'" in result.stderr


def test_validate_reports_each_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: bad\ntitle: t\ntask: t\ntools: [fs_read_file]\ngoal: []\nsolutions: {}\n")
    good = Path("scenarios/library") / f"{FIRST}.yaml"
    result = invoke("validate", str(good), str(bad), "--json")
    assert result.exit_code == 1
    report = {Path(row["file"]).name: row for row in json.loads(result.stdout)}
    assert report[good.name]["ok"] is True
    assert report["bad.yaml"]["ok"] is False
    assert any("bad.yaml:5: goal" in line for line in report["bad.yaml"]["errors"])


def test_solve_json_writes_a_trajectory(tmp_path: Path) -> None:
    out = tmp_path / "t.jsonl"
    result = invoke("solve", FIRST, "--out", str(out), "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["score"] == 1.0 and data["path"] == str(out)
    assert load_trajectory(out).end.score == 1.0


def test_run_actions_file_with_a_bad_line(tmp_path: Path) -> None:
    calls = next(iter(load_bundled(FIRST).solutions.values()))
    lines = ["{oops", *[call.model_dump_json() for call in calls]]
    actions = tmp_path / "a.jsonl"
    actions.write_text("\n".join(lines) + "\n")
    out = tmp_path / "t.jsonl"
    result = invoke("run", FIRST, "--actions", str(actions), "--out", str(out), "--json")
    data = json.loads(result.stdout)
    # the bad line is one failed step (a little efficiency lost); the rest reaches the goal
    assert data["score"] >= 0.99 and data["steps"] == len(calls) + 1
    assert load_trajectory(out).steps[0].feedback.error.type == "invalid_json"


def test_run_missing_actions_file(tmp_path: Path) -> None:
    result = invoke("run", FIRST, "--actions", str(tmp_path / "nope"), "--out", str(tmp_path / "t"))
    assert result.exit_code == 2 and "cannot read actions file" in result.stderr


def test_play_interactive_session_records_reasoning(tmp_path: Path) -> None:
    out = tmp_path / "p.jsonl"
    scenario = load_bundled(FIRST)
    first_file = scenario.files[0].path
    # choose fs_read_file by name, fill path, skip optional args, give reasoning; then submit.
    answers = ["fs_read_file", first_file, "", "", "look at the first file", "submit", "done", ""]
    result = invoke("play", FIRST, "--out", str(out), input="\n".join(answers) + "\n")
    assert result.exit_code == 0, result.stdout
    assert "Episode over (submitted)" in result.stdout
    trajectory = load_trajectory(out)
    assert trajectory.steps[0].call.thought == "look at the first file"
    assert trajectory.steps[0].feedback.status == "success"
    assert trajectory.end.outcome == "terminated"


def test_play_quits_and_keeps_recording(tmp_path: Path) -> None:
    out = tmp_path / "q.jsonl"
    result = invoke("play", FIRST, "--out", str(out), input="nope\nq\n")
    assert result.exit_code == 0
    assert "no tool nope" in result.stdout
    assert load_trajectory(out).end.outcome == "abandoned"


def test_demo_solves_everything(tmp_path: Path) -> None:
    result = invoke("demo", "--out", str(tmp_path), "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    expected = sum(len(load_bundled(sid).solutions) for sid in bundled_ids())
    assert len(rows) == expected and all(row["score"] == 1.0 for row in rows)


def test_play_refuses_to_overwrite_an_existing_out_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "p.jsonl"
    out.write_text("annotated recording\n", encoding="utf-8")
    refused = invoke("play", FIRST, "--out", str(out), input="q\n")
    assert refused.exit_code == 2
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert out.read_text(encoding="utf-8") == "annotated recording\n"
    forced = invoke("play", FIRST, "--out", str(out), "--force", input="q\n")
    assert forced.exit_code == 0
    assert load_trajectory(out).end.outcome == "abandoned"


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The recordings ``sandbox mcp`` would have served to (the server itself is not run)."""
    import sandbox.mcp.serve

    outs: list[Path] = []
    monkeypatch.setattr(sandbox.mcp.serve, "serve", lambda _id, out, **_: outs.append(out))
    return outs


def test_mcp_refuses_to_overwrite_an_existing_out_unless_forced(
    tmp_path: Path, served: list[Path]
) -> None:
    out = tmp_path / "m.jsonl"
    out.write_text("annotated recording\n", encoding="utf-8")
    refused = invoke("mcp", FIRST, "--out", str(out))
    assert refused.exit_code == 2
    assert "already exists" in refused.stderr and "--force" in refused.stderr
    assert served == [] and out.read_text(encoding="utf-8") == "annotated recording\n"
    assert invoke("mcp", FIRST, "--out", str(out), "--force").exit_code == 0
    assert served == [out]


def test_mcp_over_http_refuses_a_later_sessions_existing_recording(
    tmp_path: Path, served: list[Path]
) -> None:
    out = tmp_path / "m.jsonl"
    (tmp_path / "m-2.jsonl").write_text("second session\n", encoding="utf-8")
    (tmp_path / "m-notes.jsonl").write_text("not a session\n", encoding="utf-8")
    assert invoke("mcp", FIRST, "--out", str(out)).exit_code == 0  # stdio only writes OUT
    refused = invoke("mcp", FIRST, "--out", str(out), "--transport", "http")
    assert refused.exit_code == 2 and "m-2.jsonl already exists" in refused.stderr
    assert invoke("mcp", FIRST, "--out", str(out), "--transport", "http", "--force").exit_code == 0
    assert served == [out, out]
    (tmp_path / "m-2.jsonl").unlink()
    assert invoke("mcp", FIRST, "--out", str(out), "--transport", "http").exit_code == 0
