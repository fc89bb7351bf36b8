"""Goal checks: predicates over the world and the answer, never over the path taken.

Each check is a pydantic model tagged by ``check`` (so a scenario file says
``- check: file_contains``) with an ``evaluate`` that returns pass/fail and the evidence, and
``targets`` naming the change targets its verdict depends on, so a scorer can re-evaluate it
only after steps that changed one of them (see ``scenarios.watch``).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
    model_validator,
)

from sandbox.env import Episode
from sandbox.fs import resolve_path
from scenarios.values import MISSING as _MISSING
from scenarios.values import WorldValue, field_value, mentions_value, same_value


@dataclass(frozen=True)
class CheckResult:
    passed: bool
    evidence: str


class _Check(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str | None = Field(default=None, description="What this check means, for people.")

    uses_answer: ClassVar[bool] = False

    def evaluate(self, episode: Episode) -> CheckResult:  # pragma: no cover - abstract
        raise NotImplementedError

    def targets(self, home: str) -> tuple[str, ...]:
        """Change targets (exact, or globs like ``shop:orders/*``) whose change can alter this
        check's verdict. A check over service records names its collection here."""
        return ()

    def label(self) -> str:
        """A short name for reports: the description, or the check and its subject."""
        if self.description:
            return self.description
        parts = [str(getattr(self, "check", "check"))]
        if getattr(self, "path", None):
            parts.append(str(self.path))  # type: ignore[attr-defined]
        for name in ("text", "pattern"):
            if getattr(self, name, None) is not None:
                parts.append(repr(getattr(self, name)))
        value = getattr(self, "value", None)
        if value is not None:
            parts.append(repr(value) if isinstance(value, str) else value.describe())
        return " ".join(parts)


def _valid_regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as error:
        raise ValueError(f"invalid regular expression {value!r}: {error}") from None
    return value


class _FileCheck(_Check):
    path: str

    def targets(self, home: str) -> tuple[str, ...]:
        return (f"fs:{resolve_path(self.path, home)}",)


def _read(episode: Episode, path: str) -> str | None:
    data = episode.world.fs.peek(path)
    return None if data is None else data.decode("utf-8", errors="replace")


class FileExists(_FileCheck):
    check: Literal["file_exists"]

    def evaluate(self, episode: Episode) -> CheckResult:
        fs = episode.world.fs
        exists = fs.exists(fs.resolve(self.path))
        return CheckResult(exists, f"{self.path} {'exists' if exists else 'does not exist'}")


class FileAbsent(_FileCheck):
    check: Literal["file_absent"]

    def evaluate(self, episode: Episode) -> CheckResult:
        fs = episode.world.fs
        exists = fs.exists(fs.resolve(self.path))
        return CheckResult(not exists, f"{self.path} {'exists' if exists else 'is absent'}")


class FileEquals(_FileCheck):
    check: Literal["file_equals"]
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


class FileContains(_FileCheck):
    check: Literal["file_contains"]
    text: str

    def evaluate(self, episode: Episode) -> CheckResult:
        content = _read(episode, self.path)
        if content is None:
            return CheckResult(False, f"{self.path} does not exist")
        found = self.text in content
        return CheckResult(found, f"{self.path} {'contains' if found else 'lacks'} {self.text!r}")


class FileLacks(_FileCheck):
    check: Literal["file_lacks"]
    text: str

    def evaluate(self, episode: Episode) -> CheckResult:
        content = _read(episode, self.path)
        if content is None:
            return CheckResult(False, f"{self.path} does not exist")
        found = self.text in content
        return CheckResult(
            not found, f"{self.path} {'contains' if found else 'lacks'} {self.text!r}"
        )


class FileMatches(_FileCheck):
    check: Literal["file_matches"]
    pattern: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return _valid_regex(value)

    def evaluate(self, episode: Episode) -> CheckResult:
        content = _read(episode, self.path)
        if content is None:
            return CheckResult(False, f"{self.path} does not exist")
        found = re.search(self.pattern, content, re.MULTILINE) is not None
        verdict = "matches" if found else "does not match"
        return CheckResult(found, f"{self.path} {verdict} /{self.pattern}/")


class _AnswerCheck(_Check):
    uses_answer: ClassVar[bool] = True
    ignore_case: bool = True


def _expected(
    episode: Episode, literal: str | None, value: WorldValue | None
) -> tuple[str | None, str]:
    """The expected text: a literal, or a value computed from the world (with its source)."""
    if value is None:
        return literal, repr(literal)
    computed, why = value.compute(episode)
    if computed is None:
        return None, why
    return computed, f"{computed!r} (from {value.describe()})"


class AnswerContains(_AnswerCheck):
    """The answer mentions a text, or a value computed from the world (numbers leniently)."""

    check: Literal["answer_contains"]
    text: str | None = None
    value: WorldValue | None = None

    @model_validator(mode="after")
    def _one_expected(self) -> AnswerContains:
        if (self.text is None) == (self.value is None):
            raise ValueError("answer_contains needs exactly one of text or value")
        return self

    def targets(self, home: str) -> tuple[str, ...]:
        return () if self.value is None else (self.value.target(home),)

    def evaluate(self, episode: Episode) -> CheckResult:
        answer = episode.answer
        if answer is None:
            return CheckResult(False, "no answer was submitted")
        expected, shown = _expected(episode, self.text, self.value)
        if expected is None:
            return CheckResult(False, f"expected value unavailable: {shown}")
        if self.value is None:
            haystack, needle = (
                (answer.lower(), expected.lower())
                if self.ignore_case
                else (
                    answer,
                    expected,
                )
            )
            found = needle in haystack
        else:
            found = mentions_value(answer, expected, ignore_case=self.ignore_case)
        return CheckResult(found, f"answer {'contains' if found else 'lacks'} {shown}")


class AnswerMatches(_AnswerCheck):
    """The answer matches a regular expression (searched, multiline)."""

    check: Literal["answer_matches"]
    pattern: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        return _valid_regex(value)

    def evaluate(self, episode: Episode) -> CheckResult:
        answer = episode.answer
        if answer is None:
            return CheckResult(False, "no answer was submitted")
        flags = re.MULTILINE | (re.IGNORECASE if self.ignore_case else 0)
        found = re.search(self.pattern, answer, flags) is not None
        verdict = "matches" if found else "does not match"
        return CheckResult(found, f"answer {verdict} /{self.pattern}/")


VALUE_TAGS = frozenset({"computed", "literal"})
"""The union tags pydantic adds to an answer_equals value's error location (not fields)."""


def _literal_or_computed(value: object) -> str:
    """A mapping is a value computed from the world; anything else a literal (so a bad
    mapping is reported against WorldValue's fields alone)."""
    return "computed" if isinstance(value, dict | WorldValue) else "literal"


class AnswerEquals(_AnswerCheck):
    """The whole answer states one value: a literal or one computed from the world. Case,
    surrounding whitespace and a final full stop are ignored; numbers compare as numbers."""

    check: Literal["answer_equals"]
    value: Annotated[
        Annotated[WorldValue, Tag("computed")] | Annotated[str, Tag("literal")],
        Discriminator(_literal_or_computed),
    ]

    def targets(self, home: str) -> tuple[str, ...]:
        if isinstance(self.value, WorldValue):
            return (self.value.target(home),)
        return ()

    def evaluate(self, episode: Episode) -> CheckResult:
        answer = episode.answer
        if answer is None:
            return CheckResult(False, "no answer was submitted")
        literal = self.value if isinstance(self.value, str) else None
        computed = self.value if isinstance(self.value, WorldValue) else None
        expected, shown = _expected(episode, literal, computed)
        if expected is None:
            return CheckResult(False, f"expected value unavailable: {shown}")
        same = same_value(answer, expected, ignore_case=self.ignore_case)
        return CheckResult(same, f"answer {answer.strip()[:80]!r} {'=' if same else '≠'} {shown}")


def _fields_match(record: dict[str, Any], wanted: dict[str, Any]) -> bool:
    for name, value in wanted.items():  # noqa: SIM110 - a loop, not all(genexpr): per record
        if field_value(record, name) != value:
            return False
    return True


def _text_lacking(record: dict[str, Any], contains: dict[str, str]) -> str | None:
    """The first ``contains`` field whose text lacks its string, or whose list lacks it as an
    item (None: all have theirs)."""
    for name, text in contains.items():
        value = field_value(record, name)
        if isinstance(value, list):
            if text not in value:
                return name
        elif not isinstance(value, str) or text not in value:
            return name
    return None


SKIPPED, MATCHING, FAILING = 0, 1, 2
"""A record's standing for a ``RecordCheck`` (``RecordCheck.record_state``)."""


class RecordCheck(_Check):
    """Service records: the records of a collection selected by ``id`` and/or ``where`` must
    all have the ``expect`` fields and the ``contains`` texts (and at least one must exist); with
    ``count``, exactly that many records must match ``where``, ``expect`` and ``contains``
    together (``count: 0``: none may)."""

    check: Literal["record"]
    service: str
    collection: str
    id: str | None = None
    where: dict[str, Any] = Field(default_factory=dict, description="Fields that select records.")
    expect: dict[str, Any] = Field(
        default_factory=dict, description="Fields the selected records must have (dotted paths)."
    )
    contains: dict[str, str] = Field(
        default_factory=dict,
        description="Text fields (dotted paths) that must contain these strings, e.g. a reply "
        "quoting a policy; a list field (recipients, labels) must hold the string as an item.",
    )
    count: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _says_something(self) -> RecordCheck:
        if (
            self.count is None
            and not self.expect
            and not self.contains
            and self.id is None
            and not self.where
        ):
            raise ValueError("a record check needs id, where, expect, contains or count")
        return self

    def targets(self, home: str) -> tuple[str, ...]:
        return (f"{self.service}:{self.collection}/{self.id or '*'}",)

    def label(self) -> str:
        if self.description:
            return self.description
        subject = f"{self.service}:{self.collection}/{self.id or '*'}"
        parts = [subject]
        if self.where:
            parts.append(f"where {self.where}")
        if self.expect:
            parts.append(f"has {self.expect}")
        if self.contains:
            parts.append(f"contains {self.contains}")
        if self.count is not None:
            parts.append(f"count={self.count}")
        return "record " + " ".join(parts)

    def record_state(self, record: dict[str, Any]) -> int:
        """Where one record stands: ``SKIPPED`` (``where`` does not select it), ``MATCHING``
        (selected, with the ``expect`` fields and ``contains`` texts) or ``FAILING``."""
        if self.where and not _fields_match(record, self.where):
            return SKIPPED
        if _fields_match(record, self.expect) and _text_lacking(record, self.contains) is None:
            return MATCHING
        return FAILING

    def passed_from(self, matching: int, failing: int) -> bool:
        """The verdict ``evaluate`` gives a collection with these counts of record states."""
        if self.count is not None:
            return matching == self.count
        return matching + failing > 0 and failing == 0

    def evaluate(self, episode: Episode) -> CheckResult:
        store = episode.world.records
        if self.id is not None:
            one = store.peek_record(self.service, self.collection, self.id)
            records = [] if one is None else [one]
        else:
            records = store.view(self.service, self.collection)  # read-only: no copies
        selected = [r for r in records if _fields_match(r, self.where)] if self.where else records
        subject = f"{self.service}:{self.collection}/{self.id or '*'}"
        if self.count is not None:
            matching = [
                r
                for r in selected
                if _fields_match(r, self.expect) and _text_lacking(r, self.contains) is None
            ]
            ids = ", ".join(str(r.get("id", "?")) for r in matching[:5])
            return CheckResult(
                len(matching) == self.count,
                f"{len(matching)} record(s) of {subject} match (wanted {self.count})"
                + (f": {ids}" if ids else ""),
            )
        if not selected:
            return CheckResult(False, f"no record {subject} matches {self.where or 'the id'}")
        for record in selected:
            for name, value in self.expect.items():
                actual = field_value(record, name)
                if actual != value:
                    shown = "absent" if actual is _MISSING else _plain_repr(actual)
                    return CheckResult(
                        False,
                        f"{self.service}:{self.collection}/{record.get('id', '?')} has {name}="
                        f"{shown}, expected {value!r}",
                    )
            lacking = _text_lacking(record, self.contains)
            if lacking is not None:
                return CheckResult(
                    False,
                    f"{self.service}:{self.collection}/{record.get('id', '?')} {lacking} lacks "
                    f"{self.contains[lacking]!r}",
                )
        wanted = {**self.expect, **{k: f"…{v}…" for k, v in self.contains.items()}}
        return CheckResult(True, f"{len(selected)} record(s) of {subject} have {wanted}")


def _plain_repr(value: Any) -> str:
    """``repr`` for evidence, with an enum shown as its value (``'refunded'``, not
    ``<OrderStatus.refunded: 'refunded'>``)."""
    return repr(value.value) if isinstance(value, Enum) else repr(value)


class BrowserCheck(_Check):
    """The browser's final state: the page open (a URL glob) and/or text it shows."""

    check: Literal["browser"]
    url: str | None = Field(default=None, description="A glob over the open page's URL.")
    text: str | None = Field(default=None, description="Text the open page must show.")

    @model_validator(mode="after")
    def _says_something(self) -> BrowserCheck:
        if self.url is None and self.text is None:
            raise ValueError("a browser check needs url, text or both")
        return self

    def targets(self, home: str) -> tuple[str, ...]:
        return ("browser:*",)

    def evaluate(self, episode: Episode) -> CheckResult:
        page = episode.world.browser.page
        if page is None:
            return CheckResult(False, "no page is open in the browser")
        if self.url is not None and not fnmatch.fnmatchcase(page.url, self.url):
            return CheckResult(False, f"the open page is {page.url}, not {self.url}")
        if self.text is not None and not any(self.text in line for line in page.text()):
            return CheckResult(False, f"{page.url} does not show {self.text!r}")
        return CheckResult(
            True, f"{page.url} is open" + (f" and shows {self.text!r}" if self.text else "")
        )


Check = Annotated[
    FileExists
    | FileAbsent
    | FileEquals
    | FileContains
    | FileLacks
    | FileMatches
    | AnswerContains
    | AnswerMatches
    | AnswerEquals
    | RecordCheck
    | BrowserCheck,
    Field(discriminator="check"),
]
CHECK_TYPES = (
    "file_exists",
    "file_absent",
    "file_equals",
    "file_contains",
    "file_lacks",
    "file_matches",
    "answer_contains",
    "answer_matches",
    "answer_equals",
    "record",
    "browser",
)
