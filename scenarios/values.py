"""Values computed from the world, and lenient comparison of an answer with them.

A ``WorldValue`` reads one file of the final world and, optionally, picks a part of it: a regex
capture (``regex`` + ``group``) or a JSON field (``json: orders[0].total``, dotted keys and
``[n]`` indices) — or one field of a service record (``record: {service: shop, collection:
orders, id: ord_1, field: total}``, a dotted path as record checks use, ``items.0.quantity``).
Nothing is evaluated as code.

Comparisons ignore case and surrounding whitespace by default, and compare numbers as numbers
when both sides read as one (``1,240.00`` = ``1240`` = ``€1240.0``).
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sandbox.env import Episode
from sandbox.fs import resolve_path
from tools.catalog import SERVICES

_NUMBER = re.compile(
    r"^[\s$€£]*(?P<sign>[-+]?)(?P<digits>\d{1,3}(?:,\d{3})+|\d+)(?P<frac>\.\d+)?"
    r"\s*(?:EUR|USD|GBP|€|\$|£)?\s*$",
    re.IGNORECASE,
)
_NUMBERS_IN_TEXT = re.compile(r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_JSON_STEP = re.compile(r"\.?([^.\[\]]+)|\[(\d+)\]")


def as_number(text: str) -> float | None:
    """The number ``text`` spells (thousands commas, a currency mark allowed), or None."""
    match = _NUMBER.match(text)
    if match is None:
        return None
    return float(match["sign"] + match["digits"].replace(",", "") + (match["frac"] or ""))


def _normal(text: str, ignore_case: bool) -> str:
    text = " ".join(text.split()).rstrip(".")
    return text.casefold() if ignore_case else text


def same_value(answer: str, expected: str, *, ignore_case: bool = True) -> bool:
    """Whether ``answer`` states exactly ``expected`` (numbers compared as numbers)."""
    left, right = as_number(answer), as_number(expected)
    if left is not None and right is not None:
        return abs(left - right) <= 1e-9 * max(1.0, abs(right))
    return _normal(answer, ignore_case) == _normal(expected, ignore_case)


def mentions_value(answer: str, expected: str, *, ignore_case: bool = True) -> bool:
    """Whether ``answer`` mentions ``expected`` anywhere (a number as any of its spellings)."""
    number = as_number(expected)
    if number is not None:
        for match in _NUMBERS_IN_TEXT.finditer(answer):
            found = as_number(match.group())
            if found is not None and abs(found - number) <= 1e-9 * max(1.0, abs(number)):
                return True
    return _normal(expected, ignore_case) in _normal(answer, ignore_case)


MISSING: Any = object()
"""What ``field_value`` returns for a field a record does not have."""


def field_value(record: dict[str, Any], dotted: str) -> Any:
    """``status`` or ``items.0.quantity`` from a record; ``MISSING`` when absent."""
    if "." not in dotted:  # the common case, on every record of a collection per check
        return record.get(dotted, MISSING)
    value: Any = record
    for part in dotted.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return MISSING
    return value


def _as_text(node: Any) -> str:
    if isinstance(node, dict | list):
        return json.dumps(node, sort_keys=True)
    if node is None:
        return "null"
    if isinstance(node, bool):
        return "true" if node else "false"
    return str(node)


class RecordRef(BaseModel):
    """One field of one service record of the final world."""

    model_config = ConfigDict(extra="forbid")

    service: str = Field(description="A service of the world (shop, helpdesk, …).")
    collection: str = Field(min_length=1, description="The collection (orders, tickets, …).")
    id: str = Field(min_length=1, description="The record's id.")
    field: str = Field(description="A dotted path into the record, e.g. total or items.0.name.")

    @field_validator("service")
    @classmethod
    def _known_service(cls, value: str) -> str:
        if value not in SERVICES:
            raise ValueError(f"unknown service {value!r}; known services: {', '.join(SERVICES)}")
        return value

    @field_validator("field")
    @classmethod
    def _dotted_path(cls, value: str) -> str:
        if not value or any(not part for part in value.split(".")):
            raise ValueError(
                f"{value!r} is not a dotted field path (e.g. total or items.0.quantity)"
            )
        return value

    @property
    def subject(self) -> str:
        return f"{self.service}:{self.collection}/{self.id}"


class WorldValue(BaseModel):
    """A value read from the final world: a file (the whole text, a regex capture or a JSON
    field) or one field of a service record."""

    model_config = ConfigDict(extra="forbid")

    file: str | None = Field(default=None, description="Path of the file to read (~/… allowed).")
    record: RecordRef | None = Field(
        default=None, description="A service record's field: {service, collection, id, field}."
    )
    regex: str | None = Field(default=None, description="Searched in the text (multiline).")
    group: int | str = Field(default=1, description="Capture group of regex to take.")
    json_path: str | None = Field(
        default=None, alias="json", description="A field of the file's JSON, e.g. a.b[0].c"
    )

    @field_validator("regex")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as error:
                raise ValueError(f"invalid regular expression {value!r}: {error}") from None
        return value

    @model_validator(mode="after")
    def _one_picker(self) -> WorldValue:
        if (self.file is None) == (self.record is None):
            raise ValueError("a value reads a file or a record: give exactly one of file or record")
        if self.record is not None and (self.regex is not None or self.json_path is not None):
            raise ValueError("regex and json pick from a file; a record value names its field")
        if self.regex is not None and self.json_path is not None:
            raise ValueError("give regex or json, not both")
        return self

    def target(self, home: str) -> str:
        """The world target the value reads (``fs:/home/…`` or ``shop:orders/ord_1``)."""
        if self.record is not None:
            return self.record.subject
        assert self.file is not None
        return f"fs:{resolve_path(self.file, home)}"

    def describe(self) -> str:
        if self.record is not None:
            return f"{self.record.subject} {self.record.field}"
        picker = (
            f" /{self.regex}/"
            if self.regex
            else (f" json {self.json_path}" if self.json_path else "")
        )
        return f"{self.file}{picker}"

    def compute(self, episode: Episode) -> tuple[str | None, str]:
        """The value, or None with the reason it could not be computed."""
        if self.record is not None:
            ref = self.record
            found = episode.world.records.peek_record(ref.service, ref.collection, ref.id)
            if found is None:
                return None, f"no record {ref.subject}"
            value = field_value(found, ref.field)
            if value is MISSING:
                return None, f"{ref.subject} has no field {ref.field!r}"
            return _as_text(value), ""
        assert self.file is not None
        data = episode.world.fs.peek(self.file)
        if data is None:
            return None, f"{self.file} does not exist"
        text = data.decode("utf-8", errors="replace")
        if self.regex is not None:
            match = re.search(self.regex, text, re.MULTILINE)
            if match is None:
                return None, f"/{self.regex}/ does not match {self.file}"
            try:
                value = match.group(self.group)
            except (IndexError, re.error):
                return None, f"/{self.regex}/ has no group {self.group!r}"
            return (value or "").strip(), ""
        if self.json_path is not None:
            return _json_pick(text, self.json_path, self.file)
        return text.strip(), ""


def _json_pick(text: str, path: str, file: str) -> tuple[str | None, str]:
    try:
        node: Any = json.loads(text)
    except ValueError as error:
        return None, f"{file} is not JSON ({error})"
    for match in _JSON_STEP.finditer(path.removeprefix("$")):
        key, index = match.group(1), match.group(2)
        if index is not None or (isinstance(node, list) and key is not None and key.isdigit()):
            position = int(index if index is not None else key)
            if not isinstance(node, list) or position >= len(node):
                return None, f"{file}: no item [{position}] on the way to {path}"
            node = node[position]
        elif isinstance(node, dict) and key in node:
            node = node[key]
        else:
            return None, f"{file}: no field {key!r} on the way to {path}"
    return _as_text(node), ""
