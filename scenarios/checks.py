"""Goal checks: predicates over the final world and the answer, never over the path taken.

Each check is a pydantic model tagged by ``check`` (so a scenario file says
``- check: file_contains``) with an ``evaluate`` that returns pass/fail and the evidence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from sandbox.env import Episode


@dataclass(frozen=True)
class CheckResult:
    passed: bool
    evidence: str


class _Check(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str | None = Field(default=None, description="What this check means, for people.")

    def evaluate(self, episode: Episode) -> CheckResult:  # pragma: no cover - abstract
        raise NotImplementedError


def _read(episode: Episode, path: str) -> str | None:
    data = episode.world.fs.peek(path)
    return None if data is None else data.decode("utf-8", errors="replace")


class FileExists(_Check):
    check: Literal["file_exists"]
    path: str

    def evaluate(self, episode: Episode) -> CheckResult:
        fs = episode.world.fs
        exists = fs.exists(fs.resolve(self.path))
        return CheckResult(exists, f"{self.path} {'exists' if exists else 'does not exist'}")


class FileAbsent(_Check):
    check: Literal["file_absent"]
    path: str

    def evaluate(self, episode: Episode) -> CheckResult:
        fs = episode.world.fs
        exists = fs.exists(fs.resolve(self.path))
        return CheckResult(not exists, f"{self.path} {'exists' if exists else 'is absent'}")


class FileEquals(_Check):
    check: Literal["file_equals"]
    path: str
    content: str
    ignore_trailing_whitespace: bool = True

    def evaluate(self, episode: Episode) -> CheckResult:
        text = _read(episode, self.path)
        if text is None:
            return CheckResult(False, f"{self.path} does not exist")
        if self.ignore_trailing_whitespace:
            same = _strip_lines(text) == _strip_lines(self.content)
        else:
            same = text == self.content
        return CheckResult(same, f"{self.path} {'matches' if same else 'differs from'} expected")


def _strip_lines(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


class FileContains(_Check):
    check: Literal["file_contains"]
    path: str
    text: str

    def evaluate(self, episode: Episode) -> CheckResult:
        content = _read(episode, self.path)
        if content is None:
            return CheckResult(False, f"{self.path} does not exist")
        found = self.text in content
        return CheckResult(found, f"{self.path} {'contains' if found else 'lacks'} {self.text!r}")


class FileLacks(_Check):
    check: Literal["file_lacks"]
    path: str
    text: str

    def evaluate(self, episode: Episode) -> CheckResult:
        content = _read(episode, self.path)
        if content is None:
            return CheckResult(False, f"{self.path} does not exist")
        found = self.text in content
        return CheckResult(
            not found, f"{self.path} {'contains' if found else 'lacks'} {self.text!r}"
        )


class FileMatches(_Check):
    check: Literal["file_matches"]
    path: str
    pattern: str

    def evaluate(self, episode: Episode) -> CheckResult:
        content = _read(episode, self.path)
        if content is None:
            return CheckResult(False, f"{self.path} does not exist")
        found = re.search(self.pattern, content, re.MULTILINE) is not None
        verdict = "matches" if found else "does not match"
        return CheckResult(found, f"{self.path} {verdict} /{self.pattern}/")


class AnswerContains(_Check):
    check: Literal["answer_contains"]
    text: str
    ignore_case: bool = True

    def evaluate(self, episode: Episode) -> CheckResult:
        answer = episode.answer
        if answer is None:
            return CheckResult(False, "no answer was submitted")
        haystack, needle = (
            (answer.lower(), self.text.lower()) if self.ignore_case else (answer, self.text)
        )
        found = needle in haystack
        return CheckResult(found, f"answer {'contains' if found else 'lacks'} {self.text!r}")


Check = Annotated[
    FileExists | FileAbsent | FileEquals | FileContains | FileLacks | FileMatches | AnswerContains,
    Field(discriminator="check"),
]
