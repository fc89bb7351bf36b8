"""Goal trees: checks combined with ``all`` / ``any`` groups.

A scenario's ``goal`` is a list meaning "all of these"; any item may be a group::

    goal:
      - check: file_exists
        path: ~/report.pdf
      - any:
          - check: answer_equals
            value: {file: ~/data.json, json: total}
          - check: answer_matches
            pattern: "total[^0-9]*1,?240"

A group's score is the mean of its items (``all``) or the best item (``any``), so partial
progress shows; it passes when all (any) of its items pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from scenarios.checks import Check


def _node_kind(value: Any) -> str:
    if isinstance(value, dict):
        if "all" in value:
            return "all_group"
        if "any" in value:
            return "any_group"
        return "check_item"
    if isinstance(value, AllOf):
        return "all_group"
    if isinstance(value, AnyOf):
        return "any_group"
    return "check_item"


NODE_TAGS = frozenset({"all_group", "any_group", "check_item"})
"""Union tags pydantic adds to error locations (the loader skips them when naming fields)."""


class AllOf(BaseModel):
    model_config = ConfigDict(extra="forbid")

    all: list[GoalNode] = Field(min_length=1)
    description: str | None = None


class AnyOf(BaseModel):
    model_config = ConfigDict(extra="forbid")

    any: list[GoalNode] = Field(min_length=1)
    description: str | None = None


GoalNode = Annotated[
    Annotated[Check, Tag("check_item")]
    | Annotated[AllOf, Tag("all_group")]
    | Annotated[AnyOf, Tag("any_group")],
    Discriminator(_node_kind),
]
AllOf.model_rebuild()
AnyOf.model_rebuild()

Group = AllOf | AnyOf


def children(node: Any) -> list[Any]:
    if isinstance(node, AllOf):
        return node.all
    if isinstance(node, AnyOf):
        return node.any
    return []


def is_group(node: Any) -> bool:
    return isinstance(node, AllOf | AnyOf)


def leaves(nodes: list[Any]) -> Iterator[Any]:
    """Every check in the trees, depth first."""
    for node in nodes:
        if is_group(node):
            yield from leaves(children(node))
        else:
            yield node


def holds(node: Any, leaf: Callable[[Any], bool]) -> bool:
    """The tree's truth given each leaf's truth."""
    if isinstance(node, AllOf):
        return all(holds(child, leaf) for child in node.all)
    if isinstance(node, AnyOf):
        return any(holds(child, leaf) for child in node.any)
    return leaf(node)


def all_hold(nodes: list[Any], leaf: Callable[[Any], bool]) -> bool:
    return all(holds(node, leaf) for node in nodes)


def node_score(node: Any, leaf: Callable[[Any], bool]) -> float:
    """Partial credit: a check is 1 or 0; ``all`` averages its items, ``any`` takes the best."""
    if isinstance(node, AllOf):
        return sum(node_score(child, leaf) for child in node.all) / len(node.all)
    if isinstance(node, AnyOf):
        return max(node_score(child, leaf) for child in node.any)
    return 1.0 if leaf(node) else 0.0


def node_label(node: Any, limit: int = 160) -> str:
    """The description, or e.g. ``all of (file_exists ~/a; any of (…))`` cut at ``limit``."""
    if is_group(node):
        if node.description:
            return str(node.description)
        word = "all" if isinstance(node, AllOf) else "any"
        text = f"{word} of ({'; '.join(node_label(child, limit) for child in children(node))})"
        return text if len(text) <= limit else text[: limit - 1] + "…"
    return str(node.label())


def node_kind(node: Any) -> str:
    if isinstance(node, AllOf):
        return "all"
    if isinstance(node, AnyOf):
        return "any"
    return str(node.check)
