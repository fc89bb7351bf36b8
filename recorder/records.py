"""The lines of a trajectory file (JSON Lines), as pydantic models tagged by ``kind``.

A file is one ``header`` line, then ``step`` lines in order, then (when the episode ended) one
``end`` line. Lines are appended, never edited: a human's judgement of a step is appended later
as an ``annotation`` line naming the step.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from sandbox.types import Status, Step

FORMAT_VERSION = 1

Outcome = Literal["terminated", "truncated", "abandoned"]


class Header(BaseModel):
    model_config = ConfigDict(extra="allow")

    kind: Literal["header"] = "header"
    format: int = FORMAT_VERSION
    trajectory_id: str
    scenario_id: str
    content_hash: str
    section_hashes: dict[str, str] = Field(default_factory=dict)
    seed: int
    fault_seed: int = Field(default=0, description="Seed of probabilistic injected faults.")
    actor: str
    task: str
    tools: list[dict[str, Any]]
    package_version: str
    created: str = Field(description="Wall-clock time the recording started, ISO 8601.")
    parent_trajectory_id: str | None = Field(
        default=None, description="For a branch: the trajectory it was forked from."
    )
    branch_step: int | None = Field(
        default=None, description="For a branch: how many of the parent's steps it starts with."
    )


class StepRecord(Step):
    kind: Literal["step"] = "step"
    active_ms: float | None = Field(
        default=None,
        description="Milliseconds a person actively worked on this step (the workbench measures "
        "it while its page is visible and focused).",
    )


class End(BaseModel):
    kind: Literal["end"] = "end"
    outcome: Outcome
    score: float
    answer: str | None = None
    steps: int


class Annotation(BaseModel):
    """A person's judgement of one step: its label (success / partial / failure), what should
    come next, a comment. Minimal reading for ``sandbox audit``; other fields are kept."""

    model_config = ConfigDict(extra="allow")

    kind: Literal["annotation"] = "annotation"
    step: int = Field(ge=0, description="Index of the step it is about.")
    label: Status | None = None
    annotator: str = "unknown"
    next_action: str | None = None
    comment: str | None = None
    created: str | None = Field(default=None, description="When it was written, ISO 8601.")


class Review(BaseModel):
    """A reviewer's verdict on the whole trajectory (the latest one counts)."""

    model_config = ConfigDict(extra="allow")

    kind: Literal["review"] = "review"
    verdict: Literal["approved", "rejected"]
    reason: str = ""
    reviewer: str = "unknown"
    created: str | None = None


def header_line(header: Header | dict[str, Any], tools_json: bytes | None = None) -> bytes:
    """The header's JSON line (a ``Header``, or its fields in order), dumped by orjson (its
    ``tools``, the JSON Schemas of every tool, ~15 KB of plain JSON values, cost pydantic's
    serializer several times more); with ``tools_json``, those schemas already dumped
    (``Toolset.openai_schemas_json``)."""
    if isinstance(header, dict):
        fields = dict(header)
    else:  # what dict(header) returns, extra fields too, 30 times faster
        fields = {**header.__dict__, **(header.__pydantic_extra__ or {})}
    if tools_json is None:
        return orjson.dumps(fields)
    del fields["tools"]
    return orjson.dumps(fields)[:-1] + b',"tools":' + tools_json + b"}"


def _dumps_as_fields(model: type) -> bool:
    """Whether pydantic dumps ``model``'s instances as their ``__dict__`` (every field, by name,
    in order, nothing computed, renamed, left out or custom-serialized)."""
    if not issubclass(model, BaseModel):
        return False
    decorators = model.__pydantic_decorators__
    return not (
        model.model_computed_fields
        or decorators.field_serializers
        or decorators.model_serializers
        or any(
            field.serialization_alias or field.alias or field.exclude
            for field in model.model_fields.values()
        )
    )


_PLAIN: dict[type, bool] = {}


def _fields(value: Any) -> Any:
    plain = _PLAIN.get(type(value))
    if plain is None:
        plain = _PLAIN[type(value)] = _dumps_as_fields(type(value))
    if plain and not value.__pydantic_extra__:
        return value.__dict__
    raise TypeError  # not a plain model: the step is dumped by pydantic instead


# Anything orjson would dump in its own way (datetimes, dataclasses, subclasses of str, int,
# dict, list) goes to ``_fields``, which refuses it: pydantic then dumps the whole step.
_AS_PYDANTIC = (
    orjson.OPT_PASSTHROUGH_DATETIME
    | orjson.OPT_PASSTHROUGH_DATACLASS
    | orjson.OPT_PASSTHROUGH_SUBCLASS
)


def step_line(step: Step, wall_ms: float, active_ms: float | None) -> bytes:
    """The JSON line of a ``StepRecord`` for ``step`` with the recorder's timings. orjson dumps
    a step of plain values and plain models (what every tool returns) in a third of
    pydantic's time, to the same JSON; anything else, pydantic's serializer dumps."""
    if type(step) is Step:
        record = {**step.__dict__, "wall_ms": wall_ms, "kind": "step", "active_ms": active_ms}
        try:
            return orjson.dumps(record, default=_fields, option=_AS_PYDANTIC)
        except TypeError:  # orjson.JSONEncodeError: a value only pydantic knows how to dump
            pass
    record = StepRecord.model_construct(**{**step.__dict__, "wall_ms": wall_ms})
    record.active_ms = active_ms
    return record.__pydantic_serializer__.to_json(record)


Record = Annotated[Header | StepRecord | End | Annotation | Review, Field(discriminator="kind")]
RECORD = TypeAdapter(Record)
