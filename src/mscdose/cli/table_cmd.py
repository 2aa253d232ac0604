"""``mscdose table validate PATH``: check a regimens.yaml; each problem as ``PATH:LINE: msg``."""

from __future__ import annotations

from typing import Annotated

import typer

from mscdose.cli.app import app

table_app = typer.Typer(
    name="table",
    help="Work with the reference table (regimens.yaml).",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(table_app, name="table")


@table_app.command()
def validate(
    path: Annotated[str, typer.Argument(help="The regimens.yaml to check.", metavar="PATH")],
) -> None:
    """Check a table: exit 0 when valid, else exit 2 with one 'PATH:LINE: message' per problem."""
    import sys
    from pathlib import Path

    from mscdose.errors import TableError
    from mscdose.table import load_table

    try:
        table = load_table(Path(path))
    except TableError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise typer.Exit(2) from None
    rows = len(table.rows)
    print(
        f"{path}: valid (table {table.version}, {rows} {'row' if rows == 1 else 'rows'}, "
        f"sha256 {table.sha256[:12]})"
    )
