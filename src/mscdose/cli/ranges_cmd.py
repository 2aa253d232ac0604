"""``mscdose ranges``: the reported dose range per indication × route, with a log-scale chart."""

from __future__ import annotations

from typing import Annotated

import typer

from mscdose.cli.app import app
from mscdose.cli.options import Ascii, Indication, Json, Route, Source, Table, TableOnly
from mscdose.cli.studies_cmd import Population


@app.command(
    short_help="Reported doses per indication × route × basis, as a log-scale chart.",
    epilog="""Examples:

\b
  mscdose ranges --indication gvhd
  mscdose ranges -r intrathecal --json
  mscdose ranges --figure ranges.svg""",
)
def ranges(
    route: Route = None,
    indication: Indication = None,
    source: Source = None,
    population: Population = None,
    include_unconfirmed: Annotated[
        bool, typer.Option("--include-unconfirmed", help="Let unconfirmed rows widen the ranges.")
    ] = False,
    figure: Annotated[
        str | None,
        typer.Option(
            "--figure",
            metavar="FILE",
            help="Also draw the chart into FILE.svg, .png or .pdf (needs mscdose[figures]).",
        ),
    ] = None,
    table: Table = None,
    table_only: TableOnly = False,
    json: Json = False,
    ascii: Ascii = False,
) -> None:
    """Reported doses per indication × route × basis (per kg and per patient apart), as a chart."""
    # imported on first use, to keep start-up fast
    from mscdose.cli.options import load
    from mscdose.cli.output import emit_json, use_ascii
    from mscdose.documents import ranges_report

    if figure is not None:
        # imported on first use, to keep start-up fast
        from mscdose.cli.figures import figure_format

        figure_format(figure)
    loaded = load(table, only=table_only)
    rows = loaded.find(route=route, indication=indication, source=source, population=population)
    report = ranges_report(loaded, rows, include_unconfirmed=include_unconfirmed)
    if figure is not None:
        # imported on first use, to keep start-up fast
        from mscdose.cli.figures import ranges_panels, write_figure

        write_figure(ranges_panels(report, loaded), figure)
    if json:
        emit_json(report)
        # imported on first use, to keep start-up fast
        return
    from mscdose.cli.render_table import render_ranges

    excluded = 0 if include_unconfirmed else sum(r.confidence == "unconfirmed" for r in rows)
    render_ranges(report, ascii=use_ascii(ascii), excluded=excluded)
