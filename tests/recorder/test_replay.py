"""Replay --verify: identical recordings pass; tampering and scenario changes are caught."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from recorder import load_trajectory, solve
from recorder.replay import verify, verify_files
from sandbox.cli.app import app
from scenarios import load_bundled, parse_scenario
from scenarios.schema import Scenario


def test_every_reference_recording_verifies(bundled: Scenario, tmp_path: Path) -> None:
    for name in bundled.solutions:
        result = solve(bundled, name, out=tmp_path / f"{name}.jsonl")
        report = verify(load_trajectory(result.path))
        assert report.identical and report.hash_matches and report.scenario_changed == []
        assert report.steps == result.steps


def test_tampered_observation_is_the_first_divergence(bundled: Scenario, tmp_path: Path) -> None:
    path = solve(bundled, out=tmp_path / "t.jsonl").path
    lines = path.read_text().splitlines()
    step = json.loads(lines[2])  # the second step
    step["observation"] += "\nextra line"
    lines[2] = json.dumps(step)
    path.write_text("\n".join(lines) + "\n")
    report = verify(load_trajectory(path))
    assert not report.identical
    assert report.first is not None and report.first.step == 1
    assert report.first.field == "observation" and "-extra line" in report.first.diff


def test_changed_scenario_names_what_changed(tmp_path: Path) -> None:
    scenario = load_bundled("rotate-leaked-key")
    path = solve(scenario, out=tmp_path / "t.jsonl").path
    changed = parse_scenario(
        Path("scenarios/library/rotate-leaked-key.yaml")
        .read_text()
        .replace("Submit the list of", "Then submit the list of")
    )
    report = verify(load_trajectory(path), changed)
    assert report.scenario_changed == ["task"] and not report.hash_matches
    assert report.identical  # the task text is not in any observation after reset


def test_torn_recording_replays_up_to_the_last_whole_step(
    bundled: Scenario, tmp_path: Path
) -> None:
    path = solve(bundled, out=tmp_path / "t.jsonl").path
    text = path.read_text()
    cut = text[: text.rindex('{"kind":"end"') if '{"kind":"end"' in text else len(text)]
    cut = cut[: cut.rindex("\n", 0, len(cut) - 1) + 1] + '{"index": 99, "cal'
    path.write_text(cut)
    trajectory = load_trajectory(path)
    report = verify(trajectory)
    assert report.identical and report.torn_tail and report.steps == len(trajectory.steps)


def test_cli_exit_codes(bundled: Scenario, tmp_path: Path) -> None:
    runner = CliRunner()
    path = solve(bundled, out=tmp_path / "t.jsonl").path
    ok = runner.invoke(app, ["replay", str(path), "--verify", "--json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["identical"] is True
    shown = runner.invoke(app, ["replay", str(path), "--step", "1"])
    assert shown.exit_code == 0 and "step 1" in shown.stdout and "step 0 " not in shown.stdout
    first_success = next(
        s.index for s in load_trajectory(path).steps if s.feedback.status == "success"
    )
    path.write_text(path.read_text().replace('"status":"success"', '"status":"partial"', 1))
    bad = runner.invoke(app, ["replay", str(path), "--verify"])
    assert bad.exit_code == 1 and f"diverges at step {first_success} (feedback)" in bad.stdout


def _tamper(path: Path) -> None:
    lines = path.read_text().splitlines()
    step = json.loads(lines[2])
    step["observation"] += "\nextra line"
    lines[2] = json.dumps(step)
    path.write_text("\n".join(lines) + "\n")


def test_a_dataset_verifies_in_order_across_worker_processes(tmp_path: Path) -> None:
    paths = []
    for scenario_id in ("expense-total", "organise-downloads", "charge-exactly-once"):
        scenario = load_bundled(scenario_id)
        for name in scenario.solutions:
            paths.append(solve(scenario, name, out=tmp_path / f"{scenario_id}-{name}.jsonl").path)
    _tamper(paths[3])
    (tmp_path / "broken.jsonl").write_text('{"kind":"header","oops":1}\n')
    files = [*sorted(paths), tmp_path / "broken.jsonl"]
    serial = [r.as_json() for r in verify_files(files)]
    pooled = [r.as_json() for r in verify_files(files, jobs=2)]
    assert pooled == serial and [r["path"] for r in serial] == [str(p) for p in files]
    bad = {r["path"] for r in serial if not r["identical"]}
    assert bad == {str(paths[3]), str(tmp_path / "broken.jsonl")}
    assert serial[-1]["error"] and serial[-1]["steps"] == 0

    result = CliRunner().invoke(app, ["replay", str(tmp_path), "--verify", "-j", "2", "--json"])
    summary = json.loads(result.stdout)
    assert result.exit_code == 1 and summary["recordings"] == len(files)
    assert summary["diverged"] == 2 and summary["identical"] == len(files) - 2
    text = CliRunner().invoke(app, ["replay", str(tmp_path), "--verify"]).stdout
    flat = "".join(text.split())  # rich wraps long paths anywhere
    assert f"diverges{paths[3]}atstep1(observation)" in flat
    assert flat.count("broken.jsonl") == 1 and "noheaderline" in flat
    shown = CliRunner().invoke(app, ["replay", str(paths[0]), str(paths[1])])
    assert shown.exit_code == 2 and "--verify" in shown.output


def _edit_line(path: Path, kind: str, edit) -> None:
    lines = path.read_text().splitlines()
    for number, line in enumerate(lines):
        record = json.loads(line)
        if record["kind"] == kind:
            edit(record)
            lines[number] = json.dumps(record)
            break
    path.write_text("\n".join(lines) + "\n")


def test_a_tampered_end_score_or_outcome_is_a_divergence(tmp_path: Path) -> None:
    scenario = load_bundled("rotate-leaked-key")
    path = solve(scenario, out=tmp_path / "t.jsonl").path
    _edit_line(path, "end", lambda end: end.update(score=0.165))
    report = verify(load_trajectory(path))
    assert not report.identical and report.first is None
    assert report.end_divergences == ["score: recorded 0.165, replayed 1"]
    _edit_line(path, "end", lambda end: end.update(score=1.0, outcome="truncated"))
    report = verify(load_trajectory(path))
    assert report.end_divergences == ["outcome: recorded truncated, replayed terminated"]
    result = CliRunner().invoke(app, ["replay", str(path), "--verify"])
    assert result.exit_code == 1 and "diverges at the end line: outcome" in result.stdout
    many = CliRunner().invoke(app, ["replay", str(tmp_path), "--verify", "--json"])
    assert json.loads(many.stdout)["reports"][0]["end_divergences"]


def test_a_tampered_sim_time_is_a_divergence(tmp_path: Path) -> None:
    path = solve(load_bundled("rotate-leaked-key"), out=tmp_path / "t.jsonl").path
    _edit_line(path, "step", lambda step: step.update(sim_time="2030-01-01T00:00:00Z"))
    report = verify(load_trajectory(path))
    assert report.first is not None and report.first.step == 0
    assert report.first.field == "sim_time" and "2030-01-01" in report.first.diff


def test_warnings_are_shown_per_file_and_a_torn_tail_is_mentioned(tmp_path: Path) -> None:
    scenario = load_bundled("rotate-leaked-key")
    paths = [solve(scenario, out=tmp_path / f"{n}.jsonl").path for n in ("a", "b")]
    for path in paths:
        _edit_line(path, "header", lambda header: header["section_hashes"].update(task="x"))
    result = CliRunner().invoke(app, ["replay", str(tmp_path), "--verify"])
    flat = "".join(result.stderr.split())
    assert result.exit_code == 0
    assert all(f"{p}:thescenariochanged" in flat for p in paths)
    text = paths[0].read_text()
    paths[0].write_text(text[: text.rindex('{"kind":"end"')] + '{"kind":"end","outc')
    one = CliRunner().invoke(app, ["replay", str(paths[0]), "--verify"])
    assert one.exit_code == 0 and "the last line is torn" in one.stderr


def test_replay_json_without_verify_prints_the_recording_as_json(tmp_path: Path) -> None:
    path = solve(load_bundled("rotate-leaked-key"), out=tmp_path / "t.jsonl").path
    result = CliRunner().invoke(app, ["replay", str(path), "--json", "--step", "1"])
    data = json.loads(result.stdout)
    trajectory = load_trajectory(path)
    assert data["path"] == str(path) and data["score"] == trajectory.end.score
    assert [s["index"] for s in data["steps"]] == list(range(1, len(trajectory.steps)))


def test_a_divergence_shows_a_window_around_the_first_difference() -> None:
    from recorder.rerun import _window

    recorded = "x" * 300 + "recorded tail"
    now = "x" * 300 + "replayed tail"
    left, right = _window(recorded, now)
    assert left != right and "recorded tail" in left and "replayed tail" in right
    assert left.startswith("…") and len(left) < 140
