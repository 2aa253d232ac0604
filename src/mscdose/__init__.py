"""mscdose: dose and regimen calculator for mesenchymal stromal cell (MSC) therapy.

A reference and teaching tool, not a prescribing device.

>>> from mscdose import parse_dose, convert
>>> convert(parse_dose("2x10^6 cells/kg"), weight_kg=70).per_patient.high
140000000.0
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from mscdose._version import __version__
from mscdose.errors import ExitCode, MscdoseError

__all__ = [
    "ExitCode",
    "MscdoseError",
    "__version__",
    "batch",
    "check",
    "convert",
    "extract",
    "load_table",
    "parse_dose",
    "regimen",
]

if TYPE_CHECKING:
    import datetime as dt

    from mscdose.checking.report import CheckReport
    from mscdose.documents import BatchRow
    from mscdose.extraction.model import Extraction
    from mscdose.models import Conversion, Dose
    from mscdose.schedule.regimen import RegimenPlan
    from mscdose.table.index import Table

# Every argument is read by mscdose.dose.arguments with the options' rules: a number in the
# unit the keyword names, a text with its unit ("70 kg") or a pint Quantity; anything else
# raises MscdoseError (issue 16.4).
Quantity = Any  # float | str | pint.Quantity: pint is not imported to say so


def parse_dose(text: str) -> Dose:
    """Read a dose expression strictly (see :mod:`mscdose.text.grammar`).

    >>> parse_dose("2x10^6 cells/kg").high
    2000000.0
    """
    # imported on first use, to keep start-up fast
    from mscdose.dose import arguments

    return arguments.dose(text)


def convert(
    dose: Dose | str,
    *,
    weight_kg: Quantity = None,
    height_cm: Quantity = None,
    bsa_m2: Quantity = None,
    viability: float | str | None = None,
    volume_ml: Quantity = None,
    area_cm2: Quantity = None,
    vial: Dose | str | None = None,
    vial_volume_ml: Quantity = None,
    rate_ml_per_min: Quantity = None,
) -> Conversion:
    """A dose on every basis the patient's data allows, with the arithmetic in ``steps``;
    with ``vial`` (what one vial or bag holds), the vials to open and what is left over.
    Quantities may be numbers in the keyword's unit, texts with a unit or pint Quantities;
    ``viability`` is a fraction (0.85) or a text ('85%').

    >>> convert("2x10^6 cells/kg", weight_kg=20, vial="6.68e6 cells/mL",
    ...         vial_volume_ml=3.8).vials.count.high   # Ryoncil's vial, a 20 kg child
    2
    >>> convert("1e7/kg", weight_kg="793 g").per_patient.high
    7930000.0
    """
    # imported on first use, to keep start-up fast
    from mscdose.dose import arguments as a
    from mscdose.dose.conversion import convert as _convert
    from mscdose.dose.conversion import make_patient
    from mscdose.dose.vials import vial_contents

    parsed = a.dose(dose)
    patient = make_patient(
        weight_kg=a.optional(a.weight, weight_kg),
        height_cm=a.optional(a.height, height_cm),
        bsa_m2=a.optional(a.bsa, bsa_m2),
    )
    contents = None
    if vial is not None:
        contents = vial_contents(a.dose(vial, "vial"), a.optional(a.volume, vial_volume_ml))
    elif vial_volume_ml is not None:
        a.volume(vial_volume_ml)
    return _convert(
        parsed,
        patient,
        viability=a.optional(a.fraction, viability),
        volume_ml=a.optional(a.volume, volume_ml),
        area_cm2=a.optional(a.area, area_cm2),
        vial=contents,
        rate_ml_per_min=a.optional(a.rate, rate_ml_per_min),
        text=dose if isinstance(dose, str) else None,
    )


def load_table(path: str | os.PathLike[str] | None = None) -> Table:
    """The validated reference table (``regimens.yaml``, or ``path``; ``"-"`` is not a
    file here: give a path).

    >>> load_table().get("ryoncil-label-sr-agvhd-pediatric").evidence
    'label'
    """
    # imported on first use, to keep start-up fast
    from mscdose.errors import InputError
    from mscdose.table.load import load_table as _load

    if path is not None and not isinstance(path, (str, os.PathLike)):
        raise InputError(f"a table path must be a text or a path, not {type(path).__name__}")
    try:
        return _load(path)
    except (OSError, ValueError, TypeError) as exc:  # a path the file system cannot take
        raise InputError(f"cannot read the table {str(path)[:80]!r}: {exc}") from None


def _table(table: object) -> Table:
    """A loaded table, a path to one, or the bundled one for None."""
    # imported on first use, to keep start-up fast
    from mscdose.table.index import Table

    if isinstance(table, Table):
        return table
    return load_table(table)  # type: ignore[arg-type]  # refused there unless a path


def extract(text: str) -> Extraction:
    """Every dose in free text, damaged notation flagged (see :mod:`mscdose.extraction.scan`).

    >>> [d.ambiguous for d in extract("2 × 106/kg").doses]
    [True]
    """
    # imported on first use, to keep start-up fast
    from mscdose.dose import arguments
    from mscdose.extraction.scan import extract as _extract

    return _extract(arguments.text(text, "text"))


def regimen(
    dose: Dose | str | list[str],
    schedule: str | None = None,
    *,
    weight_kg: Quantity = None,
    height_cm: Quantity = None,
    bsa_m2: Quantity = None,
    start: dt.date | str | None = None,
    route: str | None = None,
    vial: Dose | str | None = None,
    vial_volume_ml: Quantity = None,
) -> RegimenPlan:
    """A course, as ``mscdose regimen`` plans it: each administration's day, date, cells and
    cumulative cells. ``dose`` may change along the course (``"2e6/kg then 6e6/kg at day
    21"``, or a list of texts, one per administration).

    >>> plan = regimen("2e6/kg", "twice weekly for 4 weeks", weight_kg=20, start="2026-12-01")
    >>> len(plan.administrations), plan.total_cells.high
    (8, 320000000.0)
    """
    # imported on first use, to keep start-up fast
    import datetime as dt

    # imported on first use, to keep start-up fast
    from mscdose.dose import arguments as a
    from mscdose.dose.conversion import make_patient
    from mscdose.dose.vials import vial_contents
    from mscdose.errors import InputError
    from mscdose.schedule.regimen import plan_regimen
    from mscdose.text.display import format_dose
    from mscdose.text.vocab import resolve_route

    if isinstance(dose, list):
        texts = [a.text(d, "dose") for d in dose]
    elif isinstance(dose, str):
        texts = [dose]
    else:
        d = a.dose(dose)
        texts = [format_dose(d.low, d.high, d.basis, d.cells, ascii=True)]
    if start is not None and not isinstance(start, (str, dt.date)):
        raise InputError(f"start must be a date or 'YYYY-MM-DD', not {type(start).__name__}")
    patient = make_patient(
        weight_kg=a.optional(a.weight, weight_kg),
        height_cm=a.optional(a.height, height_cm),
        bsa_m2=a.optional(a.bsa, bsa_m2),
    )
    contents = None
    if vial is not None:
        contents = vial_contents(a.dose(vial, "vial"), a.optional(a.volume, vial_volume_ml))
    return plan_regimen(
        texts,
        None if schedule is None else a.text(schedule, "schedule"),
        patient,
        start,
        route=None if route is None else resolve_route(a.text(route, "route")),
        vial=contents,
    )


def check(
    dose: Dose | str,
    route: str,
    *,
    indication: str | None = None,
    source: str | None = None,
    weight_kg: Quantity = None,
    height_cm: Quantity = None,
    bsa_m2: Quantity = None,
    age_years: Quantity = None,
    population: str | None = None,
    viability: float | str | None = None,
    margin: float | str = 0.0,
    include_unconfirmed: bool = False,
    table: Table | str | os.PathLike[str] | None = None,
    volume_ml: Quantity = None,
    dmso: float | str | None = None,
    rate_ml_per_min: Quantity = None,
    donor_age: Quantity = None,
    schedule: str | None = None,
    sex: str | None = None,
    area_cm2: Quantity = None,
) -> CheckReport:
    """A proposed dose against the reference table, as ``mscdose check`` does.

    Names may be any alias (``"IV"``, ``"鞘内"``, ``"GVHD"``); ``schedule`` is read as
    ``--schedule`` is (``"weekly x4"``); ``table`` defaults to the bundled one. Shares
    (``viability``, ``dmso``, ``margin``) are fractions (0.85) or texts ('85%').

    >>> check("2x10^6 cells/kg", "IV", indication="GVHD", weight_kg=70).verdict
    'within'
    """
    # imported on first use, to keep start-up fast
    from mscdose.checking.run import check as _check
    from mscdose.dose import arguments as a
    from mscdose.dose.body import read_sex as _read_sex
    from mscdose.dose.conversion import make_patient
    from mscdose.text.vocab import (
        resolve_indication,
        resolve_population,
        resolve_route,
        resolve_source,
    )

    parsed = a.dose(dose)
    route_name = resolve_route(a.text(route, "route"))
    names = (
        None if indication is None else resolve_indication(a.text(indication, "indication")),
        None if source is None else resolve_source(a.text(source, "source")),
        None if population is None else resolve_population(a.text(population, "population")),
    )
    patient = make_patient(
        weight_kg=a.optional(a.weight, weight_kg),
        height_cm=a.optional(a.height, height_cm),
        bsa_m2=a.optional(a.bsa, bsa_m2),
        age_years=a.optional(a.age, age_years),
        population=names[2],
    )
    plan = None
    if schedule is not None:
        # imported on first use, to keep start-up fast
        from mscdose.schedule.grammar import parse_schedule

        plan = parse_schedule(a.text(schedule, "schedule"))
    return _check(
        parsed,
        route_name,
        _table(table),
        indication=names[0],
        source=names[1],
        patient=patient,
        viability=a.optional(a.fraction, viability),
        margin=a.fraction(margin, "margin", zero=True),
        include_unconfirmed=a.flag(include_unconfirmed, "include_unconfirmed"),
        volume_ml=a.optional(a.volume, volume_ml),
        dmso=a.optional(lambda v: a.fraction(v, "DMSO share"), dmso),
        rate_ml_per_min=a.optional(a.rate, rate_ml_per_min),
        donor_age=a.optional(a.age, donor_age),
        schedule=plan,
        sex=_read_sex(a.text(sex, "sex")) if sex is not None else None,
        area_cm2=a.optional(a.area, area_cm2),
    )


def batch(
    rows: Iterable[Mapping[str, object] | object],
    *,
    table: Table | str | os.PathLike[str] | None = None,
    include_unconfirmed: bool = False,
) -> Iterator[BatchRow]:
    """Check many rows, as ``mscdose batch`` does: one result per row, in order, a bad row
    included (``ok`` False, with its ``error``). A row is a mapping of the batch columns
    (``dose``, ``route``, ``indication``, ``weight`` …) or a record with those fields (a
    dataclass, a named tuple such as pandas' ``itertuples()``, a pydantic model); values
    may be numbers (``70``) or texts (``"70 kg"``); None and NaN are left out.

    >>> rows = [{"dose": "2e6/kg", "route": "iv", "indication": "gvhd", "weight": 70},
    ...         {"dose": "2X107", "route": "iv"}]
    >>> [(r.row, r.ok, r.verdict) for r in batch(rows)]
    [(1, True, 'within'), (2, False, None)]
    """
    # imported on first use, to keep start-up fast
    from mscdose.dose import arguments as a
    from mscdose.errors import InputError

    if isinstance(rows, (str, bytes)) or not isinstance(rows, Iterable):
        raise InputError(
            f"batch takes an iterable of rows (dicts or records), not {type(rows).__name__}"
        )
    return _batch(rows, _table(table), a.flag(include_unconfirmed, "include_unconfirmed"))


def _batch(rows: Iterable[object], loaded: Table, unconfirmed: bool) -> Iterator[BatchRow]:
    """The rows' results, one at a time (a bad row is a result too)."""
    # imported on first use, to keep start-up fast
    from mscdose.batching.run import check_row, given_fields
    from mscdose.documents import BatchRow

    plans: dict[tuple[object, ...], Any] = {}
    for n, record in enumerate(rows, 1):
        try:
            result = check_row(
                given_fields(_fields(record)),
                loaded,
                row=n,
                include_unconfirmed=unconfirmed,
                plans=plans,
            )
        except MscdoseError as exc:
            result = {"row": n, "ok": False, "error": str(exc)}
        yield BatchRow.model_validate(result)


def _fields(record: object) -> dict[str, object]:
    """A row's fields by name, None and NaN (pandas' missing value) left out."""
    # imported on first use, to keep start-up fast
    import dataclasses
    import math

    # imported on first use, to keep start-up fast
    from mscdose.errors import InputError

    if isinstance(record, Mapping):
        items = dict(record)
    elif hasattr(record, "_asdict"):  # a named tuple
        items = record._asdict()
    elif dataclasses.is_dataclass(record) and not isinstance(record, type):
        items = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    elif hasattr(record, "model_dump"):  # a pydantic model
        items = record.model_dump()
    else:
        raise InputError(
            f"a row must be a mapping or a record with fields, not {type(record).__name__}"
        )
    return {
        str(k): v
        for k, v in items.items()
        if v is not None and not (isinstance(v, float) and math.isnan(v))
    }
