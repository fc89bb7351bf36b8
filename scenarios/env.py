"""The factory Gymnasium reaches through ``"scenarios.env:make_env"``."""

from __future__ import annotations

from functools import partial

from sandbox.env import Task, ToolEnv
from scenarios.build import build_world
from scenarios.library import load_bundled
from scenarios.schema import Scenario
from scenarios.scoring import EpisodeScorer
from tools.catalog import toolset_for


def env_for(
    scenario: Scenario, *, render_mode: str | None = None, score_at_end: bool = True
) -> ToolEnv:
    """An env of ``scenario``. ``score_at_end=False`` skips the terminal reward (0.0, no
    ``info["score"]``) for re-execution that scores the episode itself, or never needs to."""
    task = Task(
        scenario_id=scenario.id,
        text=scenario.task,
        default_seed=scenario.seed,
        max_steps=scenario.max_steps,
        content_hash=scenario.content_hash,
        section_hashes=scenario.section_hashes,
    )
    return ToolEnv(
        task=task,
        build_world=partial(build_world, scenario),
        toolset=toolset_for(scenario.tools),
        scorer=EpisodeScorer(scenario),
        render_mode=render_mode,
        score_at_end=score_at_end,
    )


def make_env(scenario_id: str, render_mode: str | None = None) -> ToolEnv:
    return env_for(load_bundled(scenario_id), render_mode=render_mode)
