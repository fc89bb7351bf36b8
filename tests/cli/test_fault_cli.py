"""The fault and service catalogues through the `sandbox` command, and `--fault-seed`."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from recorder import load_trajectory
from sandbox.cli.app import app
from sandbox.faults import KINDS
from scenarios import load_bundled
from tools.catalog import SERVICES

runner = CliRunner()
PROBABILISTIC = "invoice-from-flaky-mail"  # its laggy-mail-api fault has a probability trigger


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False)


def test_faults_json_lists_every_kind_with_its_recovery() -> None:
    result = invoke("faults", "--json")
    assert result.exit_code == 0
    kinds = json.loads(result.stdout)
    assert set(kinds) == set(KINDS)
    assert kinds["rate_limit"]["recovery"] == "retry_after_wait"
    assert kinds["timeout"]["unsafe_recovery"] == "use_alternative"
    assert "retry_after" in kinds["http_500"]["params"]
    assert kinds["vanished"]["layer"] == "file" and kinds["page_error"]["layer"] == "browser"


def test_services_json_lists_every_endpoint_of_every_service() -> None:
    result = invoke("services", "--json")
    assert result.exit_code == 0
    listed = {row["name"]: row for row in json.loads(result.stdout)}
    assert set(listed) == set(SERVICES)
    for name, service in SERVICES.items():
        row = listed[name]
        assert row["base_url"] == service.base_url
        assert row["credentials_file"] == f"~/.config/{name}/credentials"
        got = {(e["method"], e["path"], e["scope"]) for e in row["endpoints"]}
        assert got == {(e.method, e.path, e.scope) for e in service.endpoints}


def test_show_lists_the_scenario_faults_with_their_triggers() -> None:
    result = invoke("show", PROBABILISTIC)
    assert result.exit_code == 0
    scenario = load_bundled(PROBABILISTIC)
    assert f"Faults ({len(scenario.faults)})" in result.stdout
    for fault in scenario.faults:
        assert f"{fault.id}: {fault.kind}" in result.stdout
    assert "(probability=0.3)" in result.stdout


def test_show_names_a_recovery_the_scenario_sets_itself() -> None:
    result = invoke("show", "refund-needs-customer-approval")
    assert result.exit_code == 0
    line = next(x for x in result.stdout.splitlines() if "approval-required: forbidden" in x)
    assert "body_lacks=APR-58213" in line and line.endswith("; expected recovery ask_user")
    plain = invoke("show", PROBABILISTIC).stdout
    assert "expected recovery" not in plain  # the kinds' own recoveries: see `sandbox faults`


def _faulted_steps(tmp_path: Path, fault_seed: int) -> tuple[list[tuple[int, str]], float]:
    calls = load_bundled(PROBABILISTIC).solutions["wait-and-retry"]
    actions = tmp_path / "actions.jsonl"
    actions.write_text("".join(call.model_dump_json() + "\n" for call in calls))
    out = tmp_path / f"t{fault_seed}-{len(list(tmp_path.glob('t*.jsonl')))}.jsonl"
    result = invoke(
        "run", PROBABILISTIC, "--actions", str(actions), "--out", str(out),
        "--fault-seed", str(fault_seed), "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stdout
    steps = load_trajectory(out).steps
    return [(s.index, s.feedback.fault) for s in steps if s.feedback.fault], json.loads(
        result.stdout
    )["score"]


def test_fault_seed_changes_which_steps_fault(tmp_path: Path) -> None:
    default, score = _faulted_steps(tmp_path, 0)
    assert score == 1.0  # the reference solution, with the default fault seed
    assert _faulted_steps(tmp_path, 0)[0] == default  # deterministic
    others = [_faulted_steps(tmp_path, seed)[0] for seed in (1, 2, 3)]
    assert any(other != default for other in others), (default, others)
    lagging = {seed: [i for i, f in run if f == "laggy-mail-api"] for seed, run in
               zip((0, 1, 2, 3), [default, *others], strict=True)}  # fmt: skip
    assert len({tuple(steps) for steps in lagging.values()}) > 1, lagging
