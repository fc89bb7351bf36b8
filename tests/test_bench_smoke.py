"""The benchmarks run (at tiny sizes) in the test suite, so they cannot rot. No timing is
asserted here: figures mean something only from ``make bench`` on a quiet machine."""

from __future__ import annotations

import json
from pathlib import Path

from bench.__main__ import main


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
