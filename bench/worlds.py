"""The worlds the benchmarks run in: built from scenarios like real ones, sized on demand."""

from __future__ import annotations

from typing import Any

from sandbox.env import ToolEnv
from scenarios import env_for
from scenarios.schema import Scenario
from scenarios.services import default_api_key

AUTH = {"Authorization": f"Bearer {default_api_key('shop')}"}
ORDER_URL = "https://api.shop.example/v1/orders/ord_1001"


def scenario(
    files: int = 200, services: tuple[str, ...] = ("shop", "helpdesk", "calendar")
) -> Scenario:
    """A scenario with ``files`` files in nested folders and the given services."""
    return Scenario.model_validate(
        {
            "id": f"bench-{files}",
            "title": "benchmark world",
            "task": "benchmark",
            "tools": ["fs_*", "http_request", "shop_*"],
            "files": [
                {"path": f"~/data/d{n % 20:02d}/file-{n:05d}.txt", "content": f"line {n}\n" * 20}
                for n in range(files)
            ],
            "services": {name: {} for name in services},
            "max_steps": 10_000,
            "goal": [{"check": "answer_contains", "text": "x"}],
            "solutions": {"a": [{"tool": "submit", "arguments": {"answer": "x"}}]},
        }
    )


def read_call(n: int = 7) -> dict[str, Any]:
    return {"tool": "fs_read_file", "arguments": {"path": f"~/data/d{n % 20:02d}/file-{n:05d}.txt"}}


def write_call(n: int) -> dict[str, Any]:
    path = f"~/data/d{n % 20:02d}/file-{n:05d}.txt"
    return {"tool": "fs_write_file", "arguments": {"path": path, "content": "changed\n"}}


def http_call() -> dict[str, Any]:
    return {"tool": "http_request", "arguments": {"url": ORDER_URL, "headers": AUTH}}


def fresh_env(files: int = 200) -> ToolEnv:
    env = env_for(scenario(files))
    env.reset()
    return env
