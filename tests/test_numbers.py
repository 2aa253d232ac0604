"""Safe display (ISMP): significant figures, no trailing zeros, a leading zero, no bare '106'."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mscdose.text.display import format_count, format_dose, format_quantity, format_range

T = TypeVar("T")

CASES = [
    (1.4e8, "1.4 × 10⁸", "1.4x10^8"),
    (2e6, "2 × 10⁶", "2x10^6"),  # never "2.0 × 10⁶" (trailing zero)
    (1.586e6, "1.59 × 10⁶", "1.59x10^6"),  # 3 significant figures
    (9.996e6, "1 × 10⁷", "1x10^7"),  # rounding carries into the exponent
    (7.93e6, "7.93 × 10⁶", "7.93x10^6"),
    (3e4, "3 × 10⁴", "3x10^4"),
    (4500, "4,500", "4,500"),
    (0.5, "0.5", "0.5"),  # leading zero
    (1e14, "1 × 10¹⁴", "1x10^14"),
    (float("nan"), "nan", "nan"),
    (float("inf"), "inf", "inf"),
    (0.0, "0", "0"),
]


@pytest.mark.parametrize(("value", "unicode", "ascii"), CASES)
def test_format_count(value: float, unicode: str, ascii: str) -> None:
    assert format_count(value) == unicode
    assert format_count(value, ascii=True) == ascii


def test_format_range_and_dose() -> None:
    assert format_range(1e7, 1.5e7) == "1 × 10⁷ – 1.5 × 10⁷"
    assert format_range(2e6, 2e6) == "2 × 10⁶"
    assert format_dose(2e6, 2e6, "per_kg") == "2 × 10⁶ cells/kg"
    assert format_dose(5e7, 5e7, "per_m2", "viable", ascii=True) == "5x10^7 viable cells/m2"


@pytest.mark.parametrize(
    ("value", "text"), [(70.0, "70"), (0.793, "0.793"), (1.8181, "1.82"), (170.18, "170")]
)
def test_format_quantity(value: float, text: str) -> None:
    assert format_quantity(value) == text


@given(st.floats(min_value=1e4, max_value=1e14))
def test_display_never_has_a_bare_power_of_ten(value: float) -> None:
    text = format_count(value)
    assert "× 10" in text and " 10" in text
    mantissa = text.split(" × ")[0]
    assert not mantissa.endswith(".0") and not mantissa.startswith(".")
    # three significant figures: within half a unit of the third digit
    parsed = float(mantissa) * 10 ** int(format_count(value, ascii=True).split("^")[1])
    assert math.isclose(parsed, value, rel_tol=5e-3)


# --- counts in words (--words) -----------------------------------------------------------------


def _in_words(fn: Callable[[], T]) -> T:
    """Run ``fn`` with counts in words, in a context of its own (as cli.main runs a command)."""
    import contextvars

    from mscdose.text.display import use_words

    def inner() -> T:
        use_words()
        return fn()

    return contextvars.copy_context().run(inner)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1.4e8, "140 million"),
        (2.5384e7, "25.4 million"),
        (7.93e6, "7.93 million"),
        (4e5, "400 thousand"),
        (9.996e5, "1 million"),
        (1e10, "10 billion"),
        (1e14, "100 trillion"),
        (4500, "4,500"),
    ],
)
def test_counts_in_words(value: float, text: str) -> None:
    assert _in_words(lambda: format_count(value)) == text
    assert format_count(value) != text or value < 1e4  # outside the context: powers of ten


@given(st.floats(min_value=1e4, max_value=1e14))
def test_counts_in_words_read_back(value: float) -> None:
    from mscdose.text.grammar import parse_dose

    text = _in_words(lambda: format_count(value))
    assert parse_dose(text + " cells").low == pytest.approx(value, rel=5e-3)  # 3 figures


def test_words_last_one_command() -> None:
    from tests.conftest import run_cli

    assert "140 million cells" in run_cli("convert", "2e6/kg", "--weight", "70", "--words").stdout
    assert "1.4 × 10⁸ cells" in run_cli("convert", "2e6/kg", "--weight", "70").stdout


@pytest.mark.parametrize(
    "args",
    [
        ["check", "2e6/kg", "--route", "iv", "--indication", "gvhd", "--weight", "70"],
        ["regimen", "2e6/kg", "--schedule", "weekly x4", "--weight", "70"],
    ],
)
def test_words_on_check_and_regimen(args: list[str]) -> None:
    from tests.conftest import run_cli

    shown = run_cli(*args, "--words", expect=None).stdout
    assert "140 million cells" in shown and "× 10" not in shown.split("Reported doses")[0]
