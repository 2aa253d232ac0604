"""``mscdose regimen``: a dose on a schedule → every administration, cumulative cells, dates."""

from __future__ import annotations

from typing import Annotated

import typer

from mscdose.cli.app import app
from mscdose.cli.options import (
    Age,
    Ascii,
    Bsa,
    Height,
    Json,
    PopulationOpt,
    Route,
    Schedule,
    VialOpt,
    VialVolume,
    Weight,
    Words,
)


@app.command(
    short_help="Plan a course: each administration's day, date, cells and cumulative cells.",
    epilog="""Examples:

\b
  mscdose regimen 2e6/kg --schedule "twice weekly for 4 weeks" --weight 20 --start 2026-12-01
  mscdose regimen "2x10^6 cells/kg then 6x10^6 cells/kg 3 weeks later" -w 70
  mscdose regimen 1e8 -s "every 4 weeks x3" --start 2026-12-01 --ics course.ics""",
)
def regimen(
    dose: Annotated[
        str | None,
        typer.Argument(
            metavar="DOSE",
            help="The dose per administration: '2x10^6 cells/kg'; doses that change: "
            "'2e6/kg then 6e6/kg at day 21'.",
        ),
    ] = None,
    schedule: Schedule = None,
    each: Annotated[
        list[str] | None,
        typer.Option(
            "--dose",
            help="One administration's dose, in order (repeat the option) instead of DOSE.",
        ),
    ] = None,
    weight: Weight = None,
    height: Height = None,
    bsa: Bsa = None,
    age: Age = None,
    population: PopulationOpt = None,
    vial: VialOpt = None,
    vial_volume: VialVolume = None,
    start: Annotated[
        str | None,
        typer.Option("--start", metavar="YYYY-MM-DD", help="Date of the first administration."),
    ] = None,
    route: Route = None,
    ics: Annotated[
        str | None,
        typer.Option(
            "--ics",
            metavar="FILE",
            help="Also write the administrations as an iCalendar file (needs --start; '-' for "
            "stdout).",
        ),
    ] = None,
    json: Json = False,
    ascii: Ascii = False,
    words: Words = False,
) -> None:
    """Plan a course: each administration's day, date, cells and cumulative cells.

    Days are counted from the first administration (day 0); an interval given as a range
    ('3-5 days apart') makes each later day a window.
    """
    # imported on first use, to keep start-up fast
    from mscdose.cli.options import patient_from_options, vial_from_options
    from mscdose.cli.output import emit_json, use_ascii
    from mscdose.errors import ScheduleError
    from mscdose.schedule.regimen import plan_regimen
    from mscdose.text.display import use_words

    use_words(words)

    if dose is not None and each:
        raise ScheduleError(
            "give the dose as DOSE or as --dose, not both",
            hint="e.g. --dose 2e6/kg --dose 6e6/kg --schedule 'days 0,21'",
        )
    texts = [dose] if dose is not None else list(each or [])
    if not texts:
        raise ScheduleError(
            "no dose given", hint="e.g. mscdose regimen 2e6/kg --schedule 'weekly x4'"
        )
    if ics is not None and start is None:
        raise ScheduleError(
            "--ics needs --start, the date of the first administration",
            hint="add --start YYYY-MM-DD",
        )
    if ics == "-" and json:
        raise ScheduleError(
            "--ics - and --json would both write to stdout",
            hint="write the calendar to a file: --ics course.ics",
        )
    route_name = None
    if route is not None:
        # imported on first use, to keep start-up fast
        from mscdose.text.vocab import resolve_route

        route_name = resolve_route(route)
    patient = patient_from_options(weight, height, bsa, age, population)
    result = plan_regimen(
        texts,
        schedule,
        patient,
        start,
        route=route_name,
        vial=vial_from_options(vial, vial_volume),
        ascii=use_ascii(ascii),
    )
    if ics is not None:
        # imported on first use, to keep start-up fast
        from mscdose.cli.render_regimen import write_ics

        write_ics(result, ics)
        if ics == "-":
            return
    if json:
        emit_json(result)
        # imported on first use, to keep start-up fast
        return
    from mscdose.cli.render_regimen import render_regimen

    render_regimen(result, ascii=use_ascii(ascii))
