"""Load and validate scenario files, refusing a bad one before anything runs.

Every error names the file, the line and the field, e.g.
``scenarios/library/x.yaml:12: goal[1].path: Field required``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from sandbox.errors import ScenarioError
from scenarios.checks import VALUE_TAGS
from scenarios.goals import NODE_TAGS
from scenarios.schema import Scenario
from tools.catalog import ALL_TOOLS


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ScenarioError(f"{path}: cannot read scenario file: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ScenarioError(f"{path}: not UTF-8 text") from None
    scenario = parse_scenario(text, source=str(path))
    if scenario.id != path.stem:
        raise ScenarioError(
            f"{path}:{_line(_compose(text, str(path)), ('id',))}: id: "
            f"{scenario.id!r} must equal the file name {path.stem!r}"
        )
    return scenario


def parse_scenario(text: str, *, source: str = "<scenario>") -> Scenario:
    root = _compose(text, source)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:  # pragma: no cover - compose already parsed it
        raise ScenarioError(f"{source}: {error}") from None
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}:1: expected a mapping of scenario fields at the top level")
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        lines = []
        for issue in error.errors():
            loc = tuple(issue["loc"])
            lines.append(f"{source}:{_line(root, loc)}: {_field(root, loc)}: {issue['msg']}")
        raise ScenarioError("\n".join(lines)) from None
    _check_tools(scenario, root, source)
    return scenario


def _check_tools(scenario: Scenario, root: yaml.Node | None, source: str) -> None:
    from fnmatch import fnmatchcase

    problems = []
    for index, pattern in enumerate(scenario.tools):
        if pattern != "submit" and not any(fnmatchcase(name, pattern) for name in ALL_TOOLS):
            loc = ("tools", index)
            problems.append(
                f"{source}:{_line(root, loc)}: {_field(root, loc)}: no tool matches {pattern!r}; "
                f"known tools: {', '.join(ALL_TOOLS)}"
            )
    offered = {
        name
        for name in ALL_TOOLS
        if name == "submit" or any(fnmatchcase(name, p) for p in scenario.tools)
    }
    for solution, calls in scenario.solutions.items():
        for index, call in enumerate(calls):
            if call.tool not in offered:
                loc = ("solutions", solution, index, "tool")
                problems.append(
                    f"{source}:{_line(root, loc)}: {_field(root, loc)}: {call.tool!r} is not "
                    f"among the scenario's tools ({', '.join(sorted(offered))})"
                )
    for section in ("milestones", "minefields"):
        for index, item in enumerate(getattr(scenario, section)):
            for position, pattern in enumerate(item.action or []):
                pool = offered if section == "milestones" else set(ALL_TOOLS) | {"submit"}
                if not any(fnmatchcase(name, pattern.tool) for name in pool):
                    loc: tuple[Any, ...] = (section, index, "action", position, "tool")
                    if isinstance(_walk(root, loc[:3])[0], yaml.MappingNode):
                        loc = (section, index, "action", "tool")  # one pattern, not a list
                    where = "the scenario's tools" if section == "milestones" else "known tools"
                    problems.append(
                        f"{source}:{_line(root, loc)}: {_field(root, loc)}: {pattern.tool!r} "
                        f"matches none of {where} ({', '.join(sorted(pool))})"
                    )
    if problems:
        raise ScenarioError("\n".join(problems))


def _compose(text: str, source: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        raise ScenarioError(f"{source}:{line}: YAML syntax error: {error.problem}") from None
    except yaml.YAMLError as error:
        raise ScenarioError(f"{source}: YAML error: {error}") from None


def _walk(root: yaml.Node | None, loc: Sequence[Any]) -> tuple[yaml.Node | None, list[str]]:
    """The deepest node ``loc`` reaches, and the parts of ``loc`` that name real fields."""
    node, shown = root, []
    for part in loc:
        if part in NODE_TAGS or part in VALUE_TAGS:
            continue  # a union tag pydantic adds to the location, not a field
        if isinstance(node, yaml.MappingNode):
            child = next((v for k, v in node.value if k.value == str(part)), None)
            if child is None:
                tags = {v.value for k, v in node.value if k.value == "check"}
                if str(part) in tags:
                    continue  # a union tag pydantic adds to the location, not a field
                shown.append(str(part))
                return node, shown
            node = child
            shown.append(str(part))
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            if part >= len(node.value):
                shown.append(f"[{part}]")
                return node, shown
            node = node.value[part]
            shown.append(f"[{part}]")
        else:
            shown.append(str(part) if not isinstance(part, int) else f"[{part}]")
    return node, shown


def _line(root: yaml.Node | None, loc: Sequence[Any]) -> int:
    node, _ = _walk(root, loc)
    return node.start_mark.line + 1 if node is not None else 1


def _field(root: yaml.Node | None, loc: Sequence[Any]) -> str:
    _, shown = _walk(root, loc)
    return "".join(part if part.startswith("[") else f".{part}" for part in shown).lstrip(".") or (
        "(scenario)"
    )
