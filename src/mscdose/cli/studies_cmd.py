"""``mscdose studies`` and ``mscdose show ID``: the rows of the reference table, with citations."""

from __future__ import annotations

from typing import Annotated

import typer

from mscdose.cli.app import app
from mscdose.cli.options import (
    Ascii,
    Indication,
    Json,
    Route,
    Source,
    Table,
    TableOnly,
    complete_population,
)

Population = Annotated[
    str | None,
    typer.Option(
        "--population",
        help="adult, pediatric, neonate, preterm, mixed.",
        autocompletion=complete_population,
    ),
]


@app.command(
    short_help="List the reported regimens, each with its citation.",
    epilog="""Examples:

\b
  mscdose studies --indication "liver failure"
  mscdose studies -r intrathecal --evidence rct,trial
  mscdose studies --search Ryoncil --json""",
)
def studies(
    route: Route = None,
    indication: Indication = None,
    source: Source = None,
    population: Population = None,
    evidence: Annotated[
        str | None,
        typer.Option(
            "--evidence",
            help="label, rct, trial, case_series, case_report, review (several: comma-separated).",
        ),
    ] = None,
    confidence: Annotated[
        str | None,
        typer.Option(
            "--confidence", help="confirmed, probable, unconfirmed (comma-separated for several)."
        ),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", help="Words to find in ids, names, citations and notes."),
    ] = None,
    table: Table = None,
    table_only: TableOnly = False,
    json: Json = False,
    ascii: Ascii = False,
) -> None:
    """List the reported regimens (every row, whatever its confidence), each with its citation."""
    # imported on first use, to keep start-up fast
    from mscdose.cli.options import load
    from mscdose.cli.output import emit_json, use_ascii
    from mscdose.documents import studies_report

    loaded = load(table, only=table_only)
    rows = loaded.find(
        route=route,
        indication=indication,
        source=source,
        population=population,
        evidence=evidence,
        confidence=confidence,
        search=search,
    )
    report = studies_report(loaded, rows)
    if json:
        emit_json(report)
        # imported on first use, to keep start-up fast
        return
    from mscdose.cli.render_studies import render_studies

    render_studies(report, ascii=use_ascii(ascii))


@app.command(
    short_help="Every detail of one row of the reference table.",
    epilog="""Examples:

\b
  mscdose show ryoncil-label-sr-agvhd-pediatric
  mscdose show le-blanc-2008-sr-agvhd --json""",
)
def show(
    study_id: Annotated[
        str, typer.Argument(metavar="ID", help="A study id (see 'mscdose studies').")
    ],
    table: Table = None,
    table_only: TableOnly = False,
    json: Json = False,
    ascii: Ascii = False,
) -> None:
    """Every detail of one row of the reference table."""
    # imported on first use, to keep start-up fast
    from mscdose.cli.options import load
    from mscdose.cli.output import emit_json, use_ascii
    from mscdose.documents import ShowReport, study_item, table_info

    loaded = load(table, only=table_only)
    report = ShowReport(table=table_info(loaded), study=study_item(loaded.get(study_id)))
    if json:
        emit_json(report)
        # imported on first use, to keep start-up fast
        return
    from mscdose.cli.render_studies import render_study

    render_study(report.study, ascii=use_ascii(ascii))
