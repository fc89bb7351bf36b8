"""Milestones (a DAG matched against the step log) and minefields (caps on the score)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from sandbox.errors import ScenarioError
from scenarios import parse_scenario, score_episode
from scenarios.patterns import ArgTest, arg_matches, compile_target

DAG = """\
goal:
  - {check: file_exists, path: ~/out/a.txt}
  - {check: file_exists, path: ~/out/b.txt}
milestones:
  - id: read-notes
    action: {tool: fs_read_file, arguments: {path: ~/data/notes.txt}}
  - id: wrote-a
    after: [read-notes]
    change: {op: create, target: ~/out/a.txt}
  - id: wrote-b
    after: [read-notes]
    state: {check: file_exists, path: ~/out/b.txt}
  - id: both
    after: [wrote-a, wrote-b]
    action: {tool: fs_list_dir, arguments: {path: ~/out}}
"""


def _write(inline: SimpleNamespace, name: str) -> dict:
    return inline.call("fs_write_file", path=f"~/out/{name}", content="x", make_parents=True)


def _statuses(report) -> dict[str, tuple[str, int | None]]:
    return {item.id: (item.status, item.step) for item in report.milestones.items}


@pytest.mark.parametrize("first", ["a.txt", "b.txt"])
def test_any_topological_order_is_accepted(inline: SimpleNamespace, first: str) -> None:
    spec = inline.scenario(DAG)
    second = "b.txt" if first == "a.txt" else "a.txt"
    calls = [
        inline.call("fs_read_file", path="data/notes.txt"),  # relative path: same file
        _write(inline, first),
        _write(inline, second),
        inline.call("fs_list_dir", path="~/out"),
    ]
    report = score_episode(spec, inline.run(spec, calls))
    got = _statuses(report)
    assert got["read-notes"] == ("reached", 0)
    assert got["both"] == ("reached", 3)
    assert {got["wrote-a"][1], got["wrote-b"][1]} == {1, 2}
    assert report.milestones.score == 1.0


def test_earliest_valid_step_is_chosen_not_the_first_occurrence(inline: SimpleNamespace) -> None:
    spec = inline.scenario(DAG)
    calls = [
        inline.call("fs_list_dir", path="~/out"),  # fails (no folder yet): no match
        inline.call("fs_read_file", path="~/data/notes.txt"),
        _write(inline, "a.txt"),
        inline.call("fs_list_dir", path="~/out"),  # before b exists: too early for "both"
        _write(inline, "b.txt"),
        inline.call("fs_list_dir", path="~/out"),
    ]
    got = _statuses(score_episode(spec, inline.run(spec, calls)))
    assert got == {
        "read-notes": ("reached", 1),
        "wrote-a": ("reached", 2),
        "wrote-b": ("reached", 4),
        "both": ("reached", 5),
    }


def test_out_of_order_and_missing_prerequisites_do_not_count(inline: SimpleNamespace) -> None:
    spec = inline.scenario(DAG)
    calls = [
        _write(inline, "b.txt"),  # before the notes were read
        inline.call("fs_read_file", path="~/data/notes.txt"),
        inline.call("fs_list_dir", path="~/out"),
    ]
    report = score_episode(spec, inline.run(spec, calls))
    got = _statuses(report)
    assert got["read-notes"] == ("reached", 1)
    assert got["wrote-b"] == ("out_of_order", 0)
    assert got["wrote-a"] == ("missed", None)
    assert got["both"] == ("prerequisite_missed", 2)
    assert report.milestones.score == 0.25
    texts = " | ".join(e.text for e in report.explanations)
    assert "wrote-b out of order" in texts and "not after read-notes (step 1)" in texts


@pytest.mark.parametrize(
    ("milestones", "message"),
    [
        (
            "milestones:\n  - {id: a, after: [b], action: {tool: fs_stat}}\n"
            "  - {id: b, after: [a], action: {tool: fs_stat}}\n",
            "milestones form a cycle: a → b → a",
        ),
        ("milestones:\n  - {id: a, after: [z], action: {tool: fs_stat}}\n", "unknown milestone"),
        (
            "milestones:\n  - {id: a, action: {tool: fs_stat}}\n"
            "  - {id: a, action: {tool: fs_stat}}\n",
            "used twice",
        ),
        ("milestones:\n  - {id: a}\n", "exactly one of action, change, state"),
        ("milestones:\n  - {id: a, action: {tool: ftp_get}}\n", "milestones[0].action.tool:"),
        ("minefields:\n  - {id: m, action: [{tool: nope}]}\n", "minefields[0].action[0].tool:"),
    ],
)
def test_bad_milestones_are_refused(inline: SimpleNamespace, milestones: str, message: str) -> None:
    goal = "goal:\n  - {check: file_exists, path: ~/x}\n"
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(inline.BASE + goal + milestones + inline.SOLUTIONS, source="s.yaml")
    assert message in str(caught.value)
    assert "s.yaml:" in str(caught.value)


MINES = """\
goal:
  - {check: file_exists, path: ~/data/notes.txt}
minefields:
  - id: backup-deleted
    change: {op: delete, target: fs:~/backups/**}
  - id: double-write
    description: Wrote the report twice
    action: {tool: fs_write_file, arguments: {path: {glob: "*report*"}}}
    times: 2
    cap: 0.6
  - id: notes-gone
    state: {check: file_absent, path: ~/data/notes.txt}
    cap: 0.3
allowed_changes: ["~/data/**", "~/backups/**"]
"""


def test_a_minefield_caps_the_score_and_is_named(inline: SimpleNamespace) -> None:
    spec = inline.scenario(MINES)
    report = score_episode(
        spec,
        inline.run(
            spec, [inline.call("fs_delete", path="~/backups/db.bak"), inline.submit("done")]
        ),
    )
    assert [hit.id for hit in report.minefields] == ["backup-deleted"]
    assert report.minefields[0].steps == [0] and report.minefields[0].cap == 0.0
    assert report.overall == 0.0
    assert report.components.cap_reasons == ["minefield backup-deleted"]


def test_a_minefield_with_times_needs_that_many_hits(inline: SimpleNamespace) -> None:
    spec = inline.scenario(MINES)
    write = inline.call("fs_write_file", path="~/data/report-2.txt", content="x")
    once = score_episode(spec, inline.run(spec, [write, inline.submit("ok")]))
    assert once.minefields == []
    twice = score_episode(spec, inline.run(spec, [write, write, inline.submit("ok")]))
    assert [(hit.id, hit.steps, hit.cap) for hit in twice.minefields] == [
        ("double-write", [0, 1], 0.6)
    ]
    assert twice.overall <= 0.6


def test_a_state_minefield_names_the_step_it_became_true(inline: SimpleNamespace) -> None:
    spec = inline.scenario(MINES)
    calls = [
        inline.call("fs_read_file", path="~/data/notes.txt"),
        inline.call("fs_move", source="~/data/notes.txt", destination="~/data/old.txt"),
        inline.submit("moved"),
    ]
    report = score_episode(spec, inline.run(spec, calls))
    assert [(hit.id, hit.steps) for hit in report.minefields] == [("notes-gone", [1])]
    assert report.overall <= 0.3


@pytest.mark.parametrize(
    ("matcher", "value", "expected"),
    [
        ("~/data/a.txt", "/home/user/data/a.txt", True),
        ("~/data/a.txt", "data/a.txt", True),
        ("~/data/a.txt", "~/data/./a.txt", True),
        ("~/data/*", "~/data/sub/a.txt", False),
        ("~/data/**", "~/data/sub/a.txt", True),
        ("*.pdf", "x.pdf", True),
        (ArgTest(regex="^re"), "report", True),
        (ArgTest(contains="port"), "report", True),
        (ArgTest(equals=3), 3, True),
        (ArgTest(path="~/x/*"), 3, False),
        (True, True, True),
        (1, True, False),
    ],
)
def test_argument_matchers(matcher, value, expected: bool) -> None:
    assert arg_matches(matcher, value, "/home/user") is expected


def test_target_globs_resolve_home_and_scheme() -> None:
    glob = compile_target("~/backups/**", "/home/user")
    assert glob.matches("fs:/home/user/backups/db.bak")
    assert not glob.matches("fs:/home/user/backups")
    assert glob.literal_prefix == "fs:/home/user/backups/"
    assert compile_target("shop:orders/*", "/home/user").matches("shop:orders/1042")
    assert compile_target("fs:~/a/", "/home/user").matches("fs:/home/user/a/b/c")
