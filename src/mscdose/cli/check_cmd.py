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
    Json,
    PopulationOpt,
    Rate,
    Table,
    TableOnly,
    Ucum,
    Viability,
    Weight,
    Words,
)


@app.command()
def check(
    dose: Annotated[
        str, typer.Argument(help="The proposed dose per administration: '2x10^6 cells/kg'.")
    ],
    route: Annotated[
        str, typer.Option("--route", "-r", help="Route: intravenous, IV, intrathecal, 鞘内 …")
    ],
    indication: Annotated[
        str | None,
        typer.Option("--indication", "-i", help="Indication: gvhd, 'liver failure', BPD …"),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Cell source: bone_marrow, UC, adipose …")
    ] = None,
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
    schedule: Annotated[
        str | None,
        typer.Option("--schedule", help="Schedule: 'weekly x4', 'twice weekly for 4 weeks' …"),
    ] = None,
    viability: Viability = None,
    volume: Annotated[
        str | None,
        typer.Option("--volume", help="Volume of the product given: '10 mL' (mL/kg, DMSO)."),
    ] = None,
    dmso: Annotated[
        str | None, typer.Option("--dmso", help="DMSO share of the product's volume: 10%.")
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
    from mscdose.cli.options import dose_from_options, patient_from_options
    from mscdose.cli.output import emit_json, use_ascii
    from mscdose.dose.body import read_sex
    from mscdose.table.overlay import load_with_local
    from mscdose.text.display import use_words
    from mscdose.text.units import parse_age, parse_fraction, parse_rate, parse_volume
    from mscdose.text.vocab import resolve_indication, resolve_route, resolve_source

    use_words(words)

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
    loaded = load_with_local(table, only=table_only)
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
        ascii=use_ascii(ascii),
    )
    if assumed is not None:
        report = with_assumption(report, assumed)
    if json:
        emit_json(report)
    else:
        # imported on first use, to keep start-up fast
        from mscdose.cli.render_check import render_check

        render_check(report, explain=explain, ascii=use_ascii(ascii), show_all=show_all)
    within = report.verdict == "within" and report.schedule_verdict != "outside"
    raise typer.Exit(0 if within else 1)
