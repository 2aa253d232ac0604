"""Patient quantities: weight, height, BSA, age, volume, area, infusion rate and viability.

The units people type are read with the project's own definitions (:data:`_DEFINITIONS`):
a factor and a dimension for each name, so ``--weight 70kg`` costs no more than
``--weight 70`` (``import pint`` alone costs ~0.1 s). pint reads the same definitions
(:func:`registry`): its Quantities are accepted where a unit is meant, and the tests hold
our reading of every unit equal to pint's. Once a value is in canonical units (kg, cm, m²,
mL, cm², years) it is a float.
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
kilogram = [mass] = kg = kilo = kilos = kilogramme = kgs
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
    """pint's registry of the same definitions. Reading a typed unit does not need it (see
    :func:`units`): it is for pint's own Quantities and for the tests that hold our reading of
    every unit equal to pint's (``import pint`` costs ~0.1 s of start-up)."""
    import pint

    ureg: pint.UnitRegistry[Any] = pint.UnitRegistry(
        None, on_redefinition="raise", autoconvert_offset_to_baseunit=False
    )
    for line in _DEFINITIONS.strip().splitlines() + _AREAS:
        ureg.define(line)
    return ureg


_AREAS = [
    "square_meter = meter ** 2 = m2 = m² = sqm",
    "square_centimeter = centimeter ** 2 = cm2 = cm² = sqcm",
]

# A unit: its factor to the base units and its dimension, as (dimension, exponent) pairs.
Unit = tuple[float, tuple[tuple[str, int], ...]]


def _times(a: Unit, b: Unit, power: int = 1) -> Unit:
    dims = dict(a[1])
    for dim, exp in b[1]:
        dims[dim] = dims.get(dim, 0) + exp * power
    return a[0] * b[0] ** power, tuple(sorted((d, e) for d, e in dims.items() if e))


_TOKEN = re.compile(r"\s*(\*\*|\*|/|[\d.]+(?:e[+-]?\d+)?|[A-Za-zµμ²_]+\d?|\d)")


def _evaluate(expr: str, known: dict[str, Unit]) -> Unit:
    """A definition's right side: numbers and units multiplied, divided and raised to an
    integer power (``meter ** 3 / 1000``, ``0.45359237 kilogram``)."""
    tokens = _TOKEN.findall(expr)
    result: Unit = (1.0, ())
    power, i = 1, 0
    while i < len(tokens):
        token = tokens[i]
        if token in ("*", "/"):
            power = -1 if token == "/" else 1
            i += 1
            continue
        atom: Unit = (float(token), ()) if token[0].isdigit() else known[token]
        exp = 1
        if tokens[i + 1 : i + 2] == ["**"]:
            exp, i = int(tokens[i + 2]), i + 2
        result = _times(result, _times((1.0, ()), atom, exp), power)
        power, i = 1, i + 1
    return result


@lru_cache(maxsize=1)
def units() -> dict[str, Unit]:
    """Our registry: every name and alias of :data:`_DEFINITIONS`, built in about a
    millisecond without importing pint. Only numbers times units are defined there (no
    offsets, no prefixes), so a unit is a factor and a dimension; pint reads the same
    definitions (:func:`registry`) and the tests hold the two equal."""
    known: dict[str, Unit] = {}
    for line in _DEFINITIONS.strip().splitlines() + _AREAS:
        name, definition, *aliases = (part.strip() for part in line.split("="))
        base = re.fullmatch(r"\[(\w+)\]", definition)
        unit: Unit = (1.0, ((base.group(1), 1),)) if base else _evaluate(definition, known)
        for alias in (name, *aliases):
            if alias in known:
                raise ValueError(f"unit {alias!r} defined twice")  # pint's on_redefinition
            known[alias] = unit
    return known


def _unit(name: str) -> Unit:
    """A unit as the quantity pattern admits it: one or two words (multiplied, as pint reads
    them), each raised to 2 or 3 (``m^2``; ``m2`` is a name of its own), and ``/ word``
    (``mL/min``). Raises KeyError for an unknown name."""
    table = units()

    def word(text: str) -> Unit:
        if text in table:
            return table[text]
        power = re.fullmatch(r"(.+?)\^([23])", text)
        if power and power.group(1) in table:
            return _times((1.0, ()), table[power.group(1)], int(power.group(2)))
        raise KeyError(text)

    top, _, bottom = name.partition("/")
    result: Unit = (1.0, ())
    for part in top.split():
        result = _times(result, word(part))
    if bottom.strip():
        result = _times(result, word(bottom.strip()), -1)
    return result


def convert_unit(magnitude: float, unit: str, target: str) -> float:
    """``magnitude`` ``unit`` in ``target``; KeyError for an unknown unit, ValueError for
    another dimension.

    >>> round(convert_unit(154, "lb", "kg"), 3), convert_unit(60, "mL/h", "mL/min")
    (69.853, 1.0)
    """
    given, wanted = _unit(unit), _unit(target)
    if given[1] != wanted[1]:
        raise ValueError(f"{unit} is not {target}")
    value = magnitude * given[0] / wanted[0]
    # 12 significant figures: 12 mL/h is 0.2 mL/min, not the factors' 0.19999999999999998
    return float(f"{value:.12g}")


def from_quantity(value: Any, what: str, unit: str, example: str) -> float:
    """A pint Quantity (of any registry) in ``unit``, refused unless it has the dimension."""
    try:
        text = f"{value.units:~}" if hasattr(value, "units") else ""
        magnitude = float(value.to(_PINT_NAMES.get(unit, unit)).magnitude)
    except Exception as exc:  # any registry's error: a wrong dimension, an unknown unit
        raise QuantityError(
            f"{what} {value!s} is not a {what} in units mscdose knows",
            given=str(value),
            hint=f"write e.g. {example}",
        ) from exc
    if not math.isfinite(magnitude):
        raise QuantityError(
            f"{what} {value!s} is not a finite number", given=text, hint=f"write e.g. {example}"
        )
    return magnitude


# our short names as pint's default registry spells them, for Quantities made there
_PINT_NAMES = {
    "kg": "kilogram",
    "cm": "centimeter",
    "m2": "meter ** 2",
    "cm2": "centimeter ** 2",
    "mL": "milliliter",
    "mL/min": "milliliter / minute",
    "year": "year",
}


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
    try:
        value = convert_unit(float(m.group(1)), m.group(2).strip(), unit)
    except KeyError:
        raise QuantityError(
            f"{what} '{text}': unknown unit '{m.group(2).strip()}'",
            given=text,
            hint=f"write e.g. {example}",
        ) from None
    except (ValueError, OverflowError):
        raise QuantityError(
            f"{what} '{text}' is not a {what}", given=text, hint=f"write e.g. {example}"
        ) from None
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
