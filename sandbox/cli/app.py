"""The ``sandbox`` command: one Typer app, one module per group of commands."""

from __future__ import annotations

import typer

from sandbox.cli import (
    branch,
    catalog,
    datasets,
    episodes,
    mcp,
    play,
    replay,
    scoring,
    serve,
    services,
)

app = typer.Typer(
    name="sandbox",
    help=(
        "agent-sandbox: simulated tool environments for recording expert trajectories.\n\n"
        "Start with `sandbox list`, `sandbox show ID`, then `sandbox play ID --out t.jsonl`."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

app.command("list")(catalog.list_scenarios)
app.command("show")(catalog.show)
app.command("tools")(catalog.tools)
app.command("faults")(catalog.faults)
app.command("services")(services.services)
app.command("validate")(catalog.validate)
app.command("solve")(episodes.solve_command)
app.command("run")(episodes.run)
app.command("play")(play.play)
app.command("demo")(episodes.demo)
app.command("score")(scoring.score_command)
app.command("audit")(scoring.audit_command)
app.command("replay")(replay.replay)
app.command("branch")(branch.branch_command)
app.command("mcp")(mcp.mcp)
app.command("annotate")(datasets.annotate_command)
app.command("review")(datasets.review_command)
app.command("export")(datasets.export_command)
app.command("stats")(datasets.stats_command)
app.command("serve")(serve.serve)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
