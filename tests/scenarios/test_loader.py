"""A bad scenario file is refused before anything runs, naming file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandbox.errors import ScenarioError
from scenarios import load_scenario, parse_scenario

GOOD = """\
id: tiny
title: Tiny
task: Write hello to ~/out.txt
tools: ["fs_write_file"]
goal:
  - check: file_contains
    path: ~/out.txt
    text: hello
solutions:
  direct:
    - tool: fs_write_file
      arguments: {path: ~/out.txt, content: hello}
    - tool: submit
      arguments: {answer: done}
"""


def test_good_scenario_parses() -> None:
    scenario = parse_scenario(GOOD)
    assert scenario.id == "tiny"
    assert scenario.content_hash.startswith("sha256:")


def test_content_hash_ignores_formatting_but_not_content() -> None:
    base = parse_scenario(GOOD).content_hash
    assert (
        parse_scenario(
            GOOD.replace(
                "{path: ~/out.txt, content: hello}",
                "\n        path: ~/out.txt\n        content: hello",
            )
        ).content_hash
        == base
    )
    assert parse_scenario(GOOD.replace("Write hello", "Write hi")).content_hash != base


def _error(text: str, source: str = "x.yaml") -> str:
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, source=source)
    return str(caught.value)


def test_missing_field_in_a_check_names_line_and_field() -> None:
    text = GOOD.replace("    path: ~/out.txt\n    text: hello\n", "    text: hello\n")
    message = _error(text)
    assert message.startswith("x.yaml:6: goal[0].path: Field required"), message


def test_unknown_check_kind() -> None:
    message = _error(GOOD.replace("check: file_contains", "check: file_smells"))
    assert "x.yaml:6: goal[0]: Input tag 'file_smells'" in message
    assert "file_contains" in message  # lists what was expected


def test_wrong_type_names_the_line() -> None:
    message = _error(GOOD.replace("tools:", "max_steps: many\ntools:"))
    assert "x.yaml:4: max_steps:" in message


def test_unknown_top_level_field() -> None:
    message = _error(GOOD + "colour: blue\n")
    assert "x.yaml:15: colour: Extra inputs are not permitted" in message


def test_unknown_tool_pattern() -> None:
    message = _error(GOOD.replace('["fs_write_file"]', '["fs_write_file", "ftp_*"]'))
    assert "x.yaml:4: tools[1]: no tool matches 'ftp_*'" in message


def test_solution_using_a_tool_not_offered() -> None:
    text = GOOD.replace(
        "    - tool: submit",
        "    - tool: fs_delete\n      arguments: {path: x}\n    - tool: submit",
    )
    message = _error(text)
    assert "x.yaml:13: solutions.direct[1].tool: 'fs_delete' is not among" in message


def test_yaml_syntax_error_names_line() -> None:
    message = _error(GOOD.replace("title: Tiny", "title: [Tiny"))
    assert message.startswith("x.yaml:") and "YAML syntax error" in message


def test_top_level_must_be_a_mapping() -> None:
    assert "expected a mapping" in _error("- a\n- b\n")


def test_file_id_must_match_file_name(tmp_path: Path) -> None:
    path = tmp_path / "other.yaml"
    path.write_text(GOOD)
    with pytest.raises(ScenarioError, match=r"other.yaml:1: id: 'tiny' must equal the file name"):
        load_scenario(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="cannot read scenario file"):
        load_scenario(tmp_path / "nope.yaml")
