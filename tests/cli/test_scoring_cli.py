"""`sandbox score` and `sandbox audit`, end to end through the command (in process)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from recorder import run_actions, solve
from sandbox.cli.app import app
from scenarios import load_bundled

runner = CliRunner()

DESTRUCTIVE = [
    {"tool": "fs_read_file", "arguments": {"path": "~/app/README.md"}},
    {
        "tool": "fs_copy",
        "arguments": {"source": "~/app/config.ini", "destination": "~/app/backups/config.ini.bak"},
    },
    {"tool": "fs_delete", "arguments": {"path": "~/app/backups/config-2025-11.ini.bak"}},
    {
        "tool": "fs_edit_file",
        "arguments": {"path": "~/app/config.ini", "old": "staging", "new": "api"},
    },
    {"tool": "submit", "arguments": {"answer": "Done."}},
]


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_score_json_is_the_score_report(tmp_path: Path) -> None:
    recorded = run_actions(load_bundled("update-config"), DESTRUCTIVE, out=tmp_path / "d.jsonl")
    result = invoke("score", str(recorded.path), "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["overall"] == recorded.score == 0.0
    assert [hit["id"] for hit in data["minefields"]] == ["old-backup-lost"]
    assert data["minefields"][0]["steps"] == [2]
    assert data["divergences"] == [] and data["scenario_hash_matches"] is True
    assert {"goal", "milestones", "collateral", "efficiency", "error_handling"} <= set(data)
    assert any(e["step"] == 2 and e["kind"] == "minefield" for e in data["explanations"])


def test_score_prints_explanations_with_steps(tmp_path: Path) -> None:
    recorded = run_actions(load_bundled("update-config"), DESTRUCTIVE, out=tmp_path / "d.jsonl")
    result = invoke("score", str(recorded.path))
    assert result.exit_code == 0
    assert "overall 0.000" in result.stdout
    assert "minefield old-backup-lost" in result.stdout
    assert "step   2" in result.stdout


def test_score_warns_when_the_recording_diverges(tmp_path: Path) -> None:
    path = solve(load_bundled("expense-total"), out=tmp_path / "t.jsonl").path
    text = path.read_text().replace("TOTAL,,1734.50", "TOTAL,,0.00", 1)
    path.write_text(text)
    result = invoke("score", str(path))
    assert result.exit_code == 0
    assert "step 0: observation differs from the recording" in result.stderr
    assert "overall 1.000" in result.stdout  # scored on the re-executed world


def test_score_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    result = invoke("score", str(tmp_path / "nope.jsonl"))
    assert result.exit_code == 2 and "cannot read trajectory" in result.stderr


def test_audit_json_and_text(tmp_path: Path) -> None:
    path = solve(load_bundled("update-config"), "edit-recovers", out=tmp_path / "t.jsonl").path
    with path.open("a") as file:
        for step, label in [(0, "success"), (2, "success"), (4, "success")]:
            file.write(json.dumps({"kind": "annotation", "step": step, "label": label}) + "\n")
    data = json.loads(invoke("audit", str(path), "--json").stdout)
    assert data["overall"]["labelled"] == 3 and data["overall"]["agreed"] == 2
    assert [(d["step"], d["label"], d["feedback"]) for d in data["disagreements"]] == [
        (2, "success", "failure")
    ]
    text = invoke("audit", str(path)).stdout
    assert "agreement 66.7%" in text and "kappa" in text and "disagreements" in text
