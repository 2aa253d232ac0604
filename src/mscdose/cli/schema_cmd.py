"""``mscdose schema COMMAND``: the JSON Schema of a command's ``--json`` output."""

from __future__ import annotations

from typing import Annotated

import typer

from mscdose.cli.app import app


@app.command(
    short_help="Print the JSON Schema of a command's --json output.",
    epilog="""Examples:

\b
  mscdose schema
  mscdose schema check > check.schema.json""",
)
def schema(
    name: Annotated[
        str | None,
        typer.Argument(metavar="COMMAND", help="A command with --json output; none lists them."),
    ] = None,
) -> None:
    """Print the JSON Schema of COMMAND's --json output (no COMMAND: list those that have one)."""
    import json

    # imported on first use, to keep start-up fast
    from mscdose.documents import SCHEMAS, json_schema

    if name is None:
        print("\n".join(sorted(SCHEMAS)))
        return
    print(json.dumps(json_schema(name), indent=2, ensure_ascii=False))
