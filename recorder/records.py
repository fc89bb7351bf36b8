"""The lines of a trajectory file (JSON Lines), as pydantic models tagged by ``kind``.

A file is one ``header`` line, then ``step`` lines in order, then (when the episode ended) one
``end`` line. Lines are appended, never edited: a human's judgement of a step is appended later
as an ``annotation`` line naming the step.
"""

from __future__ import annotations

import json
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


def header_line(header: Header, tools_json: bytes | None = None) -> bytes:
    """The header's JSON line, dumped by orjson (its ``tools``, the JSON Schemas of every tool,
    ~15 KB of plain JSON values, cost pydantic's serializer several times more); with
    ``tools_json``, those schemas already dumped (``Toolset.openai_schemas_json``)."""
    fields = dict(header)  # dict() holds any extra fields too
    if tools_json is None:
        return orjson.dumps(fields)
    del fields["tools"]
    return orjson.dumps(fields)[:-1] + b',"tools":' + tools_json + b"}"


_UNTIMED = b',"wall_ms":null}'


def step_line(step: Step, wall_ms: float, active_ms: float | None) -> bytes:
    """The JSON line of a ``StepRecord`` for ``step`` with the recorder's timings: the env's
    step dumped once, as bytes (``model_dump_json`` would cost twice as much: its arguments and
    the decode to ``str``), and its trailing ``wall_ms`` filled in."""
    line = step.__pydantic_serializer__.to_json(step)
    if not line.endswith(_UNTIMED):  # a Step whose last field is no longer an empty wall_ms
        record = StepRecord.model_construct(**{**step.__dict__, "wall_ms": wall_ms})
        record.active_ms = active_ms
        return record.__pydantic_serializer__.to_json(record)
    active = b"null" if active_ms is None else json.dumps(active_ms).encode()
    return b'%s,"wall_ms":%s,"active_ms":%s,"kind":"step"}' % (
        line[: -len(_UNTIMED)],
        repr(wall_ms).encode(),
        active,
    )


Record = Annotated[Header | StepRecord | End | Annotation | Review, Field(discriminator="kind")]
RECORD = TypeAdapter(Record)
