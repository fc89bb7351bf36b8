"""Imports point one way: sandbox ← tools ← scenarios ← recorder; the front doors are leaves."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROOMS = ["sandbox", "tools", "scenarios", "recorder"]
LEAVES = ("sandbox.cli", "sandbox.web", "sandbox.mcp", "sandbox.__main__")


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _room(module: str) -> str | None:
    top = module.split(".")[0]
    return top if top in ROOMS else None


def _is_leaf(module: str) -> bool:
    return any(module == leaf or module.startswith(leaf + ".") for leaf in LEAVES)


SOURCES = [p for room in ROOMS for p in sorted((ROOT / room).rglob("*.py"))]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_import_points_right_and_nothing_imports_a_leaf(path: Path) -> None:
    importer = _module_name(path)
    problems = []
    for line, imported in _imports(path):
        if _is_leaf(imported) and not _is_leaf(importer):
            problems.append(f"{path.name}:{line} imports the front door {imported}")
        if _is_leaf(importer):
            continue
        own, other = _room(importer), _room(imported)
        if own and other and ROOMS.index(other) > ROOMS.index(own):
            problems.append(f"{path.name}:{line}: {own} must not import {imported} ({other})")
    assert not problems, "\n".join(problems)


def test_the_check_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from recorder.storage import load_trajectory\n")
    assert _imports(bad) == [(1, "recorder.storage")]
    assert ROOMS.index(_room("recorder.storage")) > ROOMS.index("sandbox")
