"""WorldFS: paths, access rules, quota, journal, and reset back to the baseline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.clock import SimClock
from sandbox.errors import FsError
from sandbox.fs import AccessRule, WorldFS

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def make_fs(rules: tuple[AccessRule, ...] = (), quota: int | None = None) -> WorldFS:
    fs = WorldFS(clock=SimClock(START), rules=rules, quota_bytes=quota)
    fs.seed_file("~/docs/a.txt", b"alpha")
    fs.seed_file("~/docs/sub/b.txt", b"beta")
    fs.seed_file("~/backups/old.txt", b"old")
    fs.mark_baseline()
    return fs


def errno_of(call) -> str:
    with pytest.raises(FsError) as caught:
        call()
    return caught.value.errno_name


@pytest.mark.parametrize(
    ("given_path", "expected"),
    [
        ("~", "/home/user"),
        ("~/a/../b.txt", "/home/user/b.txt"),
        ("notes.txt", "/home/user/notes.txt"),
        ("/etc//passwd", "/etc/passwd"),
        ("/../../x", "/x"),
    ],
)
def test_resolve(given_path: str, expected: str) -> None:
    assert make_fs().resolve(given_path) == expected


def test_nul_byte_is_refused() -> None:
    assert errno_of(lambda: make_fs().resolve("a\x00b")) == "EINVAL"


def test_read_only_subtree_refuses_every_write() -> None:
    fs = make_fs(rules=(AccessRule("~/backups", "read"),))
    old = "/home/user/backups/old.txt"
    assert fs.read_bytes(old) == b"old"
    assert errno_of(lambda: fs.write_bytes(old, b"x")) == "EACCES"
    assert errno_of(lambda: fs.delete(old)) == "EACCES"
    assert errno_of(lambda: fs.write_bytes("/home/user/backups/new.txt", b"x")) == "EACCES"
    assert errno_of(lambda: fs.move("/home/user/docs/a.txt", "/home/user/backups/a.txt")) == (
        "EACCES"
    )
    assert errno_of(lambda: fs.delete("/home/user", recursive=True)) == "EPERM"


def test_no_access_refuses_reads_and_listing_and_last_rule_wins() -> None:
    rules = (AccessRule("~/docs/**", "none"), AccessRule("~/docs/sub/b.txt", "write"))
    fs = make_fs(rules=rules)
    assert errno_of(lambda: fs.read_bytes("/home/user/docs/a.txt")) == "EACCES"
    assert errno_of(lambda: fs.list_dir("/home/user/docs/sub")) == "EACCES"
    assert fs.read_bytes("/home/user/docs/sub/b.txt") == b"beta"


def test_glob_rules() -> None:
    fs = make_fs(rules=(AccessRule("~/docs/*.txt", "read"),))
    assert fs.access("/home/user/docs/a.txt") == "read"
    assert fs.access("/home/user/docs/sub/b.txt") == "write"  # * does not cross folders


def test_quota_counts_deltas_and_frees_on_delete() -> None:
    fs = make_fs(quota=20)  # 12 bytes used
    fs.write_bytes("/home/user/docs/a.txt", b"alpha-alpha")  # +6 → 18
    fs.delete("/home/user/backups/old.txt")  # → 15
    fs.write_bytes("/home/user/c.txt", b"ccccc")  # exactly fits → 20
    assert fs.used_bytes == 20 and fs.peek("~/c.txt") == b"ccccc"


def test_a_write_past_the_quota_keeps_what_fits_and_says_so() -> None:
    fs = make_fs(quota=20)  # 12 bytes used, 8 free
    with pytest.raises(FsError) as caught:
        fs.write_bytes("/home/user/c.txt", b"0123456789")
    assert caught.value.errno_name == "ENOSPC" and caught.value.partial
    assert "wrote 8 of 10 bytes" in str(caught.value) and "20-byte quota" in str(caught.value)
    assert fs.peek("~/c.txt") == b"01234567" and fs.used_bytes == 20
    assert [(c.op, c.target) for c in fs.take_step_changes()] == [("create", "fs:/home/user/c.txt")]


def test_replacing_a_file_frees_its_old_bytes_first_and_text_is_cut_on_a_character() -> None:
    fs = make_fs(quota=15)  # 12 bytes used: a.txt's 5 + 3 free = 8 bytes of room
    with pytest.raises(FsError, match="wrote 7 of 10 bytes") as caught:
        fs.write_text("/home/user/docs/a.txt", "abcdeé€")  # é is 2 bytes, € is 3
    assert caught.value.partial
    assert fs.peek("~/docs/a.txt") == "abcdeé".encode() and fs.used_bytes == 14


def test_an_append_past_the_quota_adds_what_fits_after_the_old_content() -> None:
    fs = make_fs(quota=16)  # 12 used, 4 free
    with pytest.raises(FsError, match=r"wrote 4 of 6 bytes.*append the remaining 2") as caught:
        fs.append_text("/home/user/docs/a.txt", "-beta!")
    assert caught.value.partial and fs.peek("~/docs/a.txt") == b"alpha-bet"


@pytest.mark.parametrize(
    ("quota", "write", "path", "before"),
    [  # 12 bytes used
        (12, lambda fs: fs.write_bytes("/home/user/c.txt", b"c"), "~/c.txt", None),
        (14, lambda fs: fs.write_text("/home/user/c.txt", "€"), "~/c.txt", None),  # 2 < 3 bytes
        (12, lambda fs: fs.append_text("/home/user/docs/a.txt", "x"), "~/docs/a.txt", b"alpha"),
        (12, lambda fs: fs.write_text("/home/user/docs/a.txt", "alpha+", whole=True),
         "~/docs/a.txt", b"alpha"),  # an edit is never cut
    ],
    ids=["no-room", "less-than-a-character", "append-no-room", "whole"],
)  # fmt: skip
def test_a_write_that_would_store_nothing_is_refused_and_changes_nothing(
    quota: int, write: Callable[[WorldFS], None], path: str, before: bytes | None
) -> None:
    fs = make_fs(quota=quota)
    with pytest.raises(FsError, match="nothing was written") as caught:
        write(fs)
    assert caught.value.errno_name == "ENOSPC" and not caught.value.partial
    assert fs.peek(path) == before and fs.used_bytes == 12 and fs.take_step_changes() == []


def test_step_changes_name_targets_and_skip_no_ops() -> None:
    fs = make_fs()
    fs.write_bytes("/home/user/docs/a.txt", b"alpha")  # same content: no change
    fs.write_bytes("/home/user/new.txt", b"n")
    fs.delete("/home/user/docs/sub", recursive=True)
    changes = {(c.op, c.target) for c in fs.take_step_changes()}
    assert changes == {
        ("create", "fs:/home/user/new.txt"),
        ("delete", "fs:/home/user/docs/sub"),
        ("delete", "fs:/home/user/docs/sub/b.txt"),
    }
    assert fs.take_step_changes() == []


def test_moving_a_folder_lists_every_moved_path() -> None:
    fs = make_fs()
    fs.move("/home/user/docs", "/home/user/papers")
    targets = {(c.op, c.target) for c in fs.take_step_changes()}
    assert ("create", "fs:/home/user/papers/sub/b.txt") in targets
    assert ("delete", "fs:/home/user/docs/a.txt") in targets
    assert fs.read_bytes("/home/user/papers/sub/b.txt") == b"beta"


def test_moving_the_root_or_a_folder_into_itself_is_refused_cleanly() -> None:
    fs = make_fs()
    assert errno_of(lambda: fs.move("/", "/elsewhere")) == "EINVAL"
    assert errno_of(lambda: fs.move("/home/user/docs", "/home/user/docs/sub/x")) == "EINVAL"
    assert fs.read_bytes("/home/user/docs/a.txt")  # nothing moved


def test_mtime_comes_from_the_simulated_clock() -> None:
    clock = SimClock(START)
    fs = WorldFS(clock=clock)
    clock.advance(90)
    fs.write_bytes("/home/user/x", b"x")
    assert fs.mtime("/home/user/x") == START.timestamp() + 90


PATHS = ["~/docs/a.txt", "~/docs/sub/b.txt", "~/docs/new.txt", "~/n/m/c.txt", "~/docs", "~/n"]
PATHS += ["~/docs/a.txt/under-a-file"]  # under a file: found by no lookup
paths = st.sampled_from(PATHS)
operations = st.one_of(
    st.tuples(st.just("write"), paths, st.binary(max_size=8)),
    st.tuples(st.just("delete"), paths, st.none()),
    st.tuples(st.just("mkdir"), paths, st.none()),
    st.tuples(st.just("move"), paths, paths),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(operations, max_size=12))
def test_restore_baseline_returns_exactly_the_initial_world(ops: list) -> None:
    fs = make_fs()
    initial, used = fs.snapshot(), fs.used_bytes
    for op, path, extra in ops:
        try:
            if op == "write":
                fs.write_bytes(fs.resolve(path), extra, make_parents=True)
            elif op == "delete":
                fs.delete(fs.resolve(path), recursive=True)
            elif op == "mkdir":
                fs.make_dir(fs.resolve(path))
            else:
                fs.move(fs.resolve(path), fs.resolve(extra))
        except FsError:
            pass
    fs.restore_baseline()
    assert fs.snapshot() == initial
    assert fs.used_bytes == used


def _uncached(fs: WorldFS, path: str) -> object:
    try:
        return fs.fs.get_object_from_normpath(path)
    except OSError:
        return None


@settings(max_examples=200, deadline=None)
@given(st.lists(operations, max_size=12))
def test_node_cache_never_serves_a_stale_node(ops: list) -> None:
    """Lookups are cached; after any writes, deletes, moves and a reset, every path still
    finds exactly the node pyfakefs has there (read through the cache after each step)."""
    fs = make_fs()
    every = [fs.resolve(p) for p in PATHS]
    for op, path, extra in ops:
        for p in every:
            fs.exists(p)  # fill the cache
        try:
            if op == "write":
                fs.write_bytes(fs.resolve(path), extra, make_parents=True)
            elif op == "delete":
                fs.delete(fs.resolve(path), recursive=True)
            elif op == "mkdir":
                fs.make_dir(fs.resolve(path))
            else:
                fs.move(fs.resolve(path), fs.resolve(extra))
        except FsError:
            pass
        assert all(fs._node(p) is _uncached(fs, p) for p in every)
    fs.restore_baseline()
    assert all(fs._node(p) is _uncached(fs, p) for p in every)


def test_a_new_file_is_the_node_pyfakefs_would_create() -> None:
    """Writes and resets add file nodes to their folder directly (not through pyfakefs'
    create_file); the nodes must be the same as create_file's."""
    fs = make_fs()
    fs.write_bytes(fs.resolve("~/docs/new.txt"), b"fresh")
    fs.delete(fs.resolve("~/docs/a.txt"))
    fs.restore_baseline()  # a.txt comes back
    fs.write_bytes(fs.resolve("~/docs/new.txt"), b"fresh")
    reference = fs.fs.create_file(fs.resolve("~/docs/reference.txt"), contents=b"fresh")
    for name in ("new.txt", "a.txt"):
        node = fs.fs.get_object_from_normpath(fs.resolve(f"~/docs/{name}"))
        assert node.st_mode == reference.st_mode
        assert node.st_nlink == reference.st_nlink
        assert node.st_dev == reference.st_dev
        assert node.parent_dir is not None and node.parent_dir() is reference.parent_dir()
    inodes = [fs.fs.stat(fs.resolve(f"~/docs/{n}")).st_ino for n in ("new.txt", "a.txt")]
    assert len({*inodes, reference.st_ino}) == 3
    assert fs.read_bytes(fs.resolve("~/docs/a.txt")) == b"alpha"
