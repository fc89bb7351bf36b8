"""File tools: what an expert does in a shell, with errors that read like a shell's.

Paths may be absolute, start with ``~`` (the home folder), or be relative to the home folder.
"""

from __future__ import annotations

import fnmatch
import re
from datetime import UTC, datetime

from pydantic import BaseModel, Field

from sandbox.errors import FsError, ToolError
from sandbox.tool import tool
from sandbox.world import World

MAX_READ_CHARS = 50_000


class PathArgs(BaseModel):
    path: str = Field(description="File path: absolute, ~/…, or relative to the home folder.")


class ListDirArgs(BaseModel):
    path: str = Field(default="~", description="Folder to list.")
    pattern: str | None = Field(
        default=None, description="Only names matching this glob, e.g. *.pdf (** crosses folders)."
    )
    recursive: bool = Field(default=False, description="Also list everything below.")


@tool()
def fs_list_dir(world: World, args: ListDirArgs) -> str:
    """List a folder: one entry per line, folders end with '/', files show their size."""
    root = world.fs.resolve(args.path)
    entries = list(world.fs.walk(root)) if args.recursive else world.fs.list_dir(root)
    lines = []
    for entry in entries:
        relative = entry.path[len(root) :].lstrip("/") if root != "/" else entry.path[1:]
        if args.pattern and not (
            fnmatch.fnmatchcase(entry.name, args.pattern)
            or fnmatch.fnmatchcase(relative, args.pattern)
        ):
            continue
        lines.append(f"{relative}/" if entry.is_dir else f"{relative}  ({entry.size} bytes)")
    if not lines:
        return f"{root}: no entries" + (f" matching {args.pattern!r}" if args.pattern else "")
    return f"{root}:\n" + "\n".join(lines)


class ReadFileArgs(PathArgs):
    start_line: int | None = Field(default=None, ge=1, description="First line to show (1-based).")
    end_line: int | None = Field(default=None, ge=1, description="Last line to show (inclusive).")


@tool()
def fs_read_file(world: World, args: ReadFileArgs) -> str:
    """Read a text file, whole or a line range (start_line..end_line, 1-based, inclusive)."""
    path = world.fs.resolve(args.path)
    text = world.fs.read_text(path)
    if args.start_line is None and args.end_line is None:
        if len(text) > MAX_READ_CHARS:
            return (
                text[:MAX_READ_CHARS] + f"\n[… truncated: file has {len(text)} characters; "
                "read the rest with start_line/end_line]"
            )
        return text
    lines = text.splitlines(keepends=True)
    start = args.start_line or 1
    end = args.end_line or len(lines)
    if start > max(len(lines), 1) or end < start:
        raise ToolError(
            f"line range {start}..{end} is outside {path} ({len(lines)} lines)", type="ERANGE"
        )
    return "".join(lines[start - 1 : end])


class WriteFileArgs(PathArgs):
    content: str = Field(description="The whole new content of the file.")
    make_parents: bool = Field(default=False, description="Create missing parent folders.")


@tool()
def fs_write_file(world: World, args: WriteFileArgs) -> str:
    """Write a file, replacing its content (creates the file if it does not exist)."""
    path = world.fs.resolve(args.path)
    existed = world.fs.exists(path)
    world.fs.write_text(path, args.content, make_parents=args.make_parents)
    verb = "Overwrote" if existed else "Created"
    return f"{verb} {path} ({len(args.content.encode('utf-8'))} bytes)"


class AppendFileArgs(PathArgs):
    content: str = Field(description="Text to add at the end of the file.")


@tool()
def fs_append_file(world: World, args: AppendFileArgs) -> str:
    """Append text to the end of a file (creates the file if it does not exist)."""
    path = world.fs.resolve(args.path)
    world.fs.append_text(path, args.content)
    return f"Appended {len(args.content.encode('utf-8'))} bytes to {path}"


class EditFileArgs(PathArgs):
    old: str = Field(description="Exact text to find (must occur exactly once unless replace_all).")
    new: str = Field(description="Text to put in its place.")
    replace_all: bool = Field(default=False, description="Replace every occurrence.")


@tool()
def fs_edit_file(world: World, args: EditFileArgs) -> str:
    """Replace an exact string in a file; fails if it occurs 0 times, or >1 without replace_all."""
    path = world.fs.resolve(args.path)
    text = world.fs.read_text(path)
    if not args.old:
        raise ToolError("old must not be empty; give the exact text to replace", type="EINVAL")
    count = text.count(args.old)
    if count == 0:
        raise ToolError(
            f"the text to replace was not found in {path}; read the file and copy it exactly "
            "(whitespace included)",
            type="no_match",
        )
    if count > 1 and not args.replace_all:
        raise ToolError(
            f"the text to replace occurs {count} times in {path}; include more context to make "
            "it unique, or pass replace_all=true",
            type="ambiguous_match",
        )
    world.fs.write_text(path, text.replace(args.old, args.new), whole=True)
    return f"Replaced {count if args.replace_all else 1} occurrence(s) in {path}"


def _target(world: World, source: str, destination: str) -> str:
    """Where ``mv``/``cp`` would put ``source``: into ``destination`` if it is a folder.

    A trailing slash means "into this folder", which must then exist (as in the shell).
    """
    resolved = world.fs.resolve(destination)
    if world.fs.is_dir(resolved):
        return f"{resolved.rstrip('/')}/{source.rsplit('/', 1)[-1]}"
    if destination.endswith("/"):
        raise FsError(
            "ENOENT", resolved, "destination folder does not exist; create it first (fs_make_dir)"
        )
    return resolved


class MoveArgs(BaseModel):
    source: str = Field(description="File or folder to move.")
    destination: str = Field(
        description="New path; if it is an existing folder, the source moves into it."
    )


@tool()
def fs_move(world: World, args: MoveArgs) -> str:
    """Move or rename a file or folder (into a folder if the destination is one)."""
    source = world.fs.resolve(args.source)
    destination = _target(world, source, args.destination)
    world.fs.move(source, destination)
    return f"Moved {source} → {destination}"


class CopyArgs(BaseModel):
    source: str = Field(description="File to copy.")
    destination: str = Field(description="New file path, or an existing folder to copy into.")


@tool()
def fs_copy(world: World, args: CopyArgs) -> str:
    """Copy a file (into a folder if the destination is one)."""
    source = world.fs.resolve(args.source)
    destination = _target(world, source, args.destination)
    world.fs.copy(source, destination)
    return f"Copied {source} → {destination}"


class DeleteArgs(PathArgs):
    recursive: bool = Field(default=False, description="Delete a folder and everything in it.")


@tool()
def fs_delete(world: World, args: DeleteArgs) -> str:
    """Delete a file, or a folder (recursive=true when it is not empty)."""
    path = world.fs.resolve(args.path)
    world.fs.delete(path, recursive=args.recursive)
    return f"Deleted {path}"


class MakeDirArgs(PathArgs):
    pass


@tool()
def fs_make_dir(world: World, args: MakeDirArgs) -> str:
    """Create a folder and any missing parents (no error if it already exists)."""
    path = world.fs.resolve(args.path)
    existed = world.fs.is_dir(path)
    world.fs.make_dir(path, parents=True)
    return f"{path} already exists" if existed else f"Created folder {path}"


class SearchArgs(BaseModel):
    pattern: str = Field(description="Regular expression (Python syntax) to look for.")
    path: str = Field(default="~", description="File or folder to search in.")
    glob: str | None = Field(default=None, description="Only files whose name matches, e.g. *.log")
    ignore_case: bool = Field(default=False)
    max_results: int = Field(default=100, ge=1, le=1000)


@tool()
def fs_search(world: World, args: SearchArgs) -> str:
    """Search file contents with a regex; prints path:line: text for each matching line."""
    try:
        regex = re.compile(args.pattern, re.IGNORECASE if args.ignore_case else 0)
    except re.error as error:
        raise ToolError(
            f"invalid regular expression {args.pattern!r}: {error}", type="EINVAL"
        ) from None
    root = world.fs.resolve(args.path)
    paths = [root] if world.fs.is_file(root) else [e.path for e in world.fs.walk(root)]
    hits: list[str] = []
    for path in paths:
        if not world.fs.is_file(path):
            continue
        if args.glob and not fnmatch.fnmatchcase(path.rsplit("/", 1)[-1], args.glob):
            continue
        try:
            text = world.fs.read_text(path)
        except FsError:
            continue  # unreadable or binary: grep skips these too
        for number, line in enumerate(text.splitlines(), start=1):
            if regex.search(line):
                hits.append(f"{path}:{number}: {line}")
                if len(hits) >= args.max_results:
                    return "\n".join(hits) + f"\n[stopped at max_results={args.max_results}]"
    return "\n".join(hits) if hits else f"no matches for {args.pattern!r} in {root}"


@tool()
def fs_stat(world: World, args: PathArgs) -> str:
    """Show a path's type, size, modification time and what this sandbox allows on it."""
    path = world.fs.resolve(args.path)
    if not world.fs.exists(path) or world.fs.hidden(path):
        raise FsError("ENOENT", path, "no such file or directory")
    kind = "folder" if world.fs.is_dir(path) else "file"
    size = f"{world.fs.size(path)} bytes" if kind == "file" else "-"
    modified = datetime.fromtimestamp(world.fs.mtime(path), UTC).isoformat().replace("+00:00", "Z")
    access = {"write": "read-write", "read": "read-only", "none": "no access"}[
        world.fs.access(path)
    ]
    return f"path: {path}\ntype: {kind}\nsize: {size}\nmodified: {modified}\naccess: {access}"


FILE_TOOLS = (
    fs_list_dir,
    fs_read_file,
    fs_write_file,
    fs_append_file,
    fs_edit_file,
    fs_move,
    fs_copy,
    fs_delete,
    fs_make_dir,
    fs_search,
    fs_stat,
)
