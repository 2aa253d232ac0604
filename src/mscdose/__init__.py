"""mscdose: dose and regimen calculator for mesenchymal stromal cell (MSC) therapy.

A reference and teaching tool, not a prescribing device.

>>> from mscdose import parse_dose, convert
>>> convert(parse_dose("2x10^6 cells/kg"), weight_kg=70).per_patient.high
140000000.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mscdose._version import __version__
from mscdose.errors import ExitCode, MscdoseError

__all__ = [
    "ExitCode",
    "MscdoseError",
    "__version__",
    "check",
    "convert",
    "extract",
    "load_table",
    "parse_dose",
]

if TYPE_CHECKING:
    from mscdose.checking.report import CheckReport
    from mscdose.models import Conversion, Dose


def parse_dose(text: str) -> Dose:
    """Read a dose expression strictly (see :mod:`mscdose.text.grammar`)."""
    # imported on first use, to keep start-up fast
    from mscdose.text.grammar import parse_dose as _parse

    return _parse(text)


def convert(
    dose: Dose | str,
    *,
    weight_kg: float | None = None,
    height_cm: float | None = None,
    bsa_m2: float | None = None,
    viability: float | None = None,
    volume_ml: float | None = None,
    area_cm2: float | None = None,
    vial: Dose | str | None = None,
    vial_volume_ml: float | None = None,
    rate_ml_per_min: float | None = None,
) -> Conversion:
    """A dose on every basis the patient's data allows, with the arithmetic in ``steps``;
    with ``vial`` (what one vial or bag holds), the vials to open and what is left over.

    >>> convert("2x10^6 cells/kg", weight_kg=20, vial="6.68e6 cells/mL",
    ...         vial_volume_ml=3.8).vials.count.high   # Ryoncil's vial, a 20 kg child
    2
    """
    # imported on first use, to keep start-up fast
    from mscdose.dose.conversion import convert as _convert
    from mscdose.dose.conversion import make_patient
    from mscdose.dose.vials import vial_contents

    text = dose if isinstance(dose, str) else None
    parsed = parse_dose(dose) if isinstance(dose, str) else dose
    patient = make_patient(weight_kg=weight_kg, height_cm=height_cm, bsa_m2=bsa_m2)
    contents = None
    if vial is not None:
        contents = vial_contents(
            parse_dose(vial) if isinstance(vial, str) else vial, vial_volume_ml
        )
    return _convert(
        parsed,
        patient,
        viability=viability,
        volume_ml=volume_ml,
        area_cm2=area_cm2,
        vial=contents,
        rate_ml_per_min=rate_ml_per_min,
        text=text,
    )


def load_table(path: str | None = None) -> Any:
    """The validated reference table (``regimens.yaml``, or ``path``)."""
    # imported on first use, to keep start-up fast
    from mscdose.table.load import load_table as _load

    return _load(path)


def extract(text: str) -> Any:
    """Every dose in free text, damaged notation flagged (see :mod:`mscdose.extraction.scan`)."""
    # imported on first use, to keep start-up fast
    from mscdose.extraction.scan import extract as _extract

    return _extract(text)


def check(
    dose: Dose | str,
    route: str,
    *,
    indication: str | None = None,
    source: str | None = None,
    weight_kg: float | None = None,
    height_cm: float | None = None,
    bsa_m2: float | None = None,
    age_years: float | None = None,
    population: str | None = None,
    viability: float | None = None,
    margin: float = 0.0,
    include_unconfirmed: bool = False,
    table: Any = None,
    volume_ml: float | None = None,
    dmso: float | None = None,
    rate_ml_per_min: float | None = None,
    donor_age: float | None = None,
    schedule: str | None = None,
    sex: str | None = None,
) -> CheckReport:
    """A proposed dose against the reference table, as ``mscdose check`` does.

    Names may be any alias (``"IV"``, ``"鞘内"``, ``"GVHD"``); ``schedule`` is read as
    ``--schedule`` is (``"weekly x4"``); ``table`` defaults to the bundled one.

    >>> check("2x10^6 cells/kg", "IV", indication="GVHD", weight_kg=70).verdict
    'within'
    """
    # imported on first use, to keep start-up fast
    from mscdose.checking.run import check as _check
    from mscdose.dose.body import read_sex as _read_sex
    from mscdose.dose.conversion import make_patient
    from mscdose.text.vocab import (
        resolve_indication,
        resolve_population,
        resolve_route,
        resolve_source,
    )

    parsed = parse_dose(dose) if isinstance(dose, str) else dose
    patient = make_patient(
        weight_kg=weight_kg,
        height_cm=height_cm,
        bsa_m2=bsa_m2,
        age_years=age_years,
        population=resolve_population(population) if population else None,
    )
    plan = None
    if schedule is not None:
        # imported on first use, to keep start-up fast
        from mscdose.schedule.grammar import parse_schedule

        plan = parse_schedule(schedule)
    return _check(
        parsed,
        resolve_route(route),
        table if table is not None else load_table(),
        indication=resolve_indication(indication) if indication else None,
        source=resolve_source(source) if source else None,
        patient=patient,
        viability=viability,
        margin=margin,
        include_unconfirmed=include_unconfirmed,
        volume_ml=volume_ml,
        dmso=dmso,
        rate_ml_per_min=rate_ml_per_min,
        donor_age=donor_age,
        schedule=plan,
        sex=_read_sex(sex) if sex is not None else None,
    )
