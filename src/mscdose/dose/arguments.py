"""The Python API's arguments, held to the command line's rules (issue 16.4).

A function of :mod:`mscdose` takes what a script has at hand: a number in the unit its
keyword names (``weight_kg=70``), a text with its unit (``"793 g"``, as ``--weight``
takes it) or a pint Quantity. Each is read here into the float the core works in, with the
plausibility ranges, the "did you mean 793 g?" hints and the "85 means 85%?" refusals of
the options, and anything else (a list, ``True``, ``None`` where a value is needed) is an
:class:`~mscdose.errors.InputError`: bad input raises :class:`~mscdose.errors.MscdoseError`
and nothing else.

>>> weight(70), weight("793 g"), fraction(0.85), fraction("85%")
(70.0, 0.793, 0.85, 0.85)
>>> fraction(85)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
mscdose.errors.QuantityError: viability 85 is a fraction from 0 to 1; did you mean 85% ...
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

from mscdose.errors import InputError, QuantityError
from mscdose.models import Dose
from mscdose.text import units
from mscdose.text.grammar import MAX_CELLS, parse_dose

T = TypeVar("T")


def _kind(value: object) -> str:
    return type(value).__name__


def _is_quantity(value: object) -> bool:
    """A pint Quantity, of any registry (told by its shape: pint is not imported for this)."""
    return hasattr(value, "magnitude") and hasattr(value, "units") and hasattr(value, "to")


def _number_text(value: object, name: str) -> str:
    """A real number as the text the option would have been given; refused: bool, others."""
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, Decimal)):
        raise InputError(
            f"{name} must be a number, a text with its unit or a pint Quantity, "
            f"not {_kind(value)} {value!r:.40}",
            given=repr(value)[:80],
        )
    try:
        number = float(value)
    except (OverflowError, ValueError, ArithmeticError):
        raise QuantityError(f"{name} is too large a number", given=repr(value)[:80]) from None
    return repr(number)


def _quantity(
    value: object, name: str, unit: str, parse: Callable[[str], float], example: str
) -> float:
    """``value`` (a number in ``unit``, a text, or a Quantity) through the option's reader."""
    if isinstance(value, str):
        return parse(value)
    if _is_quantity(value):
        magnitude = units.from_quantity(value, name, unit, example)
        return parse(f"{magnitude!r} {unit}")
    text = _number_text(value, name)
    return parse(text if unit in ("kg", "cm", "m2", "mL", "cm2") else f"{text} {unit}")


def optional(read: Callable[[object], T], value: object) -> T | None:
    """``read(value)``, or None for None."""
    return None if value is None else read(value)


def weight(value: object) -> float:
    """Body weight in kg (a bare number is kg, as ``--weight 70``)."""
    return _quantity(value, "weight", "kg", units.parse_weight, "70 or '793 g'")


def height(value: object) -> float:
    """Height in cm."""
    return _quantity(value, "height", "cm", units.parse_height, "170 or '1.7 m'")


def bsa(value: object) -> float:
    """Body surface area in m²."""
    return _quantity(value, "body surface area", "m2", units.parse_bsa, "1.8")


def age(value: object) -> float:
    """Age in years (a number is years; a text needs its unit: '18mo')."""
    return _quantity(value, "age", "year", units.parse_age, "34, '34y' or '18mo'")


def volume(value: object) -> float:
    """A volume in mL."""
    return _quantity(value, "volume", "mL", units.parse_volume, "2 or '2 mL'")


def area(value: object) -> float:
    """A lesion area in cm²."""
    return _quantity(value, "area", "cm2", units.parse_area, "4 or '4 cm2'")


def rate(value: object) -> float:
    """An infusion rate in mL/min (a text needs its unit: '60 mL/h')."""
    return _quantity(value, "rate", "mL/min", units.parse_rate, "4 or '60 mL/h'")


def fraction(value: object, what: str = "viability", zero: bool = False) -> float:
    """A share as a fraction from 0 to 1 (``0.85``), or a text as the option takes it
    (``"85%"``). A number above 1 is refused, naming the percentage it may have meant;
    ``zero`` admits 0 (a margin of none)."""
    if isinstance(value, str):
        if zero and value.strip().rstrip("%").strip() in ("0", "0.0"):
            return 0.0
        return units.parse_fraction(value, what)
    if _is_quantity(value):
        raise InputError(f"{what} is a fraction, not a quantity with a unit", given=str(value)[:80])
    number = float(_number_text(value, what))
    if not math.isfinite(number) or number < 0 or (number == 0 and not zero):
        raise QuantityError(
            f"{what} {number:g} is not a fraction above zero",
            given=repr(value)[:80],
            hint="write a fraction from 0 to 1, e.g. 0.85, or a text such as '85%'",
        )
    if number > 1:
        pct = f"{number:g}"
        guess = f"did you mean {pct}% ({number / 100:g})? " if number <= 100 else ""
        raise QuantityError(
            f"{what} {pct} is a fraction from 0 to 1",
            given=repr(value)[:80],
            hint=f"{guess}Write {number / 100:g} or '{pct}%'"
            if number <= 100
            else "write a fraction from 0 to 1, e.g. 0.85",
        )
    return number


def text(value: object, name: str) -> str:
    """A name or expression that must be a text (a route, an indication, a schedule …)."""
    if not isinstance(value, str):
        raise InputError(
            f"{name} must be a text, not {_kind(value)} {value!r:.40}", given=repr(value)[:80]
        )
    return value


def flag(value: object, name: str) -> bool:
    """A yes or no: True or False, nothing else (a text 'no' would be true)."""
    if not isinstance(value, bool):
        raise InputError(f"{name} must be True or False, not {value!r:.40}")
    return value


def dose(value: object, name: str = "dose") -> Dose:
    """A dose as text (read strictly) or a :class:`Dose`, held to the grammar's bounds
    (a Dose built by hand is checked as the text would be)."""
    if isinstance(value, str):
        return parse_dose(value)
    if not isinstance(value, Dose):
        raise InputError(
            f"{name} must be a text such as '2e6/kg' or a Dose, not {_kind(value)} {value!r:.40}",
            given=repr(value)[:80],
        )
    low, high = value.low, value.high
    numbers_ok = all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v)
        for v in (low, high)
    )
    if not numbers_ok or not 1 <= low <= high <= MAX_CELLS:
        raise InputError(
            f"{name} {value!r:.80} is not a dose: its ends must run from 1 cell up to "
            f"{MAX_CELLS:g}, low end first",
            hint="e.g. Dose(low=2e6, high=2e6, basis='per_kg')",
        )
    if value.basis not in ("per_kg", "per_patient", "per_m2", "per_cm2", "per_ml") or (
        value.cells not in ("total", "viable")
    ):
        raise InputError(f"{name} {value!r:.80} has an unknown basis or cell kind")
    return value
