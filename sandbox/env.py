"""``ToolEnv``: the Gymnasium environment every actor (human, LLM, RL policy) steps through.

The env is generic: it is handed a world builder, a toolset and a scorer, and knows nothing of
scenarios. One step: parse the action → find the tool → validate its arguments → run it against
the world → diff what changed → ground-truth ``Feedback``. Bad input is a failed step, never an
exception: the episode goes on.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol, cast

import gymnasium as gym

from sandbox.errors import ActionError, ToolError
from sandbox.recovery import expected_recovery
from sandbox.spaces import AnyText
from sandbox.tool import Tool, ToolResult, Toolset
from sandbox.types import ErrorInfo, Feedback, Status, Step, ToolCall
from sandbox.world import World

log = logging.getLogger(__name__)

MAX_OBSERVATION = 1 << 20
MAX_ACTION = 1 << 16
TRUNCATION_MARK = "\n[… output truncated at {limit} characters]"


Timeline = list[tuple[int, bool]]
"""A watched predicate's value over an episode: ``(step index, value)`` each time the value
changed, in order; step ``-1`` is the initial world. The value after step k is that of the last
entry at or before k."""


@dataclass
class Episode:
    """What a scorer sees: the final world, the steps taken and the submitted answer.

    ``watch`` holds the timelines of the state predicates a scorer watches (see ``Observer``),
    keyed by the scorer's own names for them; ``observer_state`` is whatever else an observer
    keeps for this episode while it runs (e.g. running counts), never part of a verdict.
    """

    world: World
    steps: list[Step] = field(default_factory=list)
    answer: str | None = None
    watch: dict[str, Timeline] = field(default_factory=dict)
    observer_state: dict[str, Any] = field(default_factory=dict)


class Scorer(Protocol):
    def __call__(self, episode: Episode) -> float: ...


class Observer(Protocol):
    """Optional for a scorer: look at the live world on reset (``step`` None) and after every
    step, e.g. to note when a state predicate became true (kept in ``episode.watch``). It must
    stay cheap: the env calls it on every step."""

    def observe(self, episode: Episode, step: Step | None) -> None: ...


WorldBuilder = Callable[[int], World]
"""Builds the initial world for a seed (and marks it as the reset baseline)."""


@dataclass(frozen=True)
class Task:
    """What an env is about: shown to the actor on reset and written in recordings."""

    scenario_id: str
    text: str
    default_seed: int = 0
    max_steps: int = 50
    content_hash: str = ""
    section_hashes: Mapping[str, str] = field(default_factory=dict)
    """A hash per part of the task's source (kept in recordings to name what changed)."""


def parse_action(action: ToolCall | dict[str, Any] | str | bytes) -> ToolCall:
    """A ``ToolCall`` from a model, a dict or JSON text, or an ``ActionError`` saying why not."""
    if isinstance(action, ToolCall):
        return action
    if isinstance(action, str | bytes):
        if len(action) > MAX_ACTION:
            raise ActionError(
                f"action is {len(action)} characters; the limit is {MAX_ACTION}",
                type="action_too_large",
            )
        try:
            action = json.loads(action)
        except (ValueError, UnicodeDecodeError) as error:
            raise ActionError(
                f"action is not JSON ({error}); expected "
                '{"tool": "<name>", "arguments": {...}, "thought": "..."}',
                type="invalid_json",
            ) from None
    if not isinstance(action, dict):
        raise ActionError(
            f"action is a {type(action).__name__}; expected an object "
            '{"tool": "<name>", "arguments": {...}}',
            type="invalid_action",
        )
    try:
        return ToolCall.model_validate(action)
    except ValueError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in issue['loc']) or '(action)'}: {issue['msg']}"
            for issue in getattr(error, "errors", lambda: [])()
        ) or str(error)
        raise ActionError(
            f"action is not a tool call: {problems}. Expected "
            '{"tool": "<name>", "arguments": {...}, "thought": "..."}',
            type="invalid_action",
        ) from None


class ToolEnv(gym.Env[str, str]):
    """A text-in, text-out environment over a simulated world.

    Observations are the text the actor sees (the task on reset, a tool's result or error after
    a step). ``info["feedback"]`` is the ground truth; ``info["step"]`` the full step record.
    """

    metadata = {"render_modes": ["ansi"]}

    def __init__(
        self,
        *,
        task: Task,
        build_world: WorldBuilder,
        toolset: Toolset,
        scorer: Scorer,
        render_mode: str | None = None,
        score_at_end: bool = True,
    ) -> None:
        if render_mode not in (None, "ansi"):
            raise ValueError(f"render_mode must be None or 'ansi', not {render_mode!r}")
        self.task = task
        self.toolset = toolset
        self.render_mode = render_mode
        self._build_world = build_world
        self._scorer = scorer
        self._score_at_end = score_at_end
        self._observer: Observer | None = (
            cast(Observer, scorer) if hasattr(scorer, "observe") else None
        )
        self.observation_space = AnyText(max_length=MAX_OBSERVATION)
        self.action_space = AnyText(max_length=MAX_ACTION)
        self.world: World | None = None
        self.episode: Episode | None = None
        self._observation = ""
        self._done = False

    # ---- Gymnasium API ---------------------------------------------------------------------

    def reset(
        self, *, seed: int | None = None, options: dict[str, Any] | None = None
    ) -> tuple[str, dict[str, Any]]:
        super().reset(seed=seed)
        wanted = seed if seed is not None else (self.world.seed if self.world else None)
        wanted = self.task.default_seed if wanted is None else wanted
        if self.world is not None and self.world.seed == wanted:
            self.world.reset()
        else:
            if self.world is not None:
                self.world.close()
            self.world = self._build_world(wanted)
        # probabilistic faults draw from (seed, fault_seed); fault_seed is 0 unless given
        self.world.faults.reseed(int((options or {}).get("fault_seed", 0)))
        self.episode = Episode(world=self.world)
        if self._observer is not None:
            self._observer.observe(self.episode, None)
        self._done = False
        self._observation = self.task.text
        info = {
            "scenario_id": self.task.scenario_id,
            "task": self.task.text,
            "tools": self.toolset.openai_schemas(),
            "seed": wanted,
            "fault_seed": self.world.faults.fault_seed,
        }
        return self._observation, info

    def step(
        self, action: ToolCall | dict[str, Any] | str
    ) -> tuple[str, float, bool, bool, dict[str, Any]]:
        if self.world is None or self.episode is None:
            raise gym.error.ResetNeeded("call reset() before step()")
        world, episode = self.world, self.episode
        index = len(episode.steps)
        ends_episode = False
        try:
            call = parse_action(action)
        except ActionError as error:
            call = ToolCall(tool="invalid_action", arguments={"raw": _preview(action)})
            text, feedback = self._failure(error.type, str(error))
        else:
            if self._done:
                text, feedback = self._failure(
                    "episode_over", "the episode has ended; call reset() to start again"
                )
            else:
                text, feedback, ends_episode, answer = self._run(call)
                if ends_episode:
                    episode.answer = answer
        if len(text) > MAX_OBSERVATION:
            mark = TRUNCATION_MARK.format(limit=MAX_OBSERVATION)
            text = text[: MAX_OBSERVATION - len(mark)] + mark
        step = Step(
            index=index,
            call=call,
            observation=text,
            feedback=feedback,
            sim_time=world.clock.isoformat(),
        )
        episode.steps.append(step)
        if self._observer is not None:
            self._observer.observe(episode, step)
        self._observation = text
        was_done = self._done
        terminated = ends_episode
        truncated = not ends_episode and not was_done and len(episode.steps) >= self.task.max_steps
        reward = 0.0
        info: dict[str, Any] = {"feedback": feedback, "step": step}
        if (terminated or truncated) and not was_done:
            self._done = True
            if self._score_at_end:
                reward = self.score()
                info["score"] = reward
            info["answer"] = episode.answer
        return text, reward, terminated, truncated, info

    def score(self) -> float:
        """The scorer's verdict on the episode so far (the terminal reward when it ends)."""
        return 0.0 if self.episode is None else float(self._scorer(self.episode))

    def render(self) -> str | None:
        return self._observation if self.render_mode == "ansi" else None

    def close(self) -> None:
        if self.world is not None:
            self.world.close()
            self.world = None

    # ---- one call ----------------------------------------------------------------------------

    @staticmethod
    def _failure(error_type: str, message: str) -> tuple[str, Feedback]:
        feedback = Feedback(status="failure", error=ErrorInfo(type=error_type, message=message))
        feedback.expected_recovery = expected_recovery(feedback, None)
        return f"Error: {message}", feedback

    def _run(self, call: ToolCall) -> tuple[str, Feedback, bool, str | None]:
        world = self.world
        assert world is not None
        selected: Tool[Any] | None = self.toolset.get(call.tool)
        if selected is None:
            text, feedback = self._failure(
                "unknown_tool",
                f"unknown tool {call.tool!r}; available tools: {', '.join(self.toolset)}",
            )
            return text, feedback, False, None
        try:
            params = selected.parse(call.arguments)
        except ActionError as error:
            text, feedback = self._failure(error.type, str(error))
            return text, feedback, False, None
        status: Status = "success"
        error_info: ErrorInfo | None = None
        ends_episode = False
        answer: str | None = None
        world.faults.current_tool = call.tool
        try:
            result = selected.run(world, params)
        except ToolError as error:
            text = f"Error: {error}"
            status = "partial" if error.partial else "failure"
            error_info = ErrorInfo(
                type=error.type, message=str(error), http_status=error.http_status
            )
        except Exception as error:  # a bug in a tool: record it, keep the episode going
            log.exception("tool %s raised", call.tool)
            detail = "".join(traceback.format_exception_only(error)).strip()
            text = f"Error: internal error in tool {call.tool}: {detail}"
            status = "failure"
            error_info = ErrorInfo(
                type="internal_error",
                message=f"{detail}\n{''.join(traceback.format_tb(error.__traceback__)[-3:])}",
            )
        else:
            if isinstance(result, ToolResult):
                text, status, ends_episode = result.text, result.status, result.ends_episode
                answer, error_info = result.answer, result.error
            else:
                text = result
        finally:
            world.faults.current_tool = None
        world.clock.advance(selected.sim_seconds)
        fired, wait = world.faults.take_fired()
        feedback = Feedback(
            status=status,
            error=error_info,
            fault=fired[0] if fired else None,
            changes=world.take_step_changes(),
            retry_after=wait,
        )
        recovery = world.faults.recovery_of(fired[0]) if fired else None
        world.faults.end_step()
        feedback.expected_recovery = expected_recovery(feedback, recovery)
        return text, feedback, ends_episode, answer


def _preview(action: object, limit: int = 200) -> str:
    text = action if isinstance(action, str) else repr(action)
    return text if len(text) <= limit else text[:limit] + "…"
