"""The scenario file format: initial world, task, tools, goal, milestones, minefields, allowed
changes, scoring weights and reference solutions."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sandbox.faults import Fault
from sandbox.fs import HOME
from sandbox.types import ToolCall
from sandbox.user import SimulatedUser
from scenarios.goals import GoalNode
from scenarios.milestones import AllowedChange, Milestone, Minefield, check_dag
from scenarios.services import ServiceSpec, SiteSpec
from scenarios.weights import ScoringSpec
from tools.catalog import SERVICES, SITES


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
    services: dict[str, ServiceSpec] = Field(
        default_factory=dict,
        description="Mock services in the world, by name (shop, …), with records and API keys.",
    )
    goal: list[GoalNode] = Field(
        min_length=1, description="Checks on the final world and answer, all required."
    )
    milestones: list[Milestone] = Field(
        default_factory=list, description="Facts that must become true, ordered by `after`."
    )
    minefields: list[Minefield] = Field(
        default_factory=list, description="Actions or states that must never happen."
    )
    allowed_changes: list[AllowedChange] | None = Field(
        default=None,
        description="Every target the task may change; other changes are collateral damage. "
        "Absent: whatever some reference solution changes. [] : nothing may change.",
    )
    scoring: ScoringSpec = Field(default_factory=ScoringSpec)
    solutions: dict[str, list[ToolCall]] = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)
    notes: str | None = Field(default=None, description="For researchers: why it is built so.")

    @field_validator("milestones")
    @classmethod
    def _milestones_form_a_dag(cls, value: list[Milestone]) -> list[Milestone]:
        check_dag(value)
        return value

    user: SimulatedUser | None = Field(
        default=None, description="Who answers ask_user: persona and scripted answers by topic."
    )
    faults: list[Fault] = Field(
        default_factory=list,
        description="Injected faults: what goes wrong, where and when (same every run).",
    )
    sites: dict[str, SiteSpec] = Field(
        default_factory=dict,
        description="Websites in the world, by name (storefront, …), with their accounts.",
    )

    @field_validator("faults")
    @classmethod
    def _unique_faults(cls, value: list[Fault]) -> list[Fault]:
        seen: set[str] = set()
        for fault in value:
            if fault.id in seen:
                raise ValueError(f"fault id {fault.id!r} is used twice")
            seen.add(fault.id)
        return value

    @field_validator("sites")
    @classmethod
    def _known_sites(cls, value: dict[str, SiteSpec]) -> dict[str, SiteSpec]:
        for name in value:
            if name not in SITES:
                raise ValueError(f"unknown site {name!r}; known sites: {', '.join(SITES)}")
        return value

    @field_validator("services")
    @classmethod
    def _known_services(cls, value: dict[str, ServiceSpec]) -> dict[str, ServiceSpec]:
        for name in value:
            if name not in SERVICES:
                raise ValueError(f"unknown service {name!r}; known services: {', '.join(SERVICES)}")
        return value

    @field_validator("minefields")
    @classmethod
    def _unique_minefields(cls, value: list[Minefield]) -> list[Minefield]:
        seen: set[str] = set()
        for minefield in value:
            if minefield.id in seen:
                raise ValueError(f"minefield id {minefield.id!r} is used twice")
            seen.add(minefield.id)
        return value

    @cached_property
    def content_hash(self) -> str:
        """sha256 of the scenario's canonical JSON: formatting changes do not alter it."""
        return _sha256(self.model_dump(mode="json"))

    @cached_property
    def section_hashes(self) -> dict[str, str]:
        """A hash per top-level field, so a changed scenario can say *what* changed."""
        return {name: _sha256(value) for name, value in self.model_dump(mode="json").items()}


def _sha256(value: object) -> str:
    canonical = json.dumps(value, sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
