"""The world's filesystem: one pyfakefs ``FakeFilesystem`` per world, behind our own rules.

Nothing here patches anything: the fake filesystem is an object this world owns, so hundreds
coexist in one process and the real disk is never reached. pyfakefs ignores file modes for root,
so access rules (read / write / none per path) and the byte quota are enforced here, and every
mutation is journalled so a step's diff and a reset cost O(paths touched).
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable, Hashable, Iterator
from dataclasses import dataclass
from stat import S_IFREG
from typing import Any, Literal

from pyfakefs.fake_file import FakeDirectory, FakeFile
from pyfakefs.fake_filesystem import FakeFilesystem
from pyfakefs.helpers import PERM_DEF_FILE

from sandbox.clock import SimClock
from sandbox.errors import FsError
from sandbox.journal import ABSENT, DIRECTORY, Journal, describe_change
from sandbox.quota import cut_note, fitting_length, quota_room, refusal
from sandbox.types import Change

Access = Literal["read", "write", "none"]
HOME = "/home/user"


@dataclass(frozen=True)
class AccessRule:
    """``path`` (a glob; ``**`` crosses folders) and everything below it get ``access``."""

    path: str
    access: Access


@dataclass(frozen=True)
class Entry:
    """One directory entry as the file tools show it."""

    path: str
    name: str
    is_dir: bool
    size: int


def glob_to_regex(pattern: str) -> str:
    """Translate a path glob (``*``, ``?``, ``**``, ``[abc]``) to a regex over whole paths."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            end = pattern.find("]", i + 1)
            if end == -1:
                out.append(re.escape(char))
            else:
                out.append("[" + pattern[i + 1 : end].replace("\\", "\\\\") + "]")
                i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def resolve_path(path: str, home: str = HOME) -> str:
    """Absolute, normalised path; ``~`` is ``home`` and relative paths start there."""
    if "\x00" in path:
        raise FsError("EINVAL", repr(path), "path contains a NUL byte")
    if path == "~" or path.startswith("~/"):
        path = home + path[1:]
    elif not path.startswith("/"):
        path = posixpath.join(home, path)
    normal = posixpath.normpath(path)
    return "/" + normal.lstrip("/")


class WorldFS:
    """A fake filesystem with access rules, a quota, a simulated clock and a change journal."""

    def __init__(
        self,
        *,
        clock: SimClock,
        home: str = HOME,
        rules: tuple[AccessRule, ...] = (),
        quota_bytes: int | None = None,
    ) -> None:
        self.fs = FakeFilesystem(path_separator="/")
        self.clock = clock
        self.home = home
        self.quota_bytes = quota_bytes
        self.journal = Journal()
        self._rules = [
            (re.compile(glob_to_regex(self.resolve(rule.path)) + "(?:/.*)?"), rule.access)
            for rule in rules
        ]
        self._used = 0
        self.guard: Callable[[str, str], None] | None = None
        """Called with ("read" | "write", path) before every access: injected file faults."""
        self.hide: Callable[[str], bool] | None = None
        """Whether a path is gone for the actor though its node is still there (a file that
        vanished): listings and ``stat`` leave it out, as reads do."""
        self._nodes: dict[str, FakeFile] = {}
        """Path → node, for paths found: pyfakefs walks the tree on every lookup. Only removals
        and renames make entries stale, and both drop those at and under the path
        (``_forget``)."""
        self.fs.create_dir(home)

    # ---- paths and rules -------------------------------------------------------------------

    def resolve(self, path: str) -> str:
        """Absolute, normalised path; ``~`` is the home folder and relative paths start there."""
        return resolve_path(path, self.home)

    def access(self, path: str) -> Access:
        """The access the rules give an absolute path (the last matching rule wins)."""
        granted: Access = "write"
        for regex, access in self._rules:
            if regex.fullmatch(path):
                granted = access
        return granted

    def _check_read(self, path: str) -> None:
        if self.guard is not None:
            self.guard("read", path)
        if self._rules and self.access(path) == "none":
            raise FsError("EACCES", path, "permission denied (no access in this sandbox)")

    def _check_write(self, path: str) -> None:
        if self.guard is not None:
            self.guard("write", path)
        if not self._rules:
            return
        access = self.access(path)
        if access != "write":
            what = "read-only" if access == "read" else "not accessible"
            raise FsError("EACCES", path, f"permission denied ({what}); leave it unchanged")

    # ---- queries ---------------------------------------------------------------------------

    def _node(self, path: str) -> FakeFile | None:
        node = self._nodes.get(path)
        if node is not None:
            return node
        folder, _, name = path.rpartition("/")
        if folder and name not in ("", ".", "..") and "//" not in path:
            # a normalised path: its folder's entries (cached, or looked up the same way) name
            # it, which spares pyfakefs' walk from the root (there are no symlinks here)
            parent = self._node(folder)
            node = parent.entries.get(name) if isinstance(parent, FakeDirectory) else None
            if node is None:
                return None
        else:
            try:
                node = self.fs.get_object_from_normpath(path)
            except OSError:
                return None
        self._nodes[path] = node
        return node

    def _new_file(self, path: str, content: bytes, *, make_parents: bool = False) -> FakeFile:
        """pyfakefs' ``create_file`` for a path that does not exist yet: a node added to its
        folder's entries, sparing the walks from the root with which ``create_file`` checks
        the path and its folder again."""
        folder = self._node(posixpath.dirname(path))
        if not isinstance(folder, FakeDirectory):
            return self.fs.create_file(path, contents=content, create_missing_dirs=make_parents)
        mode = (S_IFREG | PERM_DEF_FILE) & ~self.fs.umask
        node = FakeFile(posixpath.basename(path), mode, filesystem=self.fs)
        folder.add_entry(node)
        node.set_initial_contents(content)
        return node

    def _forget(self, path: str) -> None:
        """Before removing or renaming ``path``: the nodes cached at it and under it may no
        longer be there."""
        below = path.rstrip("/") + "/"
        for known in [p for p in self._nodes if p == path or p.startswith(below)]:
            del self._nodes[known]

    def exists(self, path: str) -> bool:
        return self._node(path) is not None

    def is_dir(self, path: str) -> bool:
        return isinstance(self._node(path), FakeDirectory)

    def is_file(self, path: str) -> bool:
        node = self._node(path)
        return node is not None and not isinstance(node, FakeDirectory)

    def _file(self, path: str) -> FakeFile:
        node = self._node(path)
        if node is None:
            raise FsError("ENOENT", path, "no such file or directory")
        if isinstance(node, FakeDirectory):
            raise FsError("EISDIR", path, "is a directory; list it with fs_list_dir")
        return node

    def _dir(self, path: str) -> FakeDirectory:
        node = self._node(path)
        if node is None:
            raise FsError("ENOENT", path, "no such file or directory")
        if not isinstance(node, FakeDirectory):
            raise FsError("ENOTDIR", path, "not a directory; read it with fs_read_file")
        return node

    def read_bytes(self, path: str) -> bytes:
        self._check_read(path)
        return self._file(path).byte_contents or b""

    def read_text(self, path: str) -> str:
        data = self.read_bytes(path)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise FsError(
                "EILSEQ", path, f"binary file ({len(data)} bytes), not UTF-8 text"
            ) from error

    def peek(self, path: str) -> bytes | None:
        """A file's bytes regardless of access rules (for checks, never for actors)."""
        node = self._node(self.resolve(path))
        if node is None or isinstance(node, FakeDirectory):
            return None
        return node.byte_contents or b""

    def size(self, path: str) -> int:
        return len(self._file(path).byte_contents or b"")

    def hidden(self, path: str) -> bool:
        return self.hide is not None and self.hide(path)

    def list_dir(self, path: str) -> list[Entry]:
        self._check_read(path)
        node = self._dir(path)
        entries = []
        for name in sorted(node.entries):
            if self.hide is not None and self.hide(posixpath.join(path, name)):
                continue
            child = node.entries[name]
            is_dir = isinstance(child, FakeDirectory)
            size = 0 if is_dir else len(child.byte_contents or b"")
            entries.append(Entry(posixpath.join(path, name), name, is_dir, size))
        return entries

    def walk(self, path: str) -> Iterator[Entry]:
        """Every entry below ``path``, depth first, sorted; unreadable folders are skipped."""
        for entry in self.list_dir(path):
            yield entry
            if entry.is_dir and self.access(entry.path) != "none":
                yield from self.walk(entry.path)

    def mtime(self, path: str) -> float:
        node = self._node(path)
        if node is None:
            raise FsError("ENOENT", path, "no such file or directory")
        return float(node.st_mtime)

    @property
    def used_bytes(self) -> int:
        return self._used

    # ---- mutations (checked, journalled) ---------------------------------------------------

    def _state(self, key: Hashable) -> Any:
        node = self._node(str(key))
        if node is None:
            return ABSENT
        if isinstance(node, FakeDirectory):
            return DIRECTORY
        return node.byte_contents or b""

    def _touch(self, path: str) -> None:
        self.journal.touch(path, self._state)

    def _touch_tree(self, path: str) -> None:
        self._touch(path)
        node = self._node(path)
        if isinstance(node, FakeDirectory):
            for name in node.entries:
                self._touch_tree(posixpath.join(path, name))

    def _stamp(self, node: FakeFile) -> None:
        now = self.clock.timestamp()
        node.st_mtime = now
        node.st_ctime = now

    def _ensure_parent(self, path: str, make_parents: bool) -> None:
        parent = posixpath.dirname(path)
        node = self._node(parent)
        if isinstance(node, FakeDirectory):
            return
        if node is not None:
            raise FsError("ENOTDIR", parent, "a file stands where a folder is needed")
        if not make_parents:
            raise FsError(
                "ENOENT",
                path,
                f"parent folder {parent} does not exist; create it first (fs_make_dir)",
            )
        self.make_dir(parent, parents=True)

    def write_bytes(
        self, path: str, data: bytes, *, make_parents: bool = False, whole: bool = False
    ) -> None:
        """Replace a file's content, creating the file. Past the quota the file gets what fits
        (see ``_put``); ``whole``: refuse what does not fit instead of cutting it."""
        self._put(path, data, append=False, make_parents=make_parents, text=False, whole=whole)

    def write_text(
        self, path: str, text: str, *, make_parents: bool = False, whole: bool = False
    ) -> None:
        """``write_bytes`` of UTF-8 text; a write cut by the quota ends on a character."""
        data = text.encode("utf-8")
        self._put(path, data, append=False, make_parents=make_parents, text=True, whole=whole)

    def append_text(self, path: str, text: str) -> None:
        """Add UTF-8 text at the end of a file, created if absent (its content is kept, so
        reading it must be allowed too). Past the quota only what fits is added."""
        if self.exists(path):
            self._check_read(path)
        self._put(path, text.encode("utf-8"), append=True, make_parents=False, text=True)

    def _put(
        self,
        path: str,
        data: bytes,
        *,
        append: bool,
        make_parents: bool,
        text: bool,
        whole: bool = False,
    ) -> None:
        """Write ``data`` to ``path``: in place of its content, or after it (``append``).

        As a real disk does, a write past the quota stores what fits — the first bytes of
        ``data``, ending on a character for ``text`` — and then fails with ENOSPC: that
        ``FsError`` is ``partial``. Replacing a file frees its old bytes first, as a shell's
        ``>`` truncates before it writes. When nothing fits (or ``whole``), nothing changes.
        """
        self._check_write(path)
        node = self._node(path)
        if isinstance(node, FakeDirectory):
            raise FsError("EISDIR", path, "is a directory; choose a file path")
        old = (node.byte_contents or b"") if node is not None else b""
        room = quota_room(self.quota_bytes, self._used, 0 if append else len(old))
        kept = len(data) if room is None else fitting_length(data, room, text=text)
        if kept < len(data) and (kept == 0 or whole):
            needed = len(data) - (0 if append else len(old))
            raise FsError("ENOSPC", path, refusal(self.quota_bytes, self._used, needed))
        if node is None:
            self._ensure_parent(path, make_parents)
        self._touch(path)
        content = old + data[:kept] if append else data[:kept]
        if node is None:
            node = self._new_file(path, content)
        else:
            node.set_contents(content)
        self._used += len(content) - len(old)
        self._stamp(node)
        if kept < len(data):
            note = cut_note(self.quota_bytes, kept, len(data), appended=append)
            raise FsError("ENOSPC", path, note, partial=True)

    def make_dir(self, path: str, *, parents: bool = True) -> None:
        self._check_write(path)
        node = self._node(path)
        if isinstance(node, FakeDirectory):
            return
        if node is not None:
            raise FsError("EEXIST", path, "a file with this name exists")
        parent = posixpath.dirname(path)
        if not self.is_dir(parent):
            if not parents:
                raise FsError("ENOENT", path, f"parent folder {parent} does not exist")
            self.make_dir(parent, parents=True)
        self._touch(path)
        self._stamp(self.fs.create_dir(path))

    def delete(self, path: str, *, recursive: bool = False) -> None:
        if path == "/" or path == self.home:
            raise FsError("EPERM", path, "refusing to delete the root or home folder")
        self._check_write(path)
        node = self._node(path)
        if node is None:
            raise FsError("ENOENT", path, "no such file or directory")
        if isinstance(node, FakeDirectory):
            if node.entries and not recursive:
                raise FsError(
                    "ENOTEMPTY", path, "folder is not empty; pass recursive=true to delete it all"
                )
            self._check_tree_writable(path)
        self._touch_tree(path)
        self._used -= self._tree_size(path)
        self._forget(path)
        self.fs.remove_object(path)

    def move(self, source: str, destination: str) -> None:
        self._check_write(source)
        self._check_write(destination)
        node = self._node(source)
        if node is None:
            raise FsError("ENOENT", source, "no such file or directory")
        if source == "/":
            raise FsError("EINVAL", source, "cannot move the root folder")
        if destination == source or destination.startswith(source + "/"):
            raise FsError("EINVAL", destination, "cannot move a folder into itself")
        if self.exists(destination):
            raise FsError("EEXIST", destination, "destination exists; delete it or pick a new name")
        if isinstance(node, FakeDirectory):
            self._check_tree_writable(source)
        self._ensure_parent(destination, make_parents=False)
        below = [path[len(source) :] for path in self._raw_walk(source)]
        self._touch_tree(source)
        self._touch(destination)
        for relative in below:
            self._touch(destination + relative)
        self._forget(source)
        self._forget(destination)
        self.fs.rename(source, destination)
        self._stamp(self.fs.get_object_from_normpath(destination))

    def copy(self, source: str, destination: str) -> None:
        self._check_read(source)
        node = self._node(source)
        if node is None:
            raise FsError("ENOENT", source, "no such file or directory")
        if isinstance(node, FakeDirectory):
            raise FsError("EISDIR", source, "copying folders is not supported; copy each file")
        if self.is_dir(destination):
            raise FsError("EISDIR", destination, "destination is a folder; give a file path")
        self.write_bytes(destination, node.byte_contents or b"")

    def _check_tree_writable(self, path: str) -> None:
        if not self._rules:
            return
        for entry in self._raw_walk(path):
            self._check_write(entry)

    def _raw_walk(self, path: str) -> Iterator[str]:
        node = self._node(path)
        if isinstance(node, FakeDirectory):
            for name in node.entries:
                child = posixpath.join(path, name)
                yield child
                yield from self._raw_walk(child)

    def _tree_size(self, path: str) -> int:
        node = self._node(path)
        if node is None:
            return 0
        if not isinstance(node, FakeDirectory):
            return len(node.byte_contents or b"")
        return sum(self._tree_size(posixpath.join(path, name)) for name in node.entries)

    # ---- set-up, snapshots and journal ----------------------------------------------------

    def seed_file(self, path: str, data: bytes) -> None:
        """Create a file as part of the initial world: no rules, no quota, no journal."""
        path = self.resolve(path)
        node = self._node(path)
        if node is None:
            node = self.fs.create_file(path, contents=data)
        else:
            self._used -= len(node.byte_contents or b"")
            node.set_contents(data)
        self._used += len(data)
        self._stamp(node)
        parent = posixpath.dirname(path)
        while parent != "/":
            self._stamp(self.fs.get_object_from_normpath(parent))
            parent = posixpath.dirname(parent)

    def seed_dir(self, path: str) -> None:
        path = self.resolve(path)
        if not self.is_dir(path):
            self._stamp(self.fs.create_dir(path))

    def mark_baseline(self) -> None:
        """The current state is the one reset returns to."""
        self.journal.take_baseline()

    def restore_baseline(self) -> None:
        """Undo every change since the baseline, touching only the paths that changed."""
        touched = self.journal.take_baseline()
        # Remove what did not exist, deepest first; then recreate what did, shallowest first.
        for path in sorted(touched, key=lambda p: str(p).count("/"), reverse=True):
            original = touched[path]
            node = self._node(str(path))
            if node is not None and (
                original is ABSENT or (original is DIRECTORY) != isinstance(node, FakeDirectory)
            ):
                self._used -= self._tree_size(str(path))
                self._forget(str(path))
                self.fs.remove_object(str(path))
        for path in sorted(touched, key=lambda p: str(p).count("/")):
            original = touched[path]
            if original is ABSENT:
                continue
            if original is DIRECTORY:
                if not self.is_dir(str(path)):
                    self._stamp(self.fs.create_dir(str(path)))
                continue
            node = self._node(str(path))
            if node is None:
                node = self._new_file(str(path), original, make_parents=True)
                self._used += len(original)
            else:
                self._used += len(original) - len(node.byte_contents or b"")
                node.set_contents(original)
            self._stamp(node)
        self.journal.since_step = {}

    def take_step_changes(self) -> list[Change]:
        touched = self.journal.take_step()
        changes = []
        for path in sorted(touched, key=str):
            change = describe_change(f"fs:{path}", touched[path], self._state(path))
            if change is not None:
                changes.append(change)
        return changes

    def baseline_changes(self) -> list[Change]:
        """diff(baseline, now) for the files, in O(paths touched since the baseline)."""
        touched = self.journal.since_baseline
        changes = []
        for path in sorted(touched, key=str):
            change = describe_change(f"fs:{path}", touched[path], self._state(path))
            if change is not None:
                changes.append(change)
        return changes

    def snapshot(self) -> dict[str, Any]:
        """Every path below ``/`` (except ``/``) with its content, keyed ``fs:<path>``."""
        result: dict[str, Any] = {}
        self._snapshot_into("/", result)
        return result

    def _snapshot_into(self, path: str, out: dict[str, Any]) -> None:
        node = self._node(path)
        if not isinstance(node, FakeDirectory):
            return
        for name, child in node.entries.items():
            child_path = posixpath.join(path, name)
            if isinstance(child, FakeDirectory):
                out[f"fs:{child_path}"] = DIRECTORY
                self._snapshot_into(child_path, out)
            else:
                out[f"fs:{child_path}"] = child.byte_contents or b""
