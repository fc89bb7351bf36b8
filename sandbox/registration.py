"""``gymnasium.make("sandbox/<scenario-id>")`` for every bundled scenario.

The scenarios package is *located*, never imported, here: the ids are the file names in its
library folder, and the entry point is a string that Gymnasium resolves when an env is made.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import gymnasium

NAMESPACE = "sandbox"
ENTRY_POINT = "scenarios.env:make_env"


def bundled_library() -> Path | None:
    """The folder of bundled scenario files, found without importing ``scenarios``."""
    spec = importlib.util.find_spec("scenarios")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "library"


def bundled_ids() -> list[str]:
    library = bundled_library()
    if library is None or not library.is_dir():
        return []
    return sorted(path.stem for path in library.glob("*.yaml"))


def register_bundled() -> list[str]:
    """Register every bundled scenario under the ``sandbox/`` namespace; return the env ids."""
    env_ids = []
    for scenario_id in bundled_ids():
        env_id = f"{NAMESPACE}/{scenario_id}"
        if env_id not in gymnasium.registry:
            gymnasium.register(
                id=env_id,
                entry_point=ENTRY_POINT,
                kwargs={"scenario_id": scenario_id},
            )
        env_ids.append(env_id)
    return env_ids
