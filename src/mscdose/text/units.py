"""Patient quantities: weight, height, BSA, age, volume, area, infusion rate and viability.

pint reads the units people type and checks their dimension. It is imported and
its registry built only when a value carries a unit: a bare number needs neither.
Once a value is in canonical units (kg, cm, m², mL, cm², years) it is a float.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from mscdose.errors import QuantityError

if TYPE_CHECKING:
    import pint

# Our own small definitions: no global registry, nothing redefined, cells a dimension of their own.
_DEFINITIONS = """
kilogram = [mass] = kg = kilo = kilos = kilogramme
gram = kilogram / 1000 = g = grams = gramme
pound = 0.45359237 kilogram = lb = lbs = pounds
ounce = pound / 16 = oz = ounces
meter = [length] = m = metre = meters = metres
centimeter = meter / 100 = cm = centimetre = centimeters = centimetres
millimeter = meter / 1000 = mm = millimetre
inch = 0.0254 meter = in = inches = in_
foot = 12 inch = ft = feet
liter = meter ** 3 / 1000 = L = l = litre = liters = litres
milliliter = liter / 1000 = mL = ml = millilitre = milliliters = cc = cm3
microliter = liter / 1e6 = uL = µL = μL = ul
day = [time] = d = days
hour = day / 24 = h = hr = hours
minute = hour / 60 = min = mins = minutes
week = 7 day = w = wk = wks = weeks
month = 30.4375 day = mo = mos = months
year = 365.25 day = y = yr = yrs = years
cell = [cells] = cells
"""

_QUANTITY = re.compile(
    r"^\s*((?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d{1,3})?)\s*"
    r"([a-zµμ]+(?: [a-zµμ]+)?(?:\^?[23])?(?: ?/ ?[a-zµμ]+)?)\s*$",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^\s*([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)\s*$", re.IGNORECASE)


@lru_cache(maxsize=1)
def registry() -> pint.UnitRegistry[Any]:
    """The one registry, built once, lazily (``import pint`` costs ~0.1 s)."""
    import pint

    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry(
        None, on_redefinition="raise", autoconvert_offset_to_baseunit=False
    )
    for line in _DEFINITIONS.strip().splitlines():
        ureg.define(line)
    ureg.define("square_meter = meter ** 2 = m2 = m² = sqm")
    ureg.define("square_centimeter = centimeter ** 2 = cm2 = cm² = sqcm")
    return ureg


def _bare(text: str) -> float | None:
    """The number that is the whole text (spaces aside), or None."""
    if text.isascii() and text.replace(".", "", 1).isdigit():  # "70", "0.793": batch's usual
        return float(text)
    m = _NUMBER.match(text)
    return float(m.group(1)) if m else None


def _quantity(text: str, what: str, unit: str, example: str) -> float:
    """Read ``text`` as a quantity of the dimension of ``unit`` and return it in ``unit``."""
    if text.strip().startswith("."):
        raise QuantityError(
            f"{what} '{text}' has a naked decimal point",
            given=text,
            hint="write a leading zero, e.g. 0.5",
        )
    if re.search(r"\b(?:nan|inf)", text, re.IGNORECASE):
        raise QuantityError(
            f"{what} '{text}' is not a finite number", given=text, hint=f"write e.g. {example}"
        )
    if re.search(r"\d,\d", text):
        raise QuantityError(
            f"{what} '{text}' has a comma", given=text, hint="write decimals with a point, e.g. 1.5"
        )
    if text.strip().startswith(("-", "−")):
        raise QuantityError(
            f"{what} must be above zero, not '{text}'", given=text, hint=f"write e.g. {example}"
        )
    # A number and a unit name, nothing else: pint must never evaluate an expression
    # (it would compute '9**9**9' for ever).
    m = _QUANTITY.match(text.replace("²", "2").replace("³", "3"))
    if m is None:
        raise QuantityError(
            f"cannot read {what} '{text}'",
            given=text,
            hint=f"write a number and a unit, e.g. {example}",
        )
    import pint

    try:
        q: Any = registry().Quantity(float(m.group(1)), m.group(2).strip())
        value = float(q.to(unit).magnitude)
    except pint.DimensionalityError as exc:
        raise QuantityError(
            f"{what} '{text}' is not a {what}", given=text, hint=f"write e.g. {example}"
        ) from exc
    except (pint.UndefinedUnitError, ValueError, AttributeError, TypeError) as exc:
        raise QuantityError(
            f"{what} '{text}': unknown unit '{m.group(2).strip()}'",
            given=text,
            hint=f"write e.g. {example}",
        ) from exc
    if not math.isfinite(value):
        raise QuantityError(
            f"{what} '{text}' is not a finite number", given=text, hint=f"write e.g. {example}"
        )
    return value


def _positive(value: float, what: str, text: str, example: str) -> float:
    if not math.isfinite(value) or value <= 0:
        raise QuantityError(
            f"{what} must be a finite number above zero, not '{text}'",
            given=text,
            hint=f"write e.g. {example}",
        )
    return value


# A live human weighs between ~0.2 kg (the smallest surviving preterm infants) and ~650 kg.
WEIGHT_KG = (0.2, 650.0)
HEIGHT_CM = (20.0, 275.0)


def parse_weight(text: str) -> float:
    """Body weight in kg; a bare number is kg.

    >>> parse_weight("70")
    70.0
    >>> parse_weight("793 g")
    0.793
    """
    value = _bare(text)
    value = value if value is not None else _quantity(text, "weight", "kg", "70kg or 793 g")
    _positive(value, "weight", text, "70kg or 793 g")
    low, high = WEIGHT_KG
    if value > high:
        raise QuantityError(
            f"weight {text} is more than a human weighs",
            given=text,
            hint=f"did you mean {text.strip()} g?"
            if low <= value / 1000 <= high
            else "write the weight in kg, g or lb, e.g. 70kg",
        )
    if value < low:
        raise QuantityError(
            f"weight {text} is less than any live human weighs ({low} kg)",
            given=text,
            hint="write the weight with its unit, e.g. 70kg or 793 g",
        )
    return value


def parse_height(text: str) -> float:
    """Height in cm; a bare number is cm."""
    value = _bare(text)
    value = value if value is not None else _quantity(text, "height", "cm", "170cm or 1.7 m")
    _positive(value, "height", text, "170cm or 1.7 m")
    low, high = HEIGHT_CM
    if value < low or value > high:
        hint = (
            f"did you mean {text.strip()} m?"
            if _bare(text) is not None and value < 3
            else "write the height with its unit, e.g. 170cm, 1.7 m or 67 in"
        )
        raise QuantityError(
            f"height {text} is outside what a human measures ({low:g}–{high:g} cm)",
            given=text,
            hint=hint,
        )
    return value


def parse_bsa(text: str) -> float:
    """Body surface area in m²; a bare number is m²."""
    value = _bare(text)
    value = value if value is not None else _quantity(text, "body surface area", "m2", "1.8 m2")
    _positive(value, "body surface area", text, "1.8 m2")
    if not 0.05 <= value <= 5:
        raise QuantityError(
            f"body surface area {text} is outside 0.05–5 m²",
            given=text,
            hint="write it in m², e.g. 1.8",
        )
    return value


# A product from a 0.1 µL intracerebral deposit to a 10 L bag; a lesion up to 2 m² (a burn)
VOLUME_ML = (1e-4, 1e4)
AREA_CM2 = (1e-4, 2e4)


def parse_volume(text: str) -> float:
    """A volume in mL; a bare number is mL (cc is read as mL)."""
    value = _bare(text)
    value = value if value is not None else _quantity(text, "volume", "mL", "2 mL")
    return _within(_positive(value, "volume", text, "2 mL"), VOLUME_ML, "volume", "mL", text)


def parse_area(text: str) -> float:
    """A lesion area in cm²; a bare number is cm²."""
    value = _bare(text)
    value = value if value is not None else _quantity(text, "area", "cm2", "4 cm2")
    return _within(_positive(value, "area", text, "4 cm2"), AREA_CM2, "area", "cm²", text)


def _within(
    value: float,
    bounds: tuple[float, float],
    what: str,
    unit: str,
    text: str,
    span: str | None = None,
    hint: str | None = None,
) -> float:
    """``value`` if within ``bounds``, else a refusal naming them (``span``, in words)."""
    low, high = bounds
    if not low <= value <= high:
        raise QuantityError(
            f"{what} {text} is outside {span or f'{low:g}–{high:g} {unit}'}",
            given=text,
            hint=hint or f"check the unit and the power of ten of the {what}",
        )
    return value


# Infusion rates from a slow neonatal drip (0.06 mL/h) to a fast push (1 L/min)
RATE_ML_PER_MIN = (1e-3, 1e3)


def parse_rate(text: str) -> float:
    """An infusion rate in mL/min; the unit is required (``4 mL/min``, ``60 mL/h``): a bare
    number could be per minute or per hour."""
    example = "4 mL/min or 60 mL/h"
    if _bare(text) is not None:
        raise QuantityError(f"rate '{text}' has no unit", given=text, hint=f"write {example}")
    value = _positive(_quantity(text, "rate", "mL/min", example), "rate", text, example)
    return _within(
        value,
        RATE_ML_PER_MIN,
        "rate",
        "mL/min",
        text,
        span="what an infusion runs at (0.06 mL/h to 1 L/min)",
        hint=f"check the unit: {example}",
    )


def parse_age(text: str) -> float:
    """Age in years; the unit is required (``34y``, ``18mo``, ``10d``, ``6w``)."""
    if _bare(text) is not None:
        raise QuantityError(
            f"age '{text}' has no unit", given=text, hint="write 34y, 18mo, 6w or 10d"
        )
    value = _quantity(text, "age", "year", "34y, 18mo or 10d")
    if value < 0 or value > 125:
        raise QuantityError(
            f"age {text} is outside 0–125 years", given=text, hint="write e.g. 34y, 18mo or 10d"
        )
    return value


def parse_fraction(text: str, what: str = "viability") -> float:
    """A percentage as a fraction: ``85%`` and ``85`` → 0.85, ``0.85`` → 0.85.

    A bare ``1`` is refused: it could be 1 % or 100 %.
    """
    raw = text.strip()
    pct = raw.endswith("%")
    value = _bare(raw.rstrip("%").strip())
    if value is None:
        raise QuantityError(f"cannot read {what} '{text}'", given=text, hint="write e.g. 85%")
    if not pct and value == 1:
        raise QuantityError(
            f"{what} '1' could be 1% or 100%",
            given=text,
            hint="write it with a percent sign, e.g. 100%",
        )
    fraction = value / 100 if pct or value > 1 else value
    if not 0 < fraction <= 1:
        raise QuantityError(f"{what} {text} is outside 0–100%", given=text, hint="write e.g. 85%")
    return fraction


def mosteller_bsa(weight_kg: float, height_cm: float) -> float:
    """Body surface area (Mosteller 1987): √(height cm × weight kg / 3600).

    >>> round(mosteller_bsa(70, 170), 3)
    1.818
    """
    return math.sqrt(height_cm * weight_kg / 3600)
