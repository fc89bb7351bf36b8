"""The scenario file format: initial world, task, tools, goal checks and reference solutions."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from sandbox.fs import HOME
from sandbox.types import ToolCall
from scenarios.checks import Check


class FileSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="Absolute, or ~/… for the home folder.")
    content: str = ""


class PermissionRule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="A path or glob; the rule covers everything below it too.")
    access: Literal["read", "write", "none"]


class Scenario(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")
    title: str
    task: str = Field(min_length=1, description="What the actor is asked to do.")
    tools: list[str] = Field(min_length=1, description="Tool names or globs (fs_*).")
    seed: int = 0
    start_time: datetime = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    max_steps: int = Field(default=50, ge=1, le=10_000)
    home: str = HOME
    files: list[FileSpec] = Field(default_factory=list)
    dirs: list[str] = Field(default_factory=list, description="Empty folders to create.")
    permissions: list[PermissionRule] = Field(default_factory=list)
    quota_bytes: int | None = Field(default=None, ge=0)
    goal: list[Check] = Field(min_length=1)
    solutions: dict[str, list[ToolCall]] = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)
    notes: str | None = Field(default=None, description="For researchers: why it is built so.")

    @cached_property
    def content_hash(self) -> str:
        """sha256 of the scenario's canonical JSON: formatting changes do not alter it."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
