"""``mscdose table validate PATH``: check a regimens.yaml; each problem as ``PATH:LINE: msg``,
and each row that stands 100-fold apart from its peers as ``PATH:LINE: warning: …``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mscdose.cli.app import app

if TYPE_CHECKING:
    from mscdose.table.load import Table

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
    """Check a table: exit 0 when valid, else exit 2 with one 'PATH:LINE: message' per problem.

    A valid table may still get warnings on stderr: a row 100-fold or more from every other
    row of its route and basis (a slipped power of ten?)."""
    import sys
    from pathlib import Path

    # imported on first use, to keep start-up fast
    from mscdose.errors import TableError
    from mscdose.table.load import load_table

    try:
        table = load_table(Path(path))
    except TableError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise typer.Exit(2) from None
    for line in _outlier_warnings(table, path):
        print(line, file=sys.stderr)
    rows = len(table.rows)
    print(
        f"{path}: valid (table {table.version}, {rows} {'row' if rows == 1 else 'rows'}, "
        f"sha256 {table.sha256[:12]})"
    )


def _outlier_warnings(table: Table, path: str) -> list[str]:
    # imported on first use, to keep start-up fast
    from mscdose.table.outliers import outliers
    from mscdose.text.display import format_dose, format_quantity

    found = outliers(table)
    if not found:
        return []
    first_line: dict[str, int] = {}  # each row's line, found in one pass over the file
    for i, t in enumerate(table.path.read_text(encoding="utf-8").splitlines(), 1):
        t = t.strip()
        if t.startswith(("- id: ", "id: ")):
            first_line.setdefault(t.split("id: ", 1)[1].strip(), i)
    lines = []
    for o in found:
        line = first_line.get(o.row.id, 1)
        d, p = o.row.dose, o.nearest.dose
        lines.append(
            f"{path}:{line}: warning: {o.row.id}: {format_dose(d.low, d.high, d.basis, d.cells)} "
            f"is {format_quantity(o.fold)}× {o.side} every other {o.row.route} row on its basis "
            f"(nearest: {o.nearest.id}, {format_dose(p.low, p.high, p.basis, p.cells)}); "
            "check the power of ten (a real outlier deserves a note saying so)"
        )
    return lines
