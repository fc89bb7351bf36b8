"""The ``services:`` part of a scenario: which mock services the world has, their records and
their API keys, and how a world is provisioned with them."""

from __future__ import annotations

import hashlib
import random
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sandbox.service import API_KEYS, Service
from sandbox.world import World


def default_api_key(service: str) -> str:
    """The key a scenario gets unless it sets its own: stable across seeds and runs."""
    return f"sk_{service}_{hashlib.sha256(service.encode()).hexdigest()[:12]}"


def default_credentials_file(service: str) -> str:
    return f"~/.config/{service}/credentials"


class ApiKeySpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str = Field(min_length=8, description="The secret presented as a bearer token.")
    scopes: list[str] = Field(default=["*"], description="Granted scopes; '*' grants all.")
    file: str | None = Field(
        default=None,
        description="Where the key is written for the actor ([default] api_key = …); "
        "null: nowhere (a key the actor must not find).",
    )


class ServiceSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    generate: bool = Field(
        default=True, description="Generate background records from the world seed."
    )
    records: dict[str, list[dict[str, Any]]] = Field(
        default_factory=dict,
        description="collection → records, each with an `id`. A record whose id was generated "
        "updates it field by field; a new id adds a record.",
    )
    api_keys: list[ApiKeySpec] | None = Field(
        default=None,
        description="Default: one key with every scope, in ~/.config/<service>/credentials.",
    )

    @field_validator("records")
    @classmethod
    def _records_have_ids(
        cls, value: dict[str, list[dict[str, Any]]]
    ) -> dict[str, list[dict[str, Any]]]:
        for collection, records in value.items():
            for index, record in enumerate(records):
                if not isinstance(record.get("id"), str) or not record["id"]:
                    raise ValueError(
                        f"{collection}[{index}] needs an `id` (a non-empty string) to be "
                        "addressable, e.g. id: ord_1042"
                    )
        return value


def provision(world: World, service: Service, spec: ServiceSpec) -> None:
    """Serve ``service`` on ``world`` with its records and keys (before the baseline is marked)."""
    service.install(world)
    collections: dict[str, dict[str, dict[str, Any]]] = {}
    if spec.generate and service.generator is not None:
        rng = random.Random(f"{world.seed}:{service.name}")
        for collection, records in service.generator(rng, world.clock.start).items():
            collections[collection] = {record["id"]: record for record in records}
    for collection, records in spec.records.items():
        existing = collections.setdefault(collection, {})
        for record in records:
            existing.setdefault(record["id"], {}).update(record)
    for collection, records in collections.items():
        for record_id, record in records.items():
            world.records.put(service.name, collection, record_id, record)
            world.ids.reserve(record_id)
    keys = spec.api_keys
    if keys is None:
        keys = [
            ApiKeySpec(
                key=default_api_key(service.name), file=default_credentials_file(service.name)
            )
        ]
    for key in keys:
        world.records.put(service.name, API_KEYS, key.key, {"scopes": key.scopes})
        if key.file is not None:
            content = f"[default]\nbase_url = {service.base_url}\napi_key = {key.key}\n"
            world.fs.seed_file(key.file, content.encode("utf-8"))


class AccountSpec(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str = Field(description="The login (an email address).")
    password: str


class SiteSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")

    accounts: list[AccountSpec] = Field(
        default_factory=list,
        description="Who can log in; extra fields (customer_id, role…) go with the session.",
    )
