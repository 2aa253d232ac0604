"""``mscdose table validate PATH``: check a regimens.yaml; each problem as ``PATH:LINE: msg``,
and each row that stands 100-fold apart from its peers as ``PATH:LINE: warning: …``.
``mscdose table cite``: how to cite the table's version in a paper."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mscdose.cli.app import app
from mscdose.cli.options import Json, TableOrStdin

if TYPE_CHECKING:
    from mscdose.table.load import Table

table_app = typer.Typer(
    name="table",
    help="Work with the reference table (regimens.yaml): validate a table, cite its version.",
    short_help="Validate a reference table, or cite its version.",
    epilog="""Examples:

\b
  mscdose table validate my-regimens.yaml
  mscdose table cite""",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(table_app, name="table")


@table_app.command(
    short_help="Check a regimens.yaml: each problem as PATH:LINE: message.",
    epilog="""Examples:

\b
  mscdose table validate my-regimens.yaml
  cat my-regimens.yaml | mscdose table validate -""",
)
def validate(
    path: Annotated[
        str, typer.Argument(help="The regimens.yaml to check ('-' reads stdin).", metavar="PATH")
    ],
) -> None:
    """Check a table: exit 0 when valid, else exit 2 with one 'PATH:LINE: message' per problem.

    A valid table may still get warnings on stderr: a row 100-fold or more from every other
    row of its route and basis (a slipped power of ten?)."""
    import sys
    from pathlib import Path

    # imported on first use, to keep start-up fast
    from mscdose.cli.options import load
    from mscdose.errors import TableError

    try:
        table = load("-") if path == "-" else load(str(Path(path)))
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
    from mscdose.table.lint import outliers
    from mscdose.text.display import format_dose, format_quantity

    found = outliers(table)
    if not found:
        return []
    text = table.path.read_text(encoding="utf-8").splitlines()
    lines = []
    for o in found:
        line = next(
            (
                i
                for i, t in enumerate(text, 1)
                if t.strip() in (f"- id: {o.row.id}", f"id: {o.row.id}")
            ),
            1,
        )
        d, p = o.row.dose, o.nearest.dose
        lines.append(
            f"{path}:{line}: warning: {o.row.id}: {format_dose(d.low, d.high, d.basis, d.cells)} "
            f"is {format_quantity(o.fold)}× {o.side} every other {o.row.route} row on its basis "
            f"(nearest: {o.nearest.id}, {format_dose(p.low, p.high, p.basis, p.cells)}); "
            "check the power of ten (a real outlier deserves a note saying so)"
        )
    return lines


@table_app.command(
    short_help="How to cite the reference table's version in a paper.",
    epilog="""Examples:

\b
  mscdose table cite
  mscdose table cite --bibtex >> references.bib
  mscdose table cite --table my-regimens.yaml --json""",
)
def cite(
    bibtex: Annotated[bool, typer.Option("--bibtex", help="Print a BibTeX entry.")] = False,
    json: Json = False,
    table: TableOrStdin = None,
) -> None:
    """How to cite the reference table in a paper: its version, date and sha256, with the
    mscdose version that carries it (cite the tool itself from CITATION.cff)."""
    # imported on first use, to keep start-up fast
    from mscdose.cli.options import load
    from mscdose.cli.output import emit_json
    from mscdose.documents import table_citation

    citation = table_citation(load(table))
    if json:
        emit_json(citation)
    elif bibtex:
        print(citation.bibtex)
    else:
        print(citation.text)
