"""What every command shares: the console, JSON printing and turning errors into exit codes."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import typer
from rich.console import Console

from sandbox.errors import SandboxError

console = Console(highlight=False)
errors = Console(stderr=True, highlight=False)

P = ParamSpec("P")
R = TypeVar("R")


def print_json(data: Any) -> None:
    """JSON for scripts: plain text on stdout, no colour, no wrapping."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def fail(message: str, code: int = 2) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {message}", markup=True, soft_wrap=True)
    return typer.Exit(code)


def refuse_overwrite(out: Path, force: bool) -> None:
    """A recording never silently replaces another (its appended annotations would be lost)."""
    if out.is_file() and not force:
        raise fail(
            f"{out} already exists (a recording, perhaps with annotations); choose another "
            "--out or pass --force to overwrite it"
        )


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Turn the project's errors into a clear message and exit code 2, not a traceback."""
    try:
        yield
    except SandboxError as error:
        raise fail(str(error)) from None


def handles_errors(fn: Callable[P, R]) -> Callable[P, R]:
    @wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with friendly_errors():
            return fn(*args, **kwargs)

    return wrapper
