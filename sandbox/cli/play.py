"""``sandbox play``: act in a scenario from the terminal, with reasoning at every step."""

from __future__ import annotations

import json as jsonlib
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.panel import Panel

from recorder.recorder import Recorder
from sandbox.cli.common import console, handles_errors, refuse_overwrite
from sandbox.tool import Tool
from sandbox.types import Feedback, ToolCall
from scenarios.env import env_for
from scenarios.library import resolve

HELP = (
    "Type a tool's number or name, then fill its arguments (blank skips an optional one).\n"
    "Or paste a whole call as JSON: "
    '{"tool": "fs_read_file", "arguments": {"path": "~/a.txt"}, "thought": "…"}.\n'
    "q quits (the recording is kept, marked abandoned); ? shows this help."
)


def _ask_arguments(selected: Tool[Any]) -> dict[str, Any]:
    schema = selected.input_schema
    required = set(schema.get("required", []))
    arguments: dict[str, Any] = {}
    for name, prop in schema["properties"].items():
        kind = prop.get("type") or "/".join(s.get("type", "?") for s in prop.get("anyOf", []))
        hint = f"{name} ({kind}{'' if name in required else ', optional'})"
        if prop.get("description"):
            console.print(f"  [dim]{escape(prop['description'])}[/]")
        default = prop.get("default")
        raw = typer.prompt(
            f"  {hint}",
            default="" if default is None else jsonlib.dumps(default).strip('"'),
            show_default=default is not None,
        )
        if raw == "" and name not in required:
            continue
        arguments[name] = raw if kind == "string" else _parse_value(raw)
    return arguments


def _parse_value(raw: str) -> Any:
    try:
        return jsonlib.loads(raw)
    except ValueError:
        return raw  # let the env's validation explain what was expected


def _show(observation: str, feedback: Feedback) -> None:
    colour = {"success": "green", "partial": "yellow", "failure": "red"}[feedback.status]
    console.print(Panel(escape(observation) or "[dim](empty)[/]", title="observation"))
    line = f"[{colour}]{feedback.status}[/]"
    if feedback.error:
        line += f" · {escape(feedback.error.type)}"
    if feedback.fault:
        line += f" · injected fault {escape(feedback.fault)}"
    console.print(line)
    for change in feedback.changes:
        detail = f" ({escape(change.detail)})" if change.detail else ""
        console.print(f"  {change.op} {escape(change.target)}{detail}")


@handles_errors
def play(
    scenario_id: Annotated[str, typer.Argument(help="A bundled scenario id, or a scenario file.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Trajectory file to write (.jsonl).")],
    seed: Annotated[int | None, typer.Option("--seed", help="World seed.")] = None,
    actor: Annotated[str, typer.Option("--actor", help="Your name, kept in the recording.")] = (
        "human"
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing --out.")] = False,
) -> None:
    """Act in a scenario interactively: pick a tool, fill its arguments, write your reasoning."""
    refuse_overwrite(out, force)
    env = Recorder(env_for(resolve(scenario_id)), out, actor=actor)
    observation, info = env.reset(seed=seed)
    console.print(Panel(escape(observation), title=f"task · {escape(info['scenario_id'])}"))
    interact(env)


def interact(env: Recorder) -> None:
    """The terminal loop over a reset (possibly already advanced) recording env."""
    toolset = env.tool_env.toolset
    names = list(toolset)
    console.print(HELP, markup=False)
    try:
        while True:
            console.print(
                "tools: " + "  ".join(f"{i}:{name}" for i, name in enumerate(names, 1)),
                markup=False,
            )
            choice = typer.prompt("tool").strip()
            if choice in ("q", "quit", "exit"):
                console.print("Stopped; the recording is kept as abandoned.")
                break
            if choice in ("?", "help"):
                console.print(HELP, markup=False)
                continue
            action: ToolCall | str
            if choice.startswith("{"):
                action = choice
            else:
                name = (
                    names[int(choice) - 1]
                    if choice.isdigit() and 0 < int(choice) <= len(names)
                    else choice
                )
                if name not in toolset:
                    console.print(f"[red]no tool {escape(name)!s}[/]; pick a number or a name")
                    continue
                arguments = _ask_arguments(toolset[name])
                thought = typer.prompt("reasoning (why this call?)", default="", show_default=False)
                action = ToolCall(tool=name, arguments=arguments, thought=thought or None)
            observation, _, terminated, truncated, info = env.step(action)
            _show(observation, info["feedback"])
            if terminated or truncated:
                why = "submitted" if terminated else "step limit reached"
                console.print(f"Episode over ({why}). Score [bold]{info['score']:.2f}[/]")
                break
    except (EOFError, typer.Abort):
        console.print("\nInput ended; the recording is kept as abandoned.")
    finally:
        env.close()
    console.print(f"Recorded → {escape(str(env.paths[-1]))}")
