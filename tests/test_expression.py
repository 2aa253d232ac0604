"""The strict dose grammar: every accepted form and every refusal (contract "Dose expressions")."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mscdose.errors import AmbiguousNotationError, DoseSyntaxError, MscdoseError
from mscdose.text.display import format_dose
from mscdose.text.grammar import parse_dose

ACCEPTED = [
    # text, low, high, basis, cells
    ("2x10^6 cells/kg", 2e6, 2e6, "per_kg", "total"),
    ("2e6/kg", 2e6, 2e6, "per_kg", "total"),
    ("2E6/kg", 2e6, 2e6, "per_kg", "total"),
    ("1.4 × 10⁸ cells", 1.4e8, 1.4e8, "per_patient", "total"),
    ("(1.0-1.5)×10^7", 1e7, 1.5e7, "per_patient", "total"),
    ("(1.0–1.5)×10^7", 1e7, 1.5e7, "per_patient", "total"),
    ("1-2 x10^6/kg", 1e6, 2e6, "per_kg", "total"),
    ("1 to 2 x 10^6/kg", 1e6, 2e6, "per_kg", "total"),
    ("1x10^6 - 2x10^6 cells/kg", 1e6, 2e6, "per_kg", "total"),
    ("100 million cells", 1e8, 1e8, "per_patient", "total"),
    ("25-150 million", 2.5e7, 1.5e8, "per_patient", "total"),
    ("8.6亿", 8.6e8, 8.6e8, "per_patient", "total"),
    ("1.2億", 1.2e8, 1.2e8, "per_patient", "total"),
    ("5000万个细胞", 5e7, 5e7, "per_patient", "total"),
    ("1百万", 1e6, 1e6, "per_patient", "total"),
    ("3千万", 3e7, 3e7, "per_patient", "total"),
    ("2 lakh", 2e5, 2e5, "per_patient", "total"),
    ("1 crore", 1e7, 1e7, "per_patient", "total"),
    ("3 thousand cells", 3e3, 3e3, "per_patient", "total"),
    ("1 billion", 1e9, 1e9, "per_patient", "total"),
    ("3x10^7 per patient", 3e7, 3e7, "per_patient", "total"),
    ("3x10^7/人", 3e7, 3e7, "per_patient", "total"),
    ("3x10^7 /person", 3e7, 3e7, "per_patient", "total"),
    ("3x10^7 total", 3e7, 3e7, "per_patient", "total"),
    ("2 x 10^6 MSC/kg", 2e6, 2e6, "per_kg", "total"),
    ("2×10⁶ MSCs per kg", 2e6, 2e6, "per_kg", "total"),
    ("2*10^6/kg body weight", 2e6, 2e6, "per_kg", "total"),
    ("2x10**6/kg", 2e6, 2e6, "per_kg", "total"),
    ("10^6/kg", 1e6, 1e6, "per_kg", "total"),
    ("10⁶ cells", 1e6, 1e6, "per_patient", "total"),
    ("5 x 10^7 viable cells/m2", 5e7, 5e7, "per_m2", "viable"),
    ("5e7 viable cells/m²", 5e7, 5e7, "per_m2", "viable"),
    ("2.5x10^6/cm2", 2.5e6, 2.5e6, "per_cm2", "total"),
    ("1e7 cells/mL", 1e7, 1e7, "per_ml", "total"),
    ("6.68x10^6 per mL", 6.68e6, 6.68e6, "per_ml", "total"),
    ("1,000,000 cells", 1e6, 1e6, "per_patient", "total"),
    ("0.5x10^6/kg", 5e5, 5e5, "per_kg", "total"),
    ("4500 cells", 4500, 4500, "per_patient", "total"),
    ("2 × 10⁶ 细胞/kg", 2e6, 2e6, "per_kg", "total"),
    ("２ｘ１０＾６/kg", 2e6, 2e6, "per_kg", "total"),  # full-width, as typed with a CJK keyboard
    ("２×１０⁶個", 2e6, 2e6, "per_patient", "total"),  # Japanese label style
    ("800만개", 8e6, 8e6, "per_patient", "total"),  # Korean 만 = 10⁴
    ("1.2억", 1.2e8, 1.2e8, "per_patient", "total"),  # Korean 억 = 10⁸
    ("2·10⁶/kg", 2e6, 2e6, "per_kg", "total"),
]


@pytest.mark.parametrize(("text", "low", "high", "basis", "cells"), ACCEPTED)
def test_accepted(text: str, low: float, high: float, basis: str, cells: str) -> None:
    dose = parse_dose(text)
    assert math.isclose(dose.low, low, rel_tol=1e-12)
    assert math.isclose(dose.high, high, rel_tol=1e-12)
    assert (dose.basis, dose.cells) == (basis, cells)


REFUSED = [
    # text, error type, fragment of the message naming the problem or the likely meaning
    ("10*7", AmbiguousNotationError, "UCUM"),
    ("1X10*7/kg", AmbiguousNotationError, "1×10⁷"),
    ("(1.0-1.5)×10*7", AmbiguousNotationError, "10^7"),
    ("2 × 106/kg", AmbiguousNotationError, "2×10⁶ with its superscript lost"),
    ("2X107", AmbiguousNotationError, "2×10⁷ with its superscript lost"),
    ("3x107/人", AmbiguousNotationError, "3×10⁷"),
    ("2x106细胞/kg", AmbiguousNotationError, "2×10⁶"),
    ("1x108细胞/人", AmbiguousNotationError, "1×10⁸"),
    ("10e6 cells", AmbiguousNotationError, "10^7 as written"),
    ("2x10e6/kg", AmbiguousNotationError, "often meant as 10^6"),
    ("2.5^107", AmbiguousNotationError, "2.5×10⁷"),
    ("1,5", AmbiguousNotationError, "decimal comma"),
    ("1,5x10^6/kg", AmbiguousNotationError, "decimal comma"),
    (".5x10^6/kg", AmbiguousNotationError, "leading zero"),
    ("5M cells", AmbiguousNotationError, "million"),
    ("500k cells", AmbiguousNotationError, "thousand"),
    ("0", DoseSyntaxError, "more than zero"),
    ("0x10^6/kg", DoseSyntaxError, "more than zero"),
    ("-2e6/kg", DoseSyntaxError, "positive"),
    ("−2e6/kg", DoseSyntaxError, "positive"),
    ("2x10^-3", DoseSyntaxError, "positive"),
    ("nan", DoseSyntaxError, "finite"),
    ("inf cells", DoseSyntaxError, "finite"),
    ("1e400", DoseSyntaxError, "overflows"),
    ("1e20", DoseSyntaxError, "more cells than a human body"),
    ("0.5 cells", DoseSyntaxError, "less than one cell"),
    # field notes 7.1: notation forensics
    ("15.107", AmbiguousNotationError, "15×10⁷ with a multiplication dot read as a decimal"),
    ("1.5107 cells/kg", AmbiguousNotationError, "1.5×10⁷ with its × and the superscript lost"),
    ("10 6", AmbiguousNotationError, "10⁶ with its × and superscript lost"),
    ("2 10 6/kg", AmbiguousNotationError, "2×10⁶ with its × and superscript lost"),
    ("2e6-1e6", DoseSyntaxError, "backwards"),
    ("(2-1)x10^6", DoseSyntaxError, "backwards"),
    ("2e6/foo", DoseSyntaxError, "unknown basis"),
    ("2e6 per bag", DoseSyntaxError, "unknown basis"),
    ("1x10^6-2", DoseSyntaxError, "only one end"),
    ("2x10^6 million", DoseSyntaxError, "both a power of ten and a word"),
    ("", DoseSyntaxError, "empty"),
    ("cells/kg", DoseSyntaxError, "cannot read"),
    ("4500多个", DoseSyntaxError, "cannot read"),
    ("1" * 20000, DoseSyntaxError, "too long"),  # would take seconds in the refusal patterns
    ("1." * 10000, DoseSyntaxError, "too long"),
]


@pytest.mark.parametrize(("text", "kind", "fragment"), REFUSED)
def test_refused(text: str, kind: type[Exception], fragment: str) -> None:
    with pytest.raises(kind) as info:
        parse_dose(text)
    message = str(info.value)
    assert fragment in message
    assert "\n" not in message
    assert info.value.exit_code == 2  # type: ignore[attr-defined]


def test_lost_superscript_names_the_likely_value() -> None:
    with pytest.raises(AmbiguousNotationError) as info:
        parse_dose("2X107")
    assert info.value.likely == 2e7
    assert "2x10^7" in str(info.value)  # and says how to write it


@pytest.mark.parametrize(
    ("text", "likely"),
    [("15.107", 1.5e8), ("1.5107 cells/kg", 1.5e7), ("2 10 6/kg", 2e6), ("2 106/kg", 2e6)],
)
def test_forensics_carry_the_likely_value(text: str, likely: float) -> None:
    with pytest.raises(AmbiguousNotationError) as caught:
        parse_dose(text)
    assert caught.value.likely == pytest.approx(likely)


def test_refusals_are_value_errors_too() -> None:
    with pytest.raises(ValueError):
        parse_dose("10*7")


# --- properties ---------------------------------------------------------------------------

mantissas = st.decimals(min_value="1", max_value="9.99", places=2).map(float)
exponents = st.integers(min_value=0, max_value=12)
bases = st.sampled_from(["per_kg", "per_patient", "per_m2", "per_cm2", "per_ml"])


@given(mantissas, exponents, bases, st.booleans(), st.sampled_from(["total", "viable"]))
def test_format_then_parse_is_identity(
    m: float, e: int, basis: str, ascii: bool, cells: str
) -> None:
    value = m * 10**e
    text = format_dose(value, value, basis, cells, ascii=ascii)
    dose = parse_dose(text)
    # display keeps 3 significant figures, and m has at most 3
    assert math.isclose(dose.low, value, rel_tol=1e-9)
    assert (dose.basis, dose.cells) == (basis, cells)


@given(mantissas, mantissas, exponents)
def test_ranges_round_trip(a: float, b: float, e: int) -> None:
    low, high = sorted((a * 10**e, b * 10**e))
    dose = parse_dose(format_dose(low, high, "per_kg"))
    assert math.isclose(dose.low, low, rel_tol=1e-9)
    assert math.isclose(dose.high, high, rel_tol=1e-9)


@settings(max_examples=500)
@given(st.text())
def test_no_exception_but_ours_on_any_text(text: str) -> None:
    try:
        dose = parse_dose(text)
    except MscdoseError:
        return
    assert 1 <= dose.low <= dose.high <= 1e14


dose_alphabet = st.sampled_from(
    [
        *"0123456789.,-–()xX×*^e ⁰¹²³⁴⁵⁶⁷⁸⁹/kgmLcelsMSC亿万个人",
        *"零一二两三四五六七八九十百千",
        "10^",
        "e6",
        " cells",
        "/kg",
        "million",
        "per patient",
        "to",
        " 000",
        "two",
        "twenty-",
        "hundred",
        " and ",
    ]
)


@settings(max_examples=1000)
@given(st.lists(dose_alphabet, max_size=12).map("".join))
def test_no_exception_but_ours_on_dose_like_text(text: str) -> None:
    try:
        dose = parse_dose(text)
    except MscdoseError:
        return
    assert math.isfinite(dose.low) and math.isfinite(dose.high)
    assert 0 < dose.low <= dose.high


def test_every_folded_symbol_is_outside_ascii() -> None:
    # normalize() skips the folding for ASCII text; that is only right while this holds
    from mscdose.text.grammar import _SUPERSCRIPT_DIGITS, _TRANSLATE

    assert all(code > 127 for code in _TRANSLATE)
    assert not any(c.isascii() for c in _SUPERSCRIPT_DIGITS)


_plain_forms = st.builds(
    lambda whole, frac, form, exp, cells, basis: (
        f"{whole}{'.' + frac if frac else ''}{form}{exp}{' cells' if cells else ''}{basis}"
    ),
    st.sampled_from(["0", "1", "2", "10", "010", "99", "123456789012345"]),
    st.sampled_from(["", "0", "5", "25", "10"]),
    st.sampled_from(["x10^", "e"]),
    st.integers(0, 99).map(str) | st.sampled_from(["06", "00"]),
    st.booleans(),
    st.sampled_from(["", "/kg"]),
)


@settings(max_examples=1000)
@given(_plain_forms)
def test_the_plain_shortcut_reads_as_the_grammar(text: str) -> None:
    from mscdose.text.grammar import _read, read_dose

    try:
        expected = _read(text)
    except MscdoseError as exc:
        with pytest.raises(type(exc)):
            read_dose(text)
        return
    assert read_dose(text) == expected


def test_the_cell_count_ceiling_is_1e14() -> None:
    # a human body holds about 3.7 × 10¹³ cells: 10¹⁴ is the last count read, twice it is refused
    assert parse_dose("1e14").high == 1e14
    for text in ("2e14", "1e15", "2x10^14 cells"):
        with pytest.raises(DoseSyntaxError):
            parse_dose(text)
