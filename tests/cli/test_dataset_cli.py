"""annotate, review, export and stats from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from sandbox.cli.app import app

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_annotate_review_export_stats(tmp_path: Path) -> None:
    traj = tmp_path / "runs" / "a.jsonl"
    assert invoke("solve", "price-survey", "--out", str(traj)).exit_code == 0
    assert invoke("annotate", str(traj), "--step", "1", "--label", "success",
                  "--annotator", "ana").exit_code == 0  # fmt: skip
    shown = json.loads(invoke("annotate", str(traj), "--show", "--json").stdout)
    assert shown["annotations"][0]["label"] == "success" and shown["status"] == "unreviewed"
    bad = invoke("annotate", str(traj), "--step", "40", "--label", "success")
    assert bad.exit_code == 2 and "no step 40" in bad.stderr
    out = tmp_path / "approved.jsonl"
    runs = str(tmp_path / "runs")
    export = ("export", runs, "-f", "openai", "-o", str(out), "--status", "approved", "--json")
    none = json.loads(invoke(*export).stdout)
    assert none["exported"] == 0 and none["skipped"] == 1
    assert invoke("review", str(traj), "--approve", "--reviewer", "qa").exit_code == 0
    done = json.loads(invoke(*export, "--min-score", "0.99").stdout)
    assert done["exported"] == 1
    example = json.loads(out.read_text().splitlines()[0])
    assert example["metadata"]["status"] == "approved" and example["metadata"]["score"] == 1.0
    report = json.loads(invoke("stats", runs, "--json").stdout)
    assert report["episodes"] == 1 and report["labels"] == {"success": 1}
    assert invoke("export", str(traj), "-f", "xml", "-o", str(out)).exit_code == 2
