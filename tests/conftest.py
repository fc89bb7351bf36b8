"""Shared fixtures: scenarios are loaded once per session from the bundled library."""

from __future__ import annotations

import pytest

import sandbox  # noqa: F401  (registers the gymnasium ids)
from scenarios import bundled_ids, load_bundled
from scenarios.schema import Scenario

BUNDLED = bundled_ids()


@pytest.fixture(params=BUNDLED)
def bundled(request: pytest.FixtureRequest) -> Scenario:
    return load_bundled(request.param)
