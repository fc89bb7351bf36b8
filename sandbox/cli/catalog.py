"""Commands that describe scenarios and tools: list, show, tools, validate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Column, Table

from sandbox.cli.common import console, handles_errors, print_json
from sandbox.errors import ScenarioError
from sandbox.faults import KINDS, Fault
from scenarios.goals import node_label
from scenarios.library import bundled_ids, load_bundled, resolve
from scenarios.loader import load_scenario
from tools.catalog import toolset_for

JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
ScenarioArg = Annotated[str, typer.Argument(help="A bundled scenario id, or a scenario file.")]


@handles_errors
def list_scenarios(json: JsonFlag = False) -> None:
    """List the bundled scenarios."""
    rows = []
    for scenario_id in bundled_ids():
        scenario = load_bundled(scenario_id)
        rows.append(
            {
                "id": scenario.id,
                "title": scenario.title,
                "tools": len(toolset_for(scenario.tools)),
                "solutions": list(scenario.solutions),
                "max_steps": scenario.max_steps,
                "tags": scenario.tags,
            }
        )
    if json:
        print_json(rows)
        return
    table = Table(Column("id", no_wrap=True), "title", "tools", "solutions", "tags")
    for row in rows:
        table.add_row(
            row["id"],
            row["title"],
            str(row["tools"]),
            ", ".join(row["solutions"]),
            ", ".join(row["tags"]),
        )
    console.print(table)


@handles_errors
def show(scenario_id: ScenarioArg, json: JsonFlag = False) -> None:
    """Show a scenario: task, tools, initial files, rules, goal checks and solutions."""
    scenario = resolve(scenario_id)
    if json:
        data = scenario.model_dump(mode="json")
        data["content_hash"] = scenario.content_hash
        print_json(data)
        return
    console.print(f"[bold]{scenario.id}[/] — {escape(scenario.title)}")
    console.print(
        f"seed {scenario.seed} · max {scenario.max_steps} steps · starts {scenario.start_time}"
    )
    console.print("\n[bold]Task[/]")
    console.print(scenario.task.strip(), markup=False, soft_wrap=True)
    console.print("\n[bold]Tools[/] " + ", ".join(toolset_for(scenario.tools)))
    console.print(f"\n[bold]Initial files[/] ({len(scenario.files)})")
    for spec in scenario.files:
        console.print(f"  {spec.path}  ({len(spec.content.encode())} bytes)", markup=False)
    if scenario.permissions or scenario.quota_bytes is not None:
        console.print("\n[bold]Rules[/]")
        for rule in scenario.permissions:
            console.print(f"  {rule.path}: {rule.access}", markup=False)
        if scenario.quota_bytes is not None:
            console.print(f"  quota: {scenario.quota_bytes} bytes")
    if scenario.services or scenario.sites:
        console.print("\n[bold]Services[/] " + ", ".join([*scenario.services, *scenario.sites]))
    if scenario.faults:
        console.print(f"\n[bold]Faults[/] ({len(scenario.faults)})")
        for fault in scenario.faults:
            console.print(f"  {fault_line(fault)}", markup=False, soft_wrap=True)
    console.print(f"\n[bold]Goal[/] ({len(scenario.goal)} checks)")
    for node in scenario.goal:
        console.print(f"  {node_label(node)}", markup=False)
    if scenario.milestones:
        console.print(f"\n[bold]Milestones[/] ({len(scenario.milestones)})")
        for milestone in scenario.milestones:
            after = f" (after {', '.join(milestone.after)})" if milestone.after else ""
            console.print(f"  {milestone.id}: {milestone.label()}{after}", markup=False)
    if scenario.minefields:
        console.print(f"\n[bold]Minefields[/] ({len(scenario.minefields)})")
        for minefield in scenario.minefields:
            console.print(f"  {minefield.id}: {minefield.label()}", markup=False)
    console.print("\n[bold]Reference solutions[/]")
    for name, calls in scenario.solutions.items():
        console.print(f"  {name}: {len(calls)} steps", markup=False)


def fault_line(fault: Fault) -> str:
    where = ", ".join(f"{k}={v}" for k, v in fault.target.model_dump(exclude_none=True).items())
    when = ", ".join(f"{k}={v}" for k, v in fault.trigger.model_dump(exclude_none=True).items())
    params = f" {fault.params}" if fault.params else ""
    recovery = f"; expected recovery {fault.expected_recovery}" if fault.expected_recovery else ""
    return f"{fault.id}: {fault.kind}{params} on {where or 'any call'} ({when}){recovery}"


@handles_errors
def faults(json: JsonFlag = False) -> None:
    """List every fault kind a scenario can declare: layer, parameters, expected recovery."""
    if json:
        print_json({name: info.model_dump() for name, info in KINDS.items()})
        return
    table = Table(Column("kind", no_wrap=True), "layer", "what happens", "parameters", "recovery")
    for name, info in KINDS.items():
        params = "\n".join(f"{key}: {text}" for key, text in info.params.items())
        table.add_row(name, info.layer, info.summary, params or "-", info.recovery)
    console.print(table)
    console.print(
        "Targets: tool, service, route, method, url, path (globs; all given must match). "
        "Triggers: nth, first, after_seconds, probability (one of)."
    )


@handles_errors
def tools(scenario_id: ScenarioArg, json: JsonFlag = False) -> None:
    """The scenario's tools; --json prints OpenAI-style tool definitions."""
    toolset = toolset_for(resolve(scenario_id).tools)
    if json:
        print_json(toolset.openai_schemas())
        return
    table = Table("tool", "arguments", "description")
    for item in toolset.values():
        table.add_row(item.name, item.signature.split("(", 1)[1][:-1], item.description)
    console.print(table)


def validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files to check.")],
    json: JsonFlag = False,
) -> None:
    """Check scenario files; every problem names file, line and field. Exit 1 if any is bad."""
    results = []
    for path in files:
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            results.append({"file": str(path), "ok": False, "errors": str(error).splitlines()})
        else:
            results.append({"file": str(path), "ok": True, "id": scenario.id, "errors": []})
    if json:
        print_json(results)
    else:
        for result in results:
            if result["ok"]:
                console.print(f"[green]ok[/]   {escape(result['file'])}")
            for line in result["errors"]:
                console.print(f"[red]fail[/] {escape(line)}", soft_wrap=True)
    if not all(result["ok"] for result in results):
        raise typer.Exit(1)
