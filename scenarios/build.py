"""Build the initial world a scenario describes."""

from __future__ import annotations

from sandbox.fs import AccessRule
from sandbox.llm_user import user_for
from sandbox.world import World
from scenarios.schema import Scenario
from scenarios.services import provision
from tools.catalog import SERVICES, SITES


def build_world(scenario: Scenario, seed: int | None = None) -> World:
    """A fresh world for ``scenario``, marked as the baseline that reset returns to."""
    world = World(
        seed=scenario.seed if seed is None else seed,
        start=scenario.start_time,
        home=scenario.home,
        rules=tuple(AccessRule(rule.path, rule.access) for rule in scenario.permissions),
        quota_bytes=scenario.quota_bytes,
    )
    for folder in scenario.dirs:
        world.fs.seed_dir(folder)
    for spec in scenario.files:
        world.fs.seed_file(spec.path, spec.content.encode("utf-8"))
    for name, service_spec in scenario.services.items():
        provision(world, SERVICES[name], service_spec)
    for name, site_spec in scenario.sites.items():
        SITES[name].install(world, [a.model_dump() for a in site_spec.accounts])
    world.faults.install(scenario.faults)
    world.user = user_for(scenario.user)
    world.mark_baseline()
    return world
