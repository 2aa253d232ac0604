"""The Python API validates its arguments as the command line does (issue 16.4): plausible
ranges, units in texts, pint Quantities, "85 means 85%?" refusals, and nothing but
MscdoseError for bad input, whatever the value and its type."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mscdose
from mscdose import MscdoseError, batch, check, convert, extract, load_table, parse_dose, regimen
from mscdose.models import Dose
from mscdose.text.units import registry

Q = registry().Quantity


# --- the probes of issue 16.4: each was a silently wrong answer or a foreign exception ------

REFUSED: list[tuple[str, Any, str]] = [
    ("margin nan", lambda: check("2e9", "iv", indication="gvhd", margin=float("nan")), "margin"),
    ("margin negative", lambda: check("2e6/kg", "iv", weight_kg=70, margin=-0.2), "margin"),
    ("margin 20", lambda: check("2e6/kg", "iv", weight_kg=70, margin=20), "20%"),
    ("weight negative", lambda: convert("2e6/kg", weight_kg=-70), "above zero"),
    ("weight zero", lambda: convert("2e6/kg", weight_kg=0), "above zero"),
    ("weight 793", lambda: convert("2e6/kg", weight_kg=793), "793.0 g"),
    ("weight inf", lambda: convert("2e6/kg", weight_kg=math.inf), "finite"),
    ("weight huge int", lambda: convert("2e6/kg", weight_kg=10**400), "too large"),
    ("weight bool", lambda: convert("2e6/kg", weight_kg=True), "number"),
    ("weight list", lambda: convert("2e6/kg", weight_kg=[70]), "number"),
    ("weight a length", lambda: convert("2e6/kg", weight_kg="70 cm"), "not a weight"),
    ("weight a pint length", lambda: convert("2e6/kg", weight_kg=Q(70, "cm")), "weight"),
    ("viability 85", lambda: convert("2e8", viability=85), "did you mean 85%"),
    ("viability 0", lambda: convert("2e8", viability=0), "above zero"),
    ("viability 150%", lambda: convert("2e8", viability="150%"), "0–100%"),
    ("route None", lambda: check("2e6/kg", None), "route must be a text"),  # type: ignore[arg-type]
    ("route 42", lambda: check("2e6/kg", 42), "route must be a text"),  # type: ignore[arg-type]
    ("dose None", lambda: convert(None), "dose must be"),  # type: ignore[arg-type]
    ("dose negative Dose", lambda: convert(Dose(low=-2e6, high=-2e6)), "not a dose"),
    ("dose backwards Dose", lambda: convert(Dose(low=2e6, high=1e6)), "not a dose"),
    ("height 0", lambda: convert("2e6/m2", weight_kg=70, height_cm=0), "above zero"),
    ("height 1.7", lambda: convert("2e6/m2", weight_kg=70, height_cm=1.7), "m?"),
    ("bsa 50", lambda: convert("2e6/m2", bsa_m2=50), "0.05–5"),
    ("volume nan", lambda: convert("2e6/mL", volume_ml=float("nan")), "finite"),
    ("volume 1e308", lambda: convert("2e6/mL", volume_ml=1e308), "outside"),
    ("rate 0", lambda: convert("1e8", volume_ml=10, rate_ml_per_min=0), "above zero"),
    ("age 300", lambda: check("2e6/kg", "iv", weight_kg=70, age_years=300), "0–125"),
    ("flag 'no'", lambda: check("2e6/kg", "iv", include_unconfirmed="no"), "True or False"),  # type: ignore[arg-type]
    ("table 42", lambda: check("2e6/kg", "iv", table=42), "table path"),  # type: ignore[arg-type]
    ("schedule 4", lambda: check("2e6/kg", "iv", schedule=4), "schedule must be"),  # type: ignore[arg-type]
    ("extract bytes", lambda: extract(b"2e6/kg"), "text"),  # type: ignore[arg-type]
    ("regimen start 5", lambda: regimen("2e6/kg", "once", start=5), "start"),  # type: ignore[arg-type]
    ("batch a text", lambda: batch("2e6/kg,iv"), "iterable"),
    ("batch a flag", lambda: batch([], include_unconfirmed=1), "True or False"),  # type: ignore[arg-type]
]


@pytest.mark.parametrize(("name", "call", "fragment"), REFUSED, ids=[r[0] for r in REFUSED])
def test_bad_arguments_are_refused_with_our_error(name: str, call: Any, fragment: str) -> None:
    with pytest.raises(MscdoseError) as info:
        call()
    assert fragment in str(info.value)


def test_units_and_quantities_are_read_as_the_options_read_them() -> None:
    expected = convert("2e6/kg", weight_kg=0.793).per_patient
    assert convert("2e6/kg", weight_kg="793 g").per_patient == expected
    assert convert("2e6/kg", weight_kg=Q(793, "g")).per_patient == expected
    assert convert("2e6/kg", weight_kg=Decimal("0.793")).per_patient == expected
    # a Quantity from pint's default registry, not ours
    import pint

    default = pint.UnitRegistry()
    assert convert("2e6/kg", weight_kg=default.Quantity(1.748, "lb")).per_patient is not None
    m2 = convert("2e6/m2", weight_kg=70, height_cm=Q(1.7, "m")).per_m2
    assert m2 == convert("2e6/m2", weight_kg=70, height_cm="170 cm").per_m2
    assert convert("2e8", viability="85%").viable_per_patient == (
        convert("2e8", viability=0.85).viable_per_patient
    )
    slow = convert("1e8", volume_ml="100 mL", rate_ml_per_min="60 mL/h")
    assert slow.infusion_min == pytest.approx(100)
    assert convert("1e8", volume_ml=100, rate_ml_per_min=Q(1, "mL/min")).infusion_min == 100
    within = check("2e6/kg", "iv", indication="gvhd", weight_kg="154 lb", margin="0%")
    assert within.verdict == "within"
    assert check("2e6/kg", "iv", weight_kg=70, age_years="34y").patient is not None


def test_margin_zero_and_a_fraction() -> None:
    base = check("9.5e6/kg", "iv", indication="gvhd", weight_kg=70)
    assert base.verdict == "above"
    assert check("9.5e6/kg", "iv", indication="gvhd", weight_kg=70, margin=0).verdict == "above"
    wide = check("9.5e6/kg", "iv", indication="gvhd", weight_kg=70, margin=0.2)
    assert wide.verdict == "within" and wide.within_only_with_margin
    assert check("9.5e6/kg", "iv", indication="gvhd", weight_kg=70, margin="20%") == wide


# --- any value of any type, in every argument of every public function ----------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**500), max_value=10**500),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=3),
    st.complex_numbers(max_magnitude=1e6),
    st.text(max_size=12),
    st.sampled_from(["70 kg", "793 g", "85%", "0.85", "iv", "gvhd", "weekly x4", "2e6/kg", "-"]),
    st.binary(max_size=4),
    st.dates(),
    st.builds(
        lambda m, u: Q(m, u),
        st.floats(-1e3, 1e3),
        st.sampled_from(["kg", "g", "cm", "m", "mL", "L", "day", "year", "mL/min", "m2", "cells"]),
    ),
    st.builds(Dose.model_construct, low=st.floats(), high=st.floats()),
)
anything = st.one_of(
    scalars,
    st.lists(scalars, max_size=2),
    st.dictionaries(st.text(max_size=3), scalars, max_size=2),
)

# every keyword of every public function, with a value that is valid on its own
VALID: dict[str, dict[str, Any]] = {
    "parse_dose": {"text": "2e6/kg"},
    "convert": {
        "dose": "2e6/kg",
        "weight_kg": 70,
        "height_cm": 170,
        "bsa_m2": None,
        "viability": 0.85,
        "volume_ml": 10,
        "area_cm2": None,
        "vial": "5e7 cells",
        "vial_volume_ml": 5,
        "rate_ml_per_min": 2,
    },
    "check": {
        "dose": "2e6/kg",
        "route": "iv",
        "indication": "gvhd",
        "source": None,
        "weight_kg": 70,
        "height_cm": None,
        "bsa_m2": None,
        "age_years": 40,
        "population": None,
        "viability": 0.9,
        "margin": 0.0,
        "include_unconfirmed": False,
        "table": None,
        "volume_ml": 50,
        "dmso": 0.05,
        "rate_ml_per_min": 2,
        "donor_age": None,
        "schedule": "weekly x4",
        "sex": None,
        "area_cm2": None,
    },
    "regimen": {
        "dose": "2e6/kg",
        "schedule": "weekly x4",
        "weight_kg": 20,
        "height_cm": None,
        "bsa_m2": None,
        "start": "2026-12-01",
        "route": "iv",
        "vial": None,
        "vial_volume_ml": None,
    },
    "extract": {"text": "2 × 10⁶ cells/kg"},
    "load_table": {"path": None},
}
FUNCTIONS = {
    "parse_dose": lambda kw: parse_dose(kw["text"]),
    "convert": lambda kw: convert(**kw),
    "check": lambda kw: check(**kw),
    "regimen": lambda kw: regimen(**kw),
    "extract": lambda kw: extract(kw["text"]),
    "load_table": lambda kw: load_table(kw["path"]),
}
ARGUMENTS = [(f, k) for f, kws in VALID.items() for k in kws]


def _call(function: str, kwargs: dict[str, Any]) -> None:
    try:
        result = FUNCTIONS[function](kwargs)
    except MscdoseError:
        return
    assert hasattr(result, "model_dump") or hasattr(result, "rows"), result


@pytest.mark.parametrize(("function", "argument"), ARGUMENTS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=anything)
def test_any_value_in_any_argument_gives_a_result_or_our_error(
    function: str, argument: str, value: Any
) -> None:
    _call(function, {**VALID[function], argument: value})


def test_every_public_function_is_fuzzed() -> None:
    fuzzed = set(VALID) | {"batch"}
    public = {n for n in mscdose.__all__ if callable(getattr(mscdose, n)) and n[0].islower()}
    assert public <= fuzzed, public - fuzzed
    import inspect

    for name, kwargs in VALID.items():
        assert set(inspect.signature(getattr(mscdose, name)).parameters) == set(kwargs), name


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.dictionaries(
                st.sampled_from(
                    [
                        "dose",
                        "route",
                        "indication",
                        "weight",
                        "viability",
                        "age",
                        "volume",
                        "rate",
                        "schedule",
                        "height",
                        "x",
                    ]
                ),
                scalars,
                max_size=5,
            ),
            scalars,
        ),
        max_size=4,
    ),
    anything,
)
def test_batch_takes_any_rows(rows: list[Any], unconfirmed: Any) -> None:
    try:
        results = list(batch(rows, include_unconfirmed=unconfirmed))
    except MscdoseError:
        return
    assert [r.row for r in results] == list(range(1, len(rows) + 1))


def test_batch_reads_records_like_rows() -> None:
    import dataclasses
    from collections import namedtuple

    Row = namedtuple("Row", "dose route indication weight")

    @dataclasses.dataclass
    class Case:
        dose: str
        route: str
        weight: float | None

    results = list(
        batch(
            [
                {"dose": "2e6/kg", "route": "iv", "indication": "gvhd", "weight": 70},
                Row("2e6/kg", "iv", "gvhd", 70.0),
                Case("1e8", "iv", float("nan")),  # NaN is pandas' empty cell: left out
                {"dose": "2X107", "route": "iv"},
                5,
            ]
        )
    )
    assert [r.ok for r in results] == [True, True, True, False, False]
    assert results[4].error is not None and "mapping" in results[4].error
    assert results[0].verdict == results[1].verdict == "within"
    assert results[3].error is not None and "superscript" in results[3].error


def test_regimen_matches_the_command() -> None:
    plan = regimen(
        ["2e6/kg", "6e6/kg"], "days 0,21", weight_kg=Q(20, "kg"), start=dt.date(2026, 12, 1)
    )
    assert [a.date.low for a in plan.administrations if a.date] == [
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 22),
    ]
    assert plan.total_cells is not None and plan.total_cells.high == 1.6e8


@pytest.mark.parametrize("function", sorted(VALID))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_values_in_all_arguments_at_once(function: str, data: st.DataObject) -> None:
    kwargs = {
        k: data.draw(st.one_of(st.just(v), anything), label=k) for k, v in VALID[function].items()
    }
    _call(function, kwargs)
