"""Patient quantities: units through pint, plausibility with the likely slip named."""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mscdose.errors import QuantityError
from mscdose.text import units
from mscdose.text.units import (
    mosteller_bsa,
    parse_age,
    parse_area,
    parse_bsa,
    parse_fraction,
    parse_height,
    parse_volume,
    parse_weight,
)

WEIGHTS = [
    ("70", 70.0),
    ("70kg", 70.0),
    ("70 kg", 70.0),
    ("793 g", 0.793),
    ("793g", 0.793),
    ("154 lb", 154 * 0.45359237),
    ("32 oz", 2 * 0.45359237),
    ("0.793 kg", 0.793),
]


@pytest.mark.parametrize(("text", "kg"), WEIGHTS)
def test_weight(text: str, kg: float) -> None:
    assert math.isclose(parse_weight(text), kg)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("793", "did you mean 793 g?"),  # the preterm infant typed without its unit
        ("1200", "did you mean 1200 g?"),
        ("0", "above zero"),
        ("-70", "above zero"),
        ("-70 kg", "above zero"),
        ("70 cm", "not a weight"),
        ("70 mL", "not a weight"),
        ("heavy", "cannot read"),
        ("0.05", "less than any live human"),
        ("5000 kg", "more than a human weighs"),
        ("1,5 kg", "comma"),
        (".7 kg", "leading zero"),
        ("nan", "finite"),
    ],
)
def test_weight_refused(text: str, fragment: str) -> None:
    with pytest.raises(QuantityError) as info:
        parse_weight(text)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    "text",
    ["9**9**9 kg", "9**9**9", "10**10**10 g", "(70) kg", "70 kg + 5 kg", "2*35 kg", "70 kg/1"],
)
def test_expressions_are_never_evaluated(text: str) -> None:
    # pint would compute 9**(9**9) for ever: only "number unit" reaches it
    with pytest.raises(QuantityError):
        parse_weight(text)


def test_height_and_bsa() -> None:
    assert parse_height("170cm") == 170
    assert math.isclose(parse_height("1.7 m"), 170)
    assert math.isclose(parse_height("67 in"), 170.18)
    assert parse_height("170") == 170
    with pytest.raises(QuantityError, match=r"did you mean 1\.7 m"):
        parse_height("1.7")
    with pytest.raises(QuantityError, match="not a height"):
        parse_height("70 kg")
    assert parse_bsa("1.8") == 1.8
    with pytest.raises(QuantityError):
        parse_bsa("18")


def test_mosteller() -> None:
    # √(170 × 70 / 3600) = √3.3056 = 1.8181
    assert math.isclose(mosteller_bsa(70, 170), math.sqrt(170 * 70 / 3600))
    assert math.isclose(mosteller_bsa(70, 170), 1.818, abs_tol=1e-3)


def test_volume_age_area_fraction() -> None:
    assert parse_volume("2 mL") == 2
    assert parse_volume("3 cc") == 3  # cc accepted, printed as mL
    assert math.isclose(parse_volume("0.5 L"), 500)
    assert parse_volume("2") == 2
    assert parse_age("34y") == 34
    assert parse_age("18mo") == 1.5
    assert math.isclose(parse_age("10d"), 10 / 365.25)
    with pytest.raises(QuantityError, match="no unit"):
        parse_age("34")
    assert parse_area("4 cm2") == 4
    assert parse_fraction("85%") == 0.85
    assert parse_fraction("85") == 0.85
    assert parse_fraction("0.85") == 0.85
    for bad in ("1", "150%", "0%", "-5%", "abc"):
        with pytest.raises(QuantityError):
            parse_fraction(bad)


from mscdose.errors import MscdoseError  # noqa: E402

unit_text = st.one_of(
    st.text(max_size=20),
    st.lists(
        st.sampled_from(
            [
                "70",
                "0.5",
                "-",
                " ",
                "kg",
                "g",
                "lb",
                "cm",
                "m",
                "in",
                "mL",
                "%",
                "e",
                "1",
                "/",
                "*",
                "**",
                "(",
                ")",
                "y",
                "mo",
                "d",
                "nan",
                "inf",
                "cells",
                "²",
            ]
        ),
        max_size=6,
    ).map("".join),
)


@settings(max_examples=300)
@given(unit_text)
def test_no_exception_but_ours_for_any_quantity(text: str) -> None:
    for parse in (
        parse_weight,
        parse_height,
        parse_bsa,
        parse_volume,
        parse_area,
        parse_age,
        parse_fraction,
    ):
        try:
            value = parse(text)
        except MscdoseError:
            continue
        assert math.isfinite(value) and value > 0


@settings(max_examples=1000)
@given(st.text(alphabet="0123456789.+-eE _\t٣²x", max_size=8))
def test_a_bare_number_is_read_as_its_pattern_reads_it(text: str) -> None:
    # _bare's shortcut for plain decimals must agree with the pattern it stands in for
    from mscdose.text import units

    m = units._NUMBER.match(text)
    assert units._bare(text) == (float(m.group(1)) if m else None)


# --- our registry against pint's reading of the same definitions ---------------------------

_NAMES = sorted(units.units())
_BASES = {"mass": "kg", "length": "m", "time": "day", "cells": "cell"}


def _target(dims: tuple[tuple[str, int], ...]) -> str:
    return " * ".join(f"{_BASES[d]} ** {e}" for d, e in dims) or "1"


@settings(max_examples=300, deadline=None)
@given(
    st.floats(min_value=1e-3, max_value=1e4),
    st.sampled_from(_NAMES),
    st.sampled_from(["", "2", "^2", "3", "^3"]),
    st.one_of(st.none(), st.sampled_from(_NAMES)),
    st.one_of(st.none(), st.sampled_from(_NAMES)),
)
def test_our_registry_reads_units_as_pint_does(
    magnitude: float, name: str, power: str, second: str | None, per: str | None
) -> None:
    """Every name, power, product and quotient the quantity pattern admits: what we read,
    pint reads from the same definitions, with the same value in base units. (pint reads a
    few plurals more: 'mins', 'lbss'; we keep to the names defined.)"""
    import pint

    assume(not (power and name[-1] in "23²"))  # 'cm2^3' is no one's unit
    text = (f"{second} " if second else "") + name + power + (f"/{per}" if per else "")
    try:
        ours: tuple[float, tuple[tuple[str, int], ...]] | None = units._unit(text)
    except KeyError:
        ours = None
    try:
        theirs = units.registry().Quantity(magnitude, text)
    except (pint.UndefinedUnitError, pint.DefinitionSyntaxError, AttributeError, ValueError):
        theirs = None
    if ours is not None:
        assert theirs is not None, text
        value = theirs.to(_target(ours[1])).magnitude
        assert math.isclose(magnitude * ours[0], value, rel_tol=1e-9), text


def test_registry_builds_without_pint() -> None:
    """Reading '70 kg' must not import pint: that import is what a typed unit cost."""
    import subprocess
    import sys

    code = (
        "import sys; from mscdose.text.units import parse_weight, parse_rate; "
        "parse_weight('70 kg'); parse_rate('60 mL/h'); print('pint' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
