"""``mscdose check``: a proposed dose and regimen against what was reported."""

from __future__ import annotations

from typing import Annotated

import typer

from mscdose.cli.app import app
from mscdose.cli.options import (
    Age,
    Ascii,
    Assume,
    Bsa,
    Height,
    Indication,
    Json,
    PopulationOpt,
    Rate,
    RouteRequired,
    Schedule,
    Source,
    Table,
    TableOnly,
    Ucum,
    Viability,
    Weight,
    Words,
)


@app.command(
    short_help="Place a proposed dose among the reported doses: within, below, above, no data.",
    epilog="""Examples:

\b
  mscdose check "2x10^6 cells/kg" --route iv --indication gvhd --weight 70
  mscdose check 1e8 -r intrathecal -i "cerebral palsy" --age 6y --schedule "weekly x4"
  mscdose check 2e6/kg -r iv -i gvhd -w 70 --figure gvhd.svg --report gvhd.html""",
)
def check(
    dose: Annotated[
        str,
        typer.Argument(
            metavar="DOSE", help="The proposed dose per administration: '2x10^6 cells/kg'."
        ),
    ],
    route: RouteRequired,
    indication: Indication = None,
    source: Source = None,
    weight: Weight = None,
    height: Height = None,
    bsa: Bsa = None,
    age: Age = None,
    population: PopulationOpt = None,
    sex: Annotated[
        str | None,
        typer.Option(
            "--sex", help="male or female: predicted body weight (ARDS rows) with --height."
        ),
    ] = None,
    schedule: Schedule = None,
    viability: Viability = None,
    volume: Annotated[
        str | None,
        typer.Option("--volume", help="Volume of the product given: '10 mL' (mL/kg, DMSO)."),
    ] = None,
    dmso: Annotated[
        str | None, typer.Option("--dmso", help="DMSO share of the product's volume: 10%.")
    ] = None,
    area: Annotated[
        str | None,
        typer.Option("--area", help="Lesion or defect area, for per-cm² rows: '4 cm2'."),
    ] = None,
    rate: Rate = None,
    donor_age: Annotated[
        str | None, typer.Option("--donor-age", help="Donor age for autologous marrow or fat: 52y.")
    ] = None,
    margin: Annotated[
        str | None, typer.Option("--margin", help="Widen the reported range for the verdict: 20%.")
    ] = None,
    include_unconfirmed: Annotated[
        bool, typer.Option("--include-unconfirmed", help="Let unconfirmed rows set bounds.")
    ] = False,
    explain: Annotated[bool, typer.Option("--explain", help="Print each arithmetic step.")] = False,
    show_all: Annotated[
        bool, typer.Option("--all", help="Show the info notes too (folded into one line).")
    ] = False,
    figure: Annotated[
        str | None,
        typer.Option(
            "--figure",
            metavar="FILE",
            help="Also draw the range chart into FILE.svg, .png or .pdf (needs mscdose[figures]).",
        ),
    ] = None,
    report_file: Annotated[
        str | None,
        typer.Option(
            "--report",
            metavar="FILE",
            help="Also write a shareable report: FILE.html (self-contained) or FILE.md (needs mscdose[report]).",
        ),
    ] = None,
    table: Table = None,
    table_only: TableOnly = False,
    assume: Assume = False,
    ucum: Ucum = False,
    json: Json = False,
    ascii: Ascii = False,
    words: Words = False,
) -> None:
    """Place a proposed dose among the reported regimens: within, below, above or no data.

    Exit 0 when within the reported range, 1 when outside it or when there is no data.
    """
    # imported on first use, to keep start-up fast
    from mscdose.checking.run import check as run_check
    from mscdose.checking.run import with_assumption
    from mscdose.cli.options import dose_from_options, load, patient_from_options
    from mscdose.cli.output import emit_json, use_ascii
    from mscdose.dose.body import read_sex
    from mscdose.text.display import use_words
    from mscdose.text.units import parse_age, parse_area, parse_fraction, parse_rate, parse_volume
    from mscdose.text.vocab import resolve_indication, resolve_route, resolve_source

    use_words(words)
    if figure is not None:
        # imported on first use, to keep start-up fast
        from mscdose.cli.figures import figure_format

        figure_format(figure)  # a name without a format is refused before any work
    if report_file is not None:
        # imported on first use, to keep start-up fast
        from mscdose.cli.report import report_format

        report_format(report_file)

    loaded = load(table, only=table_only)  # first: a local table may define its own terms
    parsed, assumed = dose_from_options(dose, assume=assume, ucum=ucum)
    names = (
        resolve_route(route),
        resolve_indication(indication) if indication else None,
        resolve_source(source) if source else None,
    )
    patient = patient_from_options(weight, height, bsa, age, population)
    plan = None
    if schedule is not None:
        # imported on first use, to keep start-up fast
        from mscdose.schedule.grammar import parse_schedule

        plan = parse_schedule(schedule)
    report = run_check(
        parsed,
        names[0],
        loaded,
        indication=names[1],
        source=names[2],
        patient=patient,
        include_unconfirmed=include_unconfirmed,
        margin=parse_fraction(margin, "margin") if margin is not None else 0.0,
        viability=parse_fraction(viability) if viability is not None else None,
        volume_ml=parse_volume(volume) if volume is not None else None,
        dmso=parse_fraction(dmso, "DMSO share") if dmso is not None else None,
        rate_ml_per_min=parse_rate(rate) if rate is not None else None,
        donor_age=parse_age(donor_age) if donor_age is not None else None,
        schedule=plan,
        sex=read_sex(sex) if sex is not None else None,
        area_cm2=parse_area(area) if area is not None else None,
        ascii=use_ascii(ascii),
    )
    if assumed is not None:
        report = with_assumption(report, assumed)
    if figure is not None:
        # imported on first use, to keep start-up fast
        from mscdose.cli.figures import check_panel, write_figure

        write_figure([check_panel(report, loaded)], figure)
    if report_file is not None:
        # imported on first use, to keep start-up fast
        from mscdose.cli.report import write_report

        write_report(report, loaded, report_file, inputs=_inputs(locals()))
    if json:
        emit_json(report)
    else:
        # imported on first use, to keep start-up fast
        from mscdose.cli.render_check import render_check

        render_check(report, explain=explain, ascii=use_ascii(ascii), show_all=show_all)
    within = report.verdict == "within" and report.schedule_verdict != "outside"
    raise typer.Exit(0 if within else 1)


# the options a report lists as the inputs, in this order, as they were typed
_INPUTS = (
    "dose",
    "route",
    "indication",
    "source",
    "weight",
    "height",
    "bsa",
    "age",
    "population",
    "schedule",
    "viability",
    "volume",
    "dmso",
    "rate",
    "donor_age",
    "margin",
    "include_unconfirmed",
)


def _inputs(given: dict[str, object]) -> list[tuple[str, str]]:
    return [
        (name.replace("_", "-"), str(given[name]))
        for name in _INPUTS
        if given.get(name) not in (None, False)
    ]
