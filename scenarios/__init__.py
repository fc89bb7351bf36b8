"""Scenarios: the file format, the loader, goal checks, scoring and the bundled library."""

from scenarios.build import build_world
from scenarios.env import env_for, make_env
from scenarios.library import bundled_ids, load_bundled, resolve
from scenarios.loader import load_scenario, parse_scenario
from scenarios.report import ScoreReport
from scenarios.schema import Scenario
from scenarios.scoring import EpisodeScorer, GoalScorer, score_episode
from scenarios.vector import vector_env

__all__ = [
    "EpisodeScorer",
    "GoalScorer",
    "Scenario",
    "ScoreReport",
    "build_world",
    "bundled_ids",
    "env_for",
    "load_bundled",
    "load_scenario",
    "make_env",
    "parse_scenario",
    "resolve",
    "score_episode",
    "vector_env",
]
