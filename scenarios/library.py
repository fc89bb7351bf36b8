"""The bundled scenario library (``scenarios/library/*.yaml``)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from sandbox.errors import ScenarioError
from scenarios.loader import load_scenario
from scenarios.schema import Scenario

LIBRARY = Path(__file__).parent / "library"


def bundled_paths() -> list[Path]:
    return sorted(LIBRARY.glob("*.yaml"))


def bundled_ids() -> list[str]:
    return [path.stem for path in bundled_paths()]


@cache
def load_bundled(scenario_id: str) -> Scenario:
    path = LIBRARY / f"{scenario_id}.yaml"
    if not path.is_file():
        raise ScenarioError(
            f"no bundled scenario {scenario_id!r}; bundled: {', '.join(bundled_ids())}"
        )
    return load_scenario(path)


def resolve(id_or_path: str) -> Scenario:
    """A bundled scenario by id, or a scenario file by path."""
    if id_or_path.endswith((".yaml", ".yml")) or "/" in id_or_path:
        return load_scenario(id_or_path)
    return load_bundled(id_or_path)
