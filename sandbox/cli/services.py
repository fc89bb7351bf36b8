"""``sandbox services``: the mock services, their base URLs, scopes and endpoints."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from sandbox.cli.common import console, fail, handles_errors, print_json
from scenarios.services import default_api_key, default_credentials_file
from tools.catalog import SERVICES


@handles_errors
def services(
    name: Annotated[str | None, typer.Argument(help="One service, e.g. shop.")] = None,
    json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
) -> None:
    """List the mock services: base URL, credentials file and every endpoint with its scope.

    Each service also documents itself at GET <base URL>/openapi.json inside the sandbox.
    """
    if name is not None and name not in SERVICES:
        raise fail(f"unknown service {name!r}; known services: {', '.join(SERVICES)}")
    chosen = [SERVICES[name]] if name else list(SERVICES.values())
    rows = [
        {
            "name": service.name,
            "title": service.title,
            "base_url": service.base_url,
            "openapi": f"{service.base_url}/openapi.json",
            "credentials_file": default_credentials_file(service.name),
            "default_api_key": default_api_key(service.name),
            "endpoints": [
                {
                    "method": e.method,
                    "path": e.path,
                    "scope": e.scope,
                    "summary": e.summary,
                    "idempotent": e.idempotent,
                }
                for e in service.endpoints
            ],
        }
        for service in chosen
    ]
    if json:
        print_json(rows)
        return
    for row in rows:
        console.print(
            f"[bold]{row['name']}[/] — {row['title']}  {row['base_url']}  "
            f"(key in {row['credentials_file']})"
        )
        table = Table("method", "path", "scope", "summary", box=None, pad_edge=False)
        for e in row["endpoints"]:
            table.add_row(e["method"], e["path"], e["scope"] or "public", e["summary"])
        console.print(table)
        console.print()
