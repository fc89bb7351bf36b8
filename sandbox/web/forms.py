"""Forms generated from a tool's JSON Schema — no hand-written form per tool — and the
arguments read back from a submitted form, typed as the schema says."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

Widget = str  # text, textarea, number, integer, checkbox, select, lines, json


@dataclass
class Field:
    name: str
    widget: Widget
    required: bool
    description: str = ""
    default: Any = None
    options: list[str] = field(default_factory=list)
    nullable: bool = False

    @property
    def default_text(self) -> str:
        """The default as a form shows it ("" when there is none)."""
        if self.default is None:
            return ""
        if isinstance(self.default, bool):
            return "true" if self.default else "false"
        if isinstance(self.default, (list, dict)):
            return json.dumps(self.default, ensure_ascii=False)
        return str(self.default)

    @property
    def html_required(self) -> bool:
        """Whether the browser should refuse to submit the field empty (a checkbox never is:
        unticked is an answer)."""
        return self.required and self.widget != "checkbox"


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    ref = schema.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        return root.get("$defs", {}).get(ref.split("/")[-1], schema)
    return schema


def fields_for(schema: dict[str, Any]) -> list[Field]:
    """One field per property, in the schema's order."""
    required = set(schema.get("required", []))
    out = []
    for name, prop in schema.get("properties", {}).items():
        prop = _resolve(prop, schema)
        nullable = False
        variants = [_resolve(v, schema) for v in prop.get("anyOf", [])]
        if variants:
            nullable = any(v.get("type") == "null" for v in variants)
            concrete = [v for v in variants if v.get("type") != "null"]
            prop = (
                {**concrete[0], **{k: v for k, v in prop.items() if k != "anyOf"}}
                if concrete
                else prop
            )
        kind = prop.get("type")
        if "enum" in prop:
            widget, options = "select", [str(o) for o in prop["enum"]]
        elif kind == "boolean" and (nullable or prop.get("default") is None):
            widget, options = "select", ["true", "false"]  # leaving it empty changes nothing
        elif kind == "boolean":
            widget, options = "checkbox", []
        elif kind in ("integer", "number"):
            widget, options = kind, []
        elif kind == "string":
            long = name in ("content", "body", "text", "answer", "new", "old")
            widget, options = ("textarea" if long else "text"), []
        elif kind == "array" and _resolve(prop.get("items", {}), schema).get("type") == "string":
            widget, options = "lines", []
        else:
            widget, options = "json", []
        out.append(
            Field(
                name=name,
                widget=widget,
                required=name in required,
                description=prop.get("description", ""),
                default=prop.get("default"),
                options=options,
                nullable=nullable,
            )
        )
    return out


class FormError(ValueError):
    """A field could not be read as its type; the message names the field."""


def arguments_from(form: dict[str, str], fields: list[Field]) -> dict[str, Any]:
    """Typed arguments from submitted form values; empty optional fields are left out (the
    tool's defaults apply), so what is sent is what the annotator filled in."""
    arguments: dict[str, Any] = {}
    for spec in fields:
        raw = form.get(spec.name, "")
        if spec.widget == "checkbox":  # a boolean with a default: the box says what is meant
            arguments[spec.name] = spec.name in form
            continue
        if raw == "" and not spec.required:
            continue
        try:
            if spec.widget == "select" and spec.options == ["true", "false"]:
                arguments[spec.name] = raw == "true"
            elif spec.widget == "integer":
                arguments[spec.name] = int(raw)
            elif spec.widget == "number":
                arguments[spec.name] = float(raw)
            elif spec.widget == "json":
                arguments[spec.name] = json.loads(raw) if raw else None
            elif spec.widget == "lines":
                arguments[spec.name] = _lines(raw)
            else:
                arguments[spec.name] = raw
        except ValueError:
            expected = {
                "integer": "a whole number",
                "number": "a number",
                "json": "JSON",
                "lines": 'one item per line, or a JSON list such as ["a", "b"]',
            }
            raise FormError(f"{spec.name}: expected {expected[spec.widget]}, got {raw!r}") from None
    return arguments


def _lines(raw: str) -> list[str]:
    """A list of strings typed one per line (blank lines dropped), or written as a JSON list."""
    if raw.lstrip().startswith("["):
        value = json.loads(raw)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValueError("not a list of strings")
        return value
    return [line.strip() for line in raw.splitlines() if line.strip()]


def filled_fields(form: dict[str, str], fields: list[Field]) -> list[str]:
    """The fields the annotator changed from what the form showed at first (a preselected
    default or an untouched checkbox does not count)."""
    filled = []
    for spec in fields:
        if spec.widget == "checkbox":
            if (spec.name in form) != bool(spec.default):
                filled.append(spec.name)
        elif form.get(spec.name, "").strip() not in ("", spec.default_text):
            filled.append(spec.name)
    return filled
