"""tau-bench's retail environment, run beside ours: the peer harness the issue compares with.

``python -m bench --tau-bench PATH`` (PATH: a checkout of github.com/sierra-research/tau-bench)
re-executes the ground-truth actions of every retail test task the way its harness does — a
reset (it reloads the JSON database), then each tool call — and reports its reset, its step and
the steps per second of that re-execution, the analogue of our ``replay --verify``. Nothing of
tau-bench is installed: its one import that needs the network (``litellm``, for the LLM user)
is stubbed when missing, and its human user's ``input()`` answers at once.
"""

from __future__ import annotations

import builtins
import statistics
import sys
import time
import types
from functools import partial
from pathlib import Path
from typing import Any

from bench.timing import Result, settle


def checkout_problem(checkout: Path) -> str | None:
    """Why ``checkout`` is not a tau-bench checkout (None: it is one)."""
    if (checkout / "tau_bench" / "envs" / "retail").is_dir():
        return None
    return (
        f"{checkout}: no tau_bench/envs/retail there; expected a checkout of "
        "https://github.com/sierra-research/tau-bench"
    )


def _retail_env(checkout: Path) -> Any:
    problem = checkout_problem(checkout)
    if problem is not None:
        raise ValueError(problem)
    sys.path.insert(0, str(checkout))
    try:
        import litellm  # noqa: F401
    except ImportError:
        sys.modules["litellm"] = types.SimpleNamespace(completion=None)  # type: ignore[assignment]
    from tau_bench.envs import get_env

    return get_env("retail", user_strategy="human", user_model="-", task_split="test", task_index=0)


def taubench_retail(checkout: Path) -> Result:
    """Every retail test task replayed as its harness runs an episode: reset, each ground-truth
    tool call, then the reward (``calculate_reward``: it reloads the database, re-runs the
    task's actions and compares hashes; a terminating tool computes it inside its step)."""
    asking, builtins.input = builtins.input, lambda prompt="": "hello"
    try:
        env = _retail_env(checkout)
        spent: dict[str, list[float]] = {"reset": [], "step": [], "reward": []}

        def timed(part: str, call: Any) -> Any:
            began = time.perf_counter()
            outcome = call()
            spent[part].append(time.perf_counter() - began)
            return outcome

        settle()
        for index, task in enumerate(env.tasks):
            timed("reset", partial(env.reset, task_index=index))
            done = False
            for action in task.actions:
                if action.name != "respond":  # a message to the (LLM) user, not a tool call
                    done = timed("step", partial(env.step, action)).done
            if not done:
                timed("reward", env.calculate_reward)
    finally:
        builtins.input = asking
    steps = len(spent["step"])
    replay = steps / (sum(spent["reset"]) + sum(spent["step"]))
    scored = steps / sum(sum(times) for times in spent.values())
    reset_ms = statistics.median(spent["reset"]) * 1e3
    step_us = statistics.median(spent["step"]) * 1e6
    reward_ms = statistics.median(spent["reward"]) * 1e3
    return Result(
        "tau-bench retail: its tasks' actions re-executed (peer)",
        replay,
        "steps/s",
        "report",
        None,
        f"{len(env.tasks)} tasks, {steps} tool calls; reset {reset_ms:.1f} ms, step median "
        f"{step_us:.0f} µs; with each episode's reward ({reward_ms:.0f} ms a task), "
        f"{scored:,.1f} steps/s",
        {"reset_ms": reset_ms, "step_median_us": step_us, "reward_ms": reward_ms, "scored": scored},
    )
