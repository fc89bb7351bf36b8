"""Re-executing recordings for scoring, and auditing annotators' labels against feedback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recorder import load_trajectory, run_actions, solve
from recorder.audit import audit, cohen_kappa
from recorder.rerun import rerun
from sandbox.errors import TrajectoryError
from scenarios import load_bundled, score_episode


def test_cohen_kappa_known_values() -> None:
    pairs = [
        ("success", "success"),
        ("success", "failure"),
        ("failure", "failure"),
        ("failure", "failure"),
    ]
    # observed 3/4; chance: 0.5 * 0.25 + 0.5 * 0.75 = 0.5; kappa = 0.25 / 0.5
    assert cohen_kappa(pairs) == 0.5
    assert cohen_kappa([("success", "success")] * 3) is None  # undefined: no variation
    assert cohen_kappa([("success", "failure"), ("failure", "success")]) == -1.0
    assert cohen_kappa([]) is None


def _annotate(path: Path, *notes: dict) -> None:
    with path.open("a", encoding="utf-8") as file:
        for note in notes:
            file.write(json.dumps({"kind": "annotation", **note}) + "\n")


def test_audit_reports_agreement_kappa_and_each_disagreement(tmp_path: Path) -> None:
    scenario = load_bundled("update-config")
    path = solve(scenario, "edit-recovers", out=tmp_path / "t.jsonl").path
    statuses = [step.feedback.status for step in load_trajectory(path).steps]
    assert statuses[2] == "failure" and statuses.count("failure") == 1
    _annotate(
        path,
        {"step": 0, "label": "success", "annotator": "ann"},
        {"step": 2, "label": "failure", "annotator": "ann"},
        {"step": 3, "label": "partial", "annotator": "ann", "comment": "only a read"},
        {"step": 2, "label": "success", "annotator": "bob"},
        {"step": 2, "label": "failure", "annotator": "bob"},  # the later label counts
        {"step": 4, "label": "failure", "annotator": "bob"},
        {"step": 9, "label": "success", "annotator": "bob"},  # no such step
        {"step": 1, "annotator": "bob", "comment": "no label: not compared"},
    )
    trajectory = load_trajectory(path)
    assert len(trajectory.annotations) == 8
    report = audit([trajectory])
    assert (report.overall.labelled, report.overall.agreed) == (5, 3)
    assert report.overall.percent == 60.0
    # labels s,f,p,f,f vs truth s,f,s,f,s: chance = (1*3 + 3*2) / 25 = 0.36
    assert report.overall.kappa == pytest.approx((0.6 - 0.36) / 0.64, abs=1e-6)
    assert [(d.annotator, d.step, d.label, d.feedback) for d in report.disagreements] == [
        ("ann", 3, "partial", "success"),
        ("bob", 4, "failure", "success"),
    ]
    assert report.disagreements[0].comment == "only a read"
    assert report.confusion["partial"]["success"] == 1
    assert [(a.annotator, a.labelled, a.agreed) for a in report.annotators] == [
        ("ann", 3, 2),
        ("bob", 2, 1),
    ]
    assert len(report.problems) == 1 and "step 9" in report.problems[0]


def test_rerun_rebuilds_the_final_world_and_the_same_score(tmp_path: Path) -> None:
    scenario = load_bundled("organise-downloads")
    calls = [
        {"tool": "fs_read_file", "arguments": {"path": "~/Downloads/README.md"}},
        "this is not json",
        {"tool": "fs_delete", "arguments": {"path": "~/Documents/tax-return-2024.pdf"}},
        {"tool": "submit", "arguments": {"answer": "partly done"}},
    ]
    result = run_actions(scenario, calls, out=tmp_path / "r.jsonl")
    with rerun(load_trajectory(result.path)) as again:
        assert again.hash_matches and again.divergences == []
        report = score_episode(again.scenario, again.episode)
    assert report.overall == result.score
    assert [c.target for c in report.collateral] == ["fs:/home/user/Documents/tax-return-2024.pdf"]


def test_rerun_reports_divergences_and_refuses_another_scenario(tmp_path: Path) -> None:
    path = solve(load_bundled("expense-total"), "read-direct", out=tmp_path / "e.jsonl").path
    lines = path.read_text().splitlines()
    step = json.loads(lines[1])
    step["observation"] = "something else"
    lines[1] = json.dumps(step)
    path.write_text("\n".join(lines) + "\n")
    with rerun(load_trajectory(path)) as again:
        assert [(d.step, d.field) for d in again.divergences] == [(0, "observation")]
    with pytest.raises(TrajectoryError, match="recorded in scenario 'expense-total'"):
        rerun(load_trajectory(path), load_bundled("update-config"))
