"""File tools: success paths, and errors that read like a shell's and say what to do."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from sandbox.errors import ToolError
from sandbox.fs import AccessRule
from sandbox.world import World
from tools.catalog import ALL_TOOLS


@pytest.fixture
def world() -> World:
    world = World(
        seed=0,
        start=datetime(2026, 1, 5, tzinfo=UTC),
        rules=(AccessRule("~/ro", "read"),),
        quota_bytes=200,
    )
    world.fs.seed_file("~/notes.txt", b"one\ntwo\nthree\ntwo\n")
    world.fs.seed_file("~/logs/app.log", b"INFO start\nERROR port 80 in use\n")
    world.fs.seed_file("~/ro/keep.txt", b"keep")
    world.mark_baseline()
    return world


def call(world: World, name: str, **arguments: Any) -> str:
    tool = ALL_TOOLS[name]
    result = tool.run(world, tool.parse(arguments))
    return result if isinstance(result, str) else result.text


def error(world: World, name: str, **arguments: Any) -> ToolError:
    with pytest.raises(ToolError) as caught:
        call(world, name, **arguments)
    return caught.value


def test_read_whole_and_line_range(world: World) -> None:
    assert call(world, "fs_read_file", path="notes.txt") == "one\ntwo\nthree\ntwo\n"
    assert (
        call(world, "fs_read_file", path="~/notes.txt", start_line=2, end_line=3) == "two\nthree\n"
    )
    assert error(world, "fs_read_file", path="~/notes.txt", start_line=9).type == "ERANGE"


@pytest.mark.parametrize(
    ("name", "arguments", "errno", "hint"),
    [
        ("fs_read_file", {"path": "~/nope"}, "ENOENT", "no such file"),
        ("fs_read_file", {"path": "~/logs"}, "EISDIR", "fs_list_dir"),
        ("fs_list_dir", {"path": "~/notes.txt"}, "ENOTDIR", "fs_read_file"),
        ("fs_write_file", {"path": "~/ro/keep.txt", "content": "x"}, "EACCES", "read-only"),
        ("fs_write_file", {"path": "~/a/b.txt", "content": "x"}, "ENOENT", "fs_make_dir"),
        ("fs_write_file", {"path": "~/big", "content": "x" * 300}, "ENOSPC", "delete something"),
        ("fs_move", {"source": "~/notes.txt", "destination": "~/logs/app.log"}, "EEXIST", ""),
        ("fs_delete", {"path": "~/logs"}, "ENOTEMPTY", "recursive=true"),
        ("fs_delete", {"path": "~/ro/keep.txt"}, "EACCES", "leave it unchanged"),
    ],
)
def test_errors_read_like_a_shell(
    world: World, name: str, arguments: dict[str, Any], errno: str, hint: str
) -> None:
    problem = error(world, name, **arguments)
    assert problem.type == errno and hint in str(problem)


def test_write_append_and_make_parents(world: World) -> None:
    assert call(world, "fs_write_file", path="~/x/y.txt", content="hi", make_parents=True) == (
        "Created /home/user/x/y.txt (2 bytes)"
    )
    call(world, "fs_append_file", path="~/x/y.txt", content="!")
    assert world.fs.read_text("/home/user/x/y.txt") == "hi!"


def test_edit_needs_exactly_one_match_unless_replace_all(world: World) -> None:
    assert error(world, "fs_edit_file", path="~/notes.txt", old="four", new="4").type == "no_match"
    ambiguous = error(world, "fs_edit_file", path="~/notes.txt", old="two", new="2")
    assert ambiguous.type == "ambiguous_match" and "occurs 2 times" in str(ambiguous)
    call(world, "fs_edit_file", path="~/notes.txt", old="two", new="2", replace_all=True)
    assert world.fs.read_text("/home/user/notes.txt") == "one\n2\nthree\n2\n"


def test_move_copy_into_folder_and_delete(world: World) -> None:
    call(world, "fs_make_dir", path="~/archive")
    assert call(world, "fs_copy", source="~/notes.txt", destination="~/archive") == (
        "Copied /home/user/notes.txt → /home/user/archive/notes.txt"
    )
    call(world, "fs_move", source="~/logs", destination="~/archive/")
    assert world.fs.exists("/home/user/archive/logs/app.log")
    call(world, "fs_delete", path="~/archive", recursive=True)
    assert not world.fs.exists("/home/user/archive")


def test_list_with_pattern_and_recursive(world: World) -> None:
    listing = call(world, "fs_list_dir", path="~", recursive=True, pattern="*.log")
    assert listing.splitlines() == ["/home/user:", "logs/app.log  (32 bytes)"]


def test_search_with_glob_case_and_bad_regex(world: World) -> None:
    hits = call(world, "fs_search", pattern="error", ignore_case=True, glob="*.log")
    assert hits == "/home/user/logs/app.log:2: ERROR port 80 in use"
    assert call(world, "fs_search", pattern="zzz").startswith("no matches")
    assert error(world, "fs_search", pattern="(").type == "EINVAL"


def test_stat_shows_access(world: World) -> None:
    text = call(world, "fs_stat", path="~/ro/keep.txt")
    assert "type: file" in text and "size: 4 bytes" in text and "access: read-only" in text
    assert "modified: 2026-01-05T00:00:00Z" in text


def test_every_tool_has_a_valid_name_description_and_object_schema() -> None:
    import re

    for name, item in ALL_TOOLS.items():
        assert re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", name)
        assert item.description and item.input_schema["type"] == "object"
