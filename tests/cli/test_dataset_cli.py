"""annotate, review, export and stats from the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
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


def test_export_parquet_from_the_command_line_loads_with_datasets(tmp_path: Path) -> None:
    datasets = pytest.importorskip("datasets")
    runs = tmp_path / "runs"
    assert invoke("solve", "price-survey", "--out", str(runs / "a.jsonl")).exit_code == 0
    out = tmp_path / "out" / "d.parquet"
    result = invoke("export", str(runs), "-f", "parquet", "-o", str(out), "--json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    feedback = tmp_path / "out" / "d.feedback.parquet"
    assert summary["exported"] == 1 and summary["feedback_path"] == str(feedback)
    cache = str(tmp_path / "cache")
    episodes = datasets.load_dataset("parquet", data_files=str(out), split="train", cache_dir=cache)
    steps = datasets.load_dataset(
        "parquet", data_files=str(feedback), split="train", cache_dir=cache
    )
    assert episodes[0]["scenario_id"] == "price-survey" and episodes[0]["score"] == 1.0
    assert len(steps) == episodes[0]["num_steps"] and steps[0]["status"] == "success"
    assert sorted(p.name for p in out.parent.iterdir()) == ["d.feedback.parquet", "d.parquet"]


def test_an_empty_parquet_export_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    assert invoke("solve", "price-survey", "--out", str(runs / "a.jsonl")).exit_code == 0
    out = tmp_path / "d.parquet"
    result = invoke("export", str(runs), "-f", "parquet", "-o", str(out), "--status", "approved")
    assert result.exit_code == 2 and "no episodes to export" in result.stderr
    assert not out.exists() and not (tmp_path / "d.feedback.parquet").exists()


def test_export_skips_and_reports_a_bad_file_and_never_leaves_a_partial_output(
    tmp_path: Path,
) -> None:
    runs = tmp_path / "runs"
    assert invoke("solve", "price-survey", "--out", str(runs / "a.jsonl")).exit_code == 0
    good = (runs / "a.jsonl").read_text().splitlines()
    broken = [good[0], "{not json", *good[1:]]
    (runs / "b.jsonl").write_text("\n".join(broken) + "\n")
    out = tmp_path / "out.jsonl"
    result = invoke("export", str(runs), "-f", "openai", "-o", str(out), "--json")
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    assert summary["exported"] == 1 and [b["path"] for b in summary["bad"]] == [
        str(runs / "b.jsonl")
    ]
    assert "b.jsonl" in result.stderr and "not a trajectory record" in result.stderr
    assert len(out.read_text().splitlines()) == 1
    strict = invoke("export", str(runs), "-f", "openai", "-o", str(out), "--strict")
    assert strict.exit_code == 1
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_export_refuses_an_unknown_review_status(tmp_path: Path) -> None:
    traj = tmp_path / "a.jsonl"
    assert invoke("solve", "price-survey", "--out", str(traj)).exit_code == 0
    out = tmp_path / "out.jsonl"
    result = invoke("export", str(traj), "-f", "openai", "-o", str(out), "--status", "aproved")
    assert result.exit_code == 2 and "unknown review status 'aproved'" in result.stderr
    assert "approved, rejected, unreviewed" in result.stderr and not out.exists()


def test_solve_and_run_refuse_to_overwrite_a_recording_unless_forced(tmp_path: Path) -> None:
    traj = tmp_path / "t.jsonl"
    assert invoke("solve", "price-survey", "--out", str(traj)).exit_code == 0
    assert invoke("annotate", str(traj), "--step", "0", "--label", "success").exit_code == 0
    before = traj.read_text()
    again = invoke("solve", "price-survey", "--out", str(traj))
    assert again.exit_code == 2 and "already exists" in again.stderr and "--force" in again.stderr
    actions = tmp_path / "a.jsonl"
    actions.write_text('{"tool": "submit", "arguments": {"answer": "x"}}\n')
    ran = invoke("run", "price-survey", "--actions", str(actions), "--out", str(traj))
    assert ran.exit_code == 2 and traj.read_text() == before
    assert invoke("solve", "price-survey", "--out", str(traj), "--force").exit_code == 0
    assert '"kind":"annotation"' not in traj.read_text()


def test_audit_accepts_a_folder(tmp_path: Path) -> None:
    runs = tmp_path / "runs"
    traj = runs / "a.jsonl"
    assert invoke("solve", "price-survey", "--out", str(traj)).exit_code == 0
    assert invoke("annotate", str(traj), "--step", "0", "--label", "success").exit_code == 0
    result = invoke("audit", str(runs), "--json")
    assert result.exit_code == 0 and json.loads(result.stdout)


def test_evidence_shows_an_enum_by_its_value() -> None:
    from enum import Enum

    from scenarios.checks import _plain_repr

    class OrderStatus(Enum):
        refunded = "refunded"

    assert _plain_repr(OrderStatus.refunded) == "'refunded'" and _plain_repr(3) == "3"
