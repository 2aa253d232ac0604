"""mscdose: dose and regimen calculator for mesenchymal stromal cell (MSC) therapy.

A reference and teaching tool, not a prescribing device.

>>> from mscdose import parse_dose, convert
>>> convert(parse_dose("2x10^6 cells/kg"), weight_kg=70).per_patient.high
140000000.0
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mscdose.errors import ExitCode, MscdoseError

__version__ = "0.1.0"

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
    from mscdose.models import Conversion, Dose


def parse_dose(text: str) -> Dose:
    """Read a dose expression strictly (see :mod:`mscdose.expression`)."""
    from mscdose.expression import parse_dose as _parse

    return _parse(text)


def convert(dose: Dose | str, *, weight_kg: float | None = None, height_cm: float | None = None,
            bsa_m2: float | None = None, viability: float | None = None,
            volume_ml: float | None = None, area_cm2: float | None = None) -> Conversion:
    """A dose on every basis the patient's data allows, with the arithmetic in ``steps``."""
    from mscdose.conversion import convert as _convert
    from mscdose.conversion import make_patient

    text = dose if isinstance(dose, str) else None
    parsed = parse_dose(dose) if isinstance(dose, str) else dose
    patient = make_patient(weight_kg=weight_kg, height_cm=height_cm, bsa_m2=bsa_m2)
    return _convert(parsed, patient, viability=viability, volume_ml=volume_ml,
                    area_cm2=area_cm2, text=text)


def load_table(path: str | None = None) -> Any:
    """The validated reference table (``regimens.yaml``, or ``path``)."""
    from mscdose.table import load_table as _load

    return _load(path)


def extract(text: str) -> Any:
    """Every dose in free text, damaged notation flagged (see :mod:`mscdose.extract`)."""
    from mscdose.extract import extract as _extract

    return _extract(text)


def check(*args: Any, **kwargs: Any) -> Any:
    """A proposed dose and route against the reference table (see :mod:`mscdose.check`)."""
    from mscdose.check import check as _check

    return _check(*args, **kwargs)
