"""``mscdose convert``: one dose on every basis the patient's data allows."""

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
    Ucum,
    Viability,
    VialOpt,
    VialVolume,
    Weight,
    Words,
)


@app.command(
    short_help="Convert a dose per kg, per patient, per m², viable; vials and infusion time.",
    epilog="""Examples:

\b
  mscdose convert "1x10^7/kg" --weight "793 g"
  mscdose convert 2e6/kg --weight 70 --height 170cm --viability 85%
  mscdose convert 2e6/kg -w 20 --vial "6.68e6 cells/mL" --vial-volume 3.8mL""",
)
def convert(
    dose: Annotated[
        str,
        typer.Argument(
            metavar="DOSE",
            help="A dose: '2x10^6 cells/kg', '1e8', '100 million cells', '8.6亿'.",
        ),
    ],
    weight: Weight = None,
    height: Height = None,
    bsa: Bsa = None,
    age: Age = None,
    population: PopulationOpt = None,
    viability: Viability = None,
    volume: Annotated[
        str | None, typer.Option("--volume", help="Volume for a concentration dose: '2 mL'.")
    ] = None,
    area: Annotated[
        str | None,
        typer.Option("--area", help="Lesion or defect area for a per-cm² dose: '4 cm2'."),
    ] = None,
    dmso: Annotated[
        str | None,
        typer.Option("--dmso", help="DMSO share of the product's volume (with --volume): 10%."),
    ] = None,
    vial: VialOpt = None,
    vial_volume: VialVolume = None,
    rate: Rate = None,
    assume: Assume = False,
    ucum: Ucum = False,
    json: Json = False,
    ascii: Ascii = False,
    words: Words = False,
) -> None:
    """Convert a dose per kg ⇄ per patient ⇄ per m², total ⇄ viable, concentration × volume;
    count the vials or bags to open and the infusion time."""
    # imported on first use, to keep start-up fast
    from mscdose.cli.options import dose_from_options, patient_from_options, vial_from_options
    from mscdose.cli.output import emit_json, use_ascii
    from mscdose.dose.conversion import convert as convert_dose
    from mscdose.text.display import use_words
    from mscdose.text.units import parse_area, parse_fraction, parse_rate, parse_volume

    use_words(words)

    parsed, assumed = dose_from_options(dose, assume=assume, ucum=ucum)
    patient = patient_from_options(weight, height, bsa, age, population)
    result = convert_dose(
        parsed,
        patient,
        viability=parse_fraction(viability) if viability is not None else None,
        volume_ml=parse_volume(volume) if volume is not None else None,
        area_cm2=parse_area(area) if area is not None else None,
        dmso=parse_fraction(dmso, "DMSO share") if dmso is not None else None,
        vial=vial_from_options(vial, vial_volume),
        rate_ml_per_min=parse_rate(rate) if rate is not None else None,
        text=dose,
        ascii=use_ascii(ascii),
    )
    if assumed is not None:
        result = result.model_copy(update={"assumed": assumed, "steps": [assumed, *result.steps]})
    if json:
        emit_json(result)
        # imported on first use, to keep start-up fast
        return
    from mscdose.cli.render import render_conversion

    render_conversion(result, ascii=use_ascii(ascii))
