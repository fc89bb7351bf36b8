"""The benchmarks run (at tiny sizes) in the test suite, so they cannot rot. No timing is
asserted here: figures mean something only from ``make bench`` on a quiet machine."""

from __future__ import annotations

import builtins
import json
import sys
from pathlib import Path

import pytest

from bench.__main__ import main
from bench.cachesim import cycles, parse_summary
from bench.taubench import taubench_retail
from bench.timing import paired_ratio


def test_every_measure_runs_and_yields_numbers(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    assert main(["--smoke", "--out", str(out)]) == 0
    results = json.loads(out.read_text())["results"]
    names = {result["name"] for result in results}
    assert len(results) >= 11
    assert any(name.startswith("fs_read_file step") for name in names)
    assert any(name.startswith("replay --verify") for name in names)
    for result in results:
        assert isinstance(result["value"], float) and result["value"] >= 0, result


FAKE_TAU_BENCH = """
import litellm  # tau-bench's LLM user needs it; the bench stubs it when missing

class Action:
    def __init__(self, name):
        self.name, self.kwargs = name, {}

class Task:
    def __init__(self, names):
        self.actions = [Action(name) for name in names]

class Response:
    def __init__(self, done):
        self.done = done

class Env:
    def __init__(self):
        self.tasks = [Task(["get", "respond", "set"]), Task(["get", "transfer"])]
        self.rewards = 0
        self.calls = []

    def reset(self, task_index):
        self.calls.append(input("instruction"))  # the human user answers at once

    def step(self, action):
        self.calls.append(action.name)
        return Response(done=action.name == "transfer")

    def calculate_reward(self):
        self.rewards += 1

ENV = Env()

def get_env(name, user_strategy, user_model, task_split, task_index):
    assert (name, user_strategy, task_split) == ("retail", "human", "test")
    return ENV
"""


def test_tau_bench_runs_beside_ours_from_a_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    envs = tmp_path / "tau_bench" / "envs"
    (envs / "retail").mkdir(parents=True)
    (tmp_path / "tau_bench" / "__init__.py").write_text("")
    (envs / "__init__.py").write_text(FAKE_TAU_BENCH)
    monkeypatch.setattr(sys, "path", list(sys.path))
    for name in ("tau_bench", "tau_bench.envs", "litellm"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    asking = builtins.input
    result = taubench_retail(tmp_path)
    env = sys.modules["tau_bench.envs"].ENV
    assert env.calls == ["hello", "get", "set", "hello", "get", "transfer"]  # no "respond"
    assert env.rewards == 1  # the task a terminating tool did not already score
    assert builtins.input is asking
    assert result.value > 0 and "2 tasks, 4 tool calls" in result.detail
    for name in ("tau_bench", "tau_bench.envs", "litellm"):
        sys.modules.pop(name, None)


def test_a_path_that_is_no_tau_bench_checkout_is_refused_up_front(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["--tau-bench", str(tmp_path), "--out", str(tmp_path / "r.json")])
    assert stop.value.code == 2
    assert f"{tmp_path}: no tau_bench/envs/retail" in capsys.readouterr().err
    assert not (tmp_path / "r.json").exists()  # refused before measuring anything


def test_paired_ratio_compares_each_round_with_itself() -> None:
    # round 2 was a slow spell for both sides: each round's ratio is 2, whatever the medians
    assert paired_ratio([2.0, 40.0, 3.0], [1.0, 20.0, 1.5]) == 2.0
    assert paired_ratio([1.0, 9.0, 5.0], [1.0, 3.0, 1.0]) == 3.0  # medians alone: 5 / 1
    with pytest.raises(ValueError):
        paired_ratio([1.0], [1.0, 2.0])


VALGRIND_SUMMARY = """
==24304== I   refs:      213,425,939
==24304== I1  misses:      6,567,505
==24304== LLi misses:         95,787
==24304== D   refs:       97,624,441  (61,016,049 rd + 36,608,392 wr)
==24304== D1  misses:      4,738,660  ( 3,729,430 rd +  1,009,230 wr)
==24304== LLd misses:        414,439  (   315,216 rd +     99,223 wr)
"""


def test_the_cache_simulation_reads_valgrinds_summary_and_weighs_its_misses() -> None:
    counts = parse_summary(VALGRIND_SUMMARY)
    assert counts == {
        "instructions": 213_425_939,
        "i1_misses": 6_567_505,
        "d1_misses": 4_738_660,
        "l2i_misses": 95_787,
        "l2d_misses": 414_439,
    }
    assert cycles(counts) == 213_425_939 + 10 * (6_567_505 + 4_738_660) + 40 * (95_787 + 414_439)
    with pytest.raises(ValueError, match="D1  misses"):
        parse_summary(VALGRIND_SUMMARY.replace("D1  misses", "D1 gone"))
