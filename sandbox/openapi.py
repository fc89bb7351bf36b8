"""OpenAPI 3.1 documents generated from a service's endpoint table and pydantic models, so the
document an actor reads can never disagree with what the service does."""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

if TYPE_CHECKING:
    from sandbox.service import Endpoint, Service

REF = "#/components/schemas/{model}"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "status": {"type": "integer"},
                "code": {"type": "string"},
                "message": {"type": "string"},
                "field": {"type": "string"},
                "details": {},
            },
            "required": ["status", "code", "message"],
        }
    },
    "required": ["error"],
}


def build_document(service: Service) -> dict[str, Any]:
    models: list[type[BaseModel]] = []
    for endpoint in service.endpoints:
        for model in (endpoint.body, endpoint.response):
            if model is not None and model not in models:
                models.append(model)
    keyed, schemas = models_json_schema(
        [(model, "validation") for model in models], ref_template=REF
    )
    components = dict(schemas.get("$defs", {}))
    components["Error"] = ERROR_SCHEMA
    refs = {model: keyed[(model, "validation")] for model in models}
    paths: dict[str, dict[str, Any]] = {}
    for endpoint in service.endpoints:
        paths.setdefault(endpoint.path, {})[endpoint.method.lower()] = _operation(endpoint, refs)
    scopes = sorted({e.scope for e in service.endpoints if e.scope})
    return {
        "openapi": "3.1.0",
        "info": {"title": service.title, "version": "1.0.0", "description": service.description},
        "servers": [{"url": service.base_url}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API key (see ~/.config/<service>/credentials) or an "
                    "access token from POST /auth/token. Scopes: " + ", ".join(scopes),
                }
            },
        },
    }


def _operation(endpoint: Endpoint, refs: dict[type[BaseModel], dict[str, Any]]) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "operationId": endpoint.operation_id,
        "summary": endpoint.summary or endpoint.operation_id,
        "parameters": _parameters(endpoint),
        "responses": _responses(endpoint, refs),
    }
    if endpoint.scope is not None:
        operation["security"] = [{"bearer": []}]
        operation["description"] = f"Requires the scope `{endpoint.scope}`."
    if endpoint.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": refs[endpoint.body]}},
        }
    return operation


def _parameters(endpoint: Endpoint) -> list[dict[str, Any]]:
    parameters: list[dict[str, Any]] = [
        {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
        for name in re.findall(r"\{(\w+)\}", endpoint.path)
    ]
    if endpoint.idempotent:
        parameters.append(
            {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "Retrying with the same key and body replays the first answer.",
                "schema": {"type": "string"},
            }
        )
    if endpoint.query is not None:
        schema = endpoint.query.model_json_schema(ref_template=REF)
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            prop = dict(prop)
            description = prop.pop("description", None)
            prop.pop("title", None)
            parameter = {"name": name, "in": "query", "required": name in required, "schema": prop}
            if description:
                parameter["description"] = description
            parameters.append(parameter)
    return parameters


def _responses(endpoint: Endpoint, refs: dict[type[BaseModel], dict[str, Any]]) -> dict[str, Any]:
    success: dict[str, Any] = {"description": HTTPStatus(endpoint.status).phrase}
    if endpoint.response is not None:
        schema = refs[endpoint.response]
        if endpoint.paginated:
            schema = {
                "type": "object",
                "properties": {
                    "data": {"type": "array", "items": schema},
                    "has_more": {"type": "boolean"},
                    "next_cursor": {"type": ["string", "null"]},
                    "next": {"type": ["string", "null"]},
                    "total": {"type": "integer"},
                },
                "required": ["data", "has_more", "next_cursor", "next", "total"],
            }
        success["content"] = {"application/json": {"schema": schema}}
    responses: dict[str, Any] = {str(endpoint.status): success}
    codes = set(endpoint.errors)
    if endpoint.scope is not None:
        codes |= {401, 403}
    if endpoint.body is not None:
        codes |= {400, 415, 422}
    if endpoint.query is not None:
        codes.add(400)
    for code in sorted(codes):
        responses[str(code)] = {
            "description": HTTPStatus(code).phrase,
            "content": {"application/json": {"schema": {"$ref": REF.format(model="Error")}}},
        }
    return responses
