"""``mscdose table validate PATH``: check a regimens.yaml; each problem as ``PATH:LINE: msg``,
and each row that stands 100-fold apart from its peers as ``PATH:LINE: warning: …``.
``mscdose table cite``: how to cite the table's version in a paper."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from mscdose.cli.app import app
from mscdose.cli.options import Json
from mscdose.cli.options import Table as TableOption

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
        table = load("-", only=True) if path == "-" else load(str(Path(path)), only=True)
    except TableError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        raise typer.Exit(2) from None
    lines = _row_lines(table)
    for line in _outlier_warnings(table, path, lines) + _quote_warnings(table, path, lines):
        print(line, file=sys.stderr)
    rows = len(table.rows)
    print(
        f"{path}: valid (table {table.version}, {rows} {'row' if rows == 1 else 'rows'}, "
        f"sha256 {table.sha256[:12]})"
    )


def _row_lines(table: Table) -> dict[str, int]:
    """Each row's line in the table's file, found in one pass (none for stdin)."""
    lines: dict[str, int] = {}
    source = table.path.read_text(encoding="utf-8") if table.path.is_file() else ""
    for number, text in enumerate(source.splitlines(), 1):
        stripped = text.strip()
        if stripped.startswith(("- id:", "id:")):
            lines.setdefault(stripped.split(":", 1)[1].strip(), number)
    return lines


def _quote_warnings(table: Table, path: str, lines: dict[str, int]) -> list[str]:
    """A warning for each row whose quote is missing or does not read as its dose."""
    # imported on first use, to keep start-up fast
    from mscdose.extraction.quotes import quote_problem

    found = ((row, quote_problem(row)) for row in table.rows)
    return [
        f"{path}:{lines.get(row.id, 1)}: warning: {row.id}: {problem}"
        for row, problem in found
        if problem is not None
    ]


def _outlier_warnings(table: Table, path: str, first_line: dict[str, int]) -> list[str]:
    # imported on first use, to keep start-up fast
    from mscdose.table.outliers import outliers
    from mscdose.text.display import format_dose, format_quantity

    found = outliers(table)
    if not found:
        return []
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


STARTER = """\
# A local table for mscdose: rows laid over the bundled reference table.
#   mscdose check 2e6/kg --route iv --indication gvhd --weight 70 --table THIS_FILE
# A row with a bundled row's id replaces it; every row of this file is marked local in every
# output. --table-only uses this file alone. Check it with: mscdose table validate THIS_FILE
# The format: docs/regimens-format.md. Names (indication, route, source) are those of
# 'mscdose indications' and 'mscdose routes'. Every dose needs the words it was read from.
table:
  version: "local-1"          # bump on every change
  date: "2026-12-02"
  description: "our clinic's protocols"
regimens:
  - id: clinic-protocol-gvhd  # lowercase letters, digits and hyphens; unique
    provenance: "clinic protocol"
    indication: gvhd_acute_steroid_refractory
    category: immune
    source: bone_marrow
    route: intravenous
    dose: "2x10^6/kg"         # mscdose's dose grammar: 2x10^6/kg, 1e8, 1-2x10^6/kg
    schedule:
      text: "twice weekly for 4 weeks"
      doses: 8
      interval_days: "3-4"
    population: mixed         # adult, pediatric, neonate, preterm or mixed
    evidence: label           # label, rct, trial, case_series, case_report or review
    confidence: confirmed     # confirmed, probable or unconfirmed (sets no bound)
    citation:
      authors: "Our clinic (protocol GVHD-01)"
      year: 2026
    quote: "2 x 10^6 MSC/kg twice weekly for 4 weeks"   # the dose as the source writes it
    seen_in:
      id: "protocol GVHD-01, version 3"
      kind: label             # primary, registry, label or review
"""


@table_app.command(
    short_help="Write a commented starter table for local rows.",
    epilog="""Examples:

\b
  mscdose table init clinic.yaml
  mscdose table init clinic.yaml --force""",
)
def init(
    path: Annotated[str, typer.Argument(help="The file to write.", metavar="FILE")],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter table for local rows (use it with --table FILE)."""
    from pathlib import Path

    # imported on first use, to keep start-up fast
    from mscdose.errors import InputError

    target = Path(path)
    if not path.strip() or target.is_dir():
        raise InputError(f"'{path}' is not a file name", hint="e.g. mscdose table init local.yaml")
    if target.exists() and not force:
        raise typer.BadParameter(f"{path} exists; give --force to overwrite it", param_hint="FILE")
    try:
        target.write_text(STARTER, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write '{path}': {exc.strerror or exc}") from None
    print(f"{path}: a starter table; check it with 'mscdose table validate {path}'")


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
    table: TableOption = None,
) -> None:
    """How to cite the reference table in a paper: its version, date and sha256, with the
    mscdose version that carries it (cite the tool itself from CITATION.cff)."""
    # imported on first use, to keep start-up fast
    from mscdose.cli.options import load
    from mscdose.cli.output import emit_json
    from mscdose.documents import table_citation

    citation = table_citation(load(table, only=True))
    if json:
        emit_json(citation)
    elif bibtex:
        print(citation.bibtex)
    else:
        print(citation.text)
