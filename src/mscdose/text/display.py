"""Safe display of cell counts: ``1.4 × 10⁸`` — significant figures, no trailing zeros,
a leading zero, and never a bare ``106`` that could be misread (ISMP rules)."""

from __future__ import annotations

import math
import re
from contextvars import ContextVar

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")

BASIS_UNITS = {
    "per_kg": "/kg",
    "per_patient": "",
    "per_m2": "/m²",
    "per_cm2": "/cm²",
    "per_ml": "/mL",
}
_ASCII_UNITS = {**BASIS_UNITS, "per_m2": "/m2", "per_cm2": "/cm2"}


def _trim(digits: str) -> str:
    """Drop trailing zeros and a trailing point: ``2.50`` → ``2.5``, ``2.0`` → ``2``."""
    if "." in digits:
        digits = digits.rstrip("0").rstrip(".")
    return digits


_ASCII_SYMBOLS = str.maketrans(
    {
        "×": "x",
        "÷": "/",
        "√": "sqrt",
        "²": "2",
        "³": "3",
        "–": "-",
        "—": "-",
        "≥": ">=",
        "≤": "<=",
        "µ": "u",
        "→": "->",
    }
)


_POWER_OF_TEN = re.compile("(?<=10)[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def to_ascii(text: str) -> str:
    """Text for a terminal or a file that cannot show ×, ÷, √ or superscripts.

    >>> to_ascii("2 × 10⁶ cells/kg ÷ 1.82 m²")
    '2 x 10^6 cells/kg / 1.82 m2'
    """
    text = _POWER_OF_TEN.sub(lambda m: "^" + m.group().translate(_FROM_SUPERSCRIPT), text)
    return text.translate(_ASCII_SYMBOLS)


# Counts in words (``140 million``): ISMP advises digits beside whole words, which are harder
# to misread than runs of zeros or exponents. Set per command (cli.main runs each in its own
# context).
_IN_WORDS: ContextVar[bool] = ContextVar("mscdose_counts_in_words", default=False)
_SCALES = ((12, "trillion"), (9, "billion"), (6, "million"), (3, "thousand"))


def use_words(on: bool = True) -> None:
    """Print counts as ``140 million`` rather than ``1.4 × 10⁸`` in the current context.

    >>> import contextvars
    >>> contextvars.copy_context().run(lambda: (use_words(), format_count(2.54e7))[1])
    '25.4 million'
    """
    _IN_WORDS.set(on)


def format_count(value: float, *, ascii: bool = False, sig: int = 3) -> str:
    """A cell count for people.

    >>> format_count(1.4e8)
    '1.4 × 10⁸'
    >>> format_count(1.586e6, ascii=True)
    '1.59x10^6'
    >>> format_count(4500)
    '4,500'
    >>> format_count(0.5)
    '0.5'
    """
    if not math.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    value = abs(value)
    exponent = math.floor(math.log10(value))
    mantissa = round(value / 10**exponent, sig - 1)
    if mantissa >= 10:  # 9.996 rounds up to 10.0: carry into the exponent
        mantissa /= 10
        exponent += 1
    if exponent < 4:  # small numbers read fine as digits (with a separator)
        rounded = round(value, sig - 1 - exponent)
        text = _trim(f"{rounded:,.{max(0, sig - 1 - exponent)}f}")
        return sign + text
    if _IN_WORDS.get():
        shift, word = next(scale for scale in _SCALES if exponent >= scale[0])
        places = exponent - shift  # the mantissa's point moves this far: 1.4 × 10⁸ = 140 million
        return f"{sign}{_trim(f'{mantissa * 10**places:.{max(0, sig - 1 - places)}f}')} {word}"
    digits = _trim(f"{mantissa:.{sig - 1}f}")
    if ascii:
        return f"{sign}{digits}x10^{exponent}"
    return f"{sign}{digits} × 10{str(exponent).translate(_SUPERSCRIPT)}"


def format_range(low: float, high: float, *, ascii: bool = False, sig: int = 3) -> str:
    """``1 × 10⁷ – 1.5 × 10⁷``; a single value when both ends print the same."""
    a = format_count(low, ascii=ascii, sig=sig)
    b = format_count(high, ascii=ascii, sig=sig)
    if a == b:
        return a
    return f"{a} - {b}" if ascii else f"{a} – {b}"


def format_span(low: float, high: float, *, ascii: bool = False) -> str:
    """Plain numbers (vials, mL) from low to high: ``2``, ``1.08–2.16``."""
    a, b = format_quantity(low), format_quantity(high)
    return a if a == b else f"{a}{'-' if ascii else '–'}{b}"


def unit_label(basis: str, cells: str = "total", *, ascii: bool = False) -> str:
    """``cells/kg``, ``viable cells/m²``."""
    word = "viable cells" if cells == "viable" else "cells"
    return word + (_ASCII_UNITS if ascii else BASIS_UNITS)[basis]


def format_dose(
    low: float, high: float, basis: str, cells: str = "total", *, ascii: bool = False
) -> str:
    """``2 × 10⁶ cells/kg``.

    >>> format_dose(1e7, 1.5e7, "per_patient")
    '1 × 10⁷ – 1.5 × 10⁷ cells'
    """
    return f"{format_range(low, high, ascii=ascii)} {unit_label(basis, cells, ascii=ascii)}"


def format_quantity(value: float, sig: int = 3) -> str:
    """A plain measurement (kg, cm, m²) with up to ``sig`` significant figures, no trailing zeros.

    >>> format_quantity(70.0)
    '70'
    >>> format_quantity(0.793)
    '0.793'
    >>> format_quantity(4e7)   # a million or more: a power of ten, never a run of digits
    '4 × 10⁷'
    """
    if value == 0 or not math.isfinite(value):
        return str(value)
    if abs(value) >= 1e6:
        return format_count(value, sig=sig)
    exponent = math.floor(math.log10(abs(value)))
    decimals = max(0, sig - 1 - exponent)
    return _trim(f"{round(value, decimals):.{decimals}f}")
