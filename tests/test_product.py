"""Vials and bags (``--vial``), the volume drawn, the infusion time (``--rate``).

The label figures are from msc-dose-facts.md section 5 (Ryoncil: 6.68 × 10⁶ MSC/mL, 3.8 mL a
vial; Temcell: 72 × 10⁶ cells a bag; Alofisel: 4 vials × 30 × 10⁶ in 6 mL) and field-notes.md
3.4 (a 20 kg child on Ryoncil: 4 × 10⁷ a dose, 1.6 → 2 vials, 3.2 × 10⁸ over 8 infusions).
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mscdose import convert
from mscdose.dose.conversion import LONG_INFUSION_MIN
from mscdose.dose.vials import vial_contents, vials_for, whole_vials
from mscdose.errors import InputError, QuantityError
from mscdose.models import Range
from mscdose.schedule.regimen import plan_regimen
from mscdose.text.grammar import parse_dose
from mscdose.text.units import parse_rate
from tests.conftest import assert_one_line_error, run_cli
from tests.test_cli_table import assert_matches_schema

RYONCIL = {"vial": "6.68e6 cells/mL", "vial_volume_ml": 3.8}


def test_ryoncil_vials_for_a_20_kg_child() -> None:
    c = convert("2x10^6 cells/kg", weight_kg=20, **RYONCIL)  # type: ignore[arg-type]
    v = c.vials
    assert v is not None
    assert math.isclose(v.vial.cells, 6.68e6 * 3.8)  # 2.5384 × 10⁷ a vial
    assert (v.count.low, v.count.high) == (2, 2)  # 4e7 / 2.5384e7 = 1.58
    assert math.isclose(v.left_over.high, 2 * 2.5384e7 - 4e7)
    assert v.draw_ml is not None and math.isclose(v.draw_ml.high, 4e7 / 6.68e6)  # 5.99 mL
    assert "4 × 10⁷ cells ÷ 2.54 × 10⁷ cells per vial = 1.58 → 2 vials" in c.steps[1]


def test_ryoncil_course_opens_two_vials_each_time() -> None:
    from mscdose.dose.conversion import make_patient

    p = plan_regimen(
        "2e6/kg",
        "twice weekly for 4 weeks",
        make_patient(weight_kg=20),
        vial=vial_contents(parse_dose("6.68e6 cells/mL"), 3.8),
    )
    assert p.total_cells is not None and math.isclose(p.total_cells.high, 3.2e8)
    assert [a.vials.high for a in p.administrations if a.vials] == [2] * 8
    assert p.total_vials is not None and (p.total_vials.low, p.total_vials.high) == (16, 16)
    assert "8 administrations × 2 vials = 16 vials in the course" in " ".join(p.steps)


def test_a_dose_that_fills_vials_exactly_opens_no_extra_one() -> None:
    # Alofisel: 120 × 10⁶ cells = 4 vials of 30 × 10⁶ in 6 mL
    c = convert("120e6 cells", vial="30e6 cells", vial_volume_ml=6)
    assert c.vials is not None
    assert (c.vials.count.high, c.vials.left_over.high) == (4, 0.0)
    assert c.vials.draw_ml == Range(low=24.0, high=24.0)
    assert "= 4 vials; 0 cells left over" in c.steps[0]


def test_temcell_bags_for_an_adult_and_a_range() -> None:
    c = convert("2e6/kg", weight_kg=70, vial="72e6 cells")  # 1.4e8 / 7.2e7 = 1.94
    assert c.vials is not None and c.vials.count.high == 2
    assert math.isclose(c.vials.left_over.high, 2 * 7.2e7 - 1.4e8)
    assert c.vials.draw_ml is None  # no bag volume given: no volume invented
    r = convert("1-2e6/kg", weight_kg=70, vial="72e6 cells")  # 7e7 → 1 bag, 1.4e8 → 2
    assert r.vials is not None and (r.vials.count.low, r.vials.count.high) == (1, 2)
    assert "(low end) and" in r.steps[1]


def test_viable_dose_from_vials_counted_in_total_cells() -> None:
    no = convert("2e6 viable cells/kg", weight_kg=70, vial="72e6 cells")
    assert no.vials is None
    assert any("give --viability to count vials" in s for s in no.steps)
    yes = convert("2e6 viable cells/kg", weight_kg=70, vial="72e6 cells", viability=0.8)
    # 1.4e8 viable ÷ 80% = 1.75e8 cells in total; / 7.2e7 = 2.43 → 3 bags
    assert yes.vials is not None and yes.vials.count.high == 3
    assert math.isclose(yes.vials.left_over.high, 3 * 7.2e7 - 1.4e8 / 0.8)


def test_no_cells_per_administration_no_vials() -> None:
    c = convert("2e6/kg", vial="72e6 cells")
    assert c.vials is None
    assert "vials: not counted without the cells per administration" in c.steps


@pytest.mark.parametrize(
    ("vial", "volume", "fragment"),
    [
        ("1-2e7 cells", None, "not a range"),
        ("2e6/kg", None, "not a dose per kg"),
        ("6.68e6 cells/mL", None, "needs its volume"),
    ],
)
def test_vials_that_cannot_be_read(vial: str, volume: float | None, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        vial_contents(parse_dose(vial), volume)


def test_infusion_time_and_the_long_infusion_note() -> None:
    short = convert("120e6 cells", volume_ml=24, rate_ml_per_min=parse_rate("60 mL/h"))
    assert short.infusion_min == 24.0
    assert short.steps[-1] == "24 mL ÷ 1 mL/min = 24 min"
    long = convert("120e6 cells", volume_ml=24, rate_ml_per_min=0.2)  # 120 min > 90
    assert long.infusion_min == 120.0 > LONG_INFUSION_MIN
    assert "BMRAT 2024" in long.steps[-1]
    missing = convert("120e6 cells", rate_ml_per_min=4)
    assert missing.infusion_min is None
    assert "infusion time: give --volume (the volume infused)" in missing.steps


@pytest.mark.parametrize(
    ("text", "ml_per_min"),
    [("4 mL/min", 4.0), ("60 mL/h", 1.0), ("60 ml / hr", 1.0), ("1 L/h", 1000 / 60)],
)
def test_rates(text: str, ml_per_min: float) -> None:
    assert math.isclose(parse_rate(text), ml_per_min)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("4", "has no unit"),
        ("4 mL", "is not a rate"),
        ("4 kg/min", "is not a rate"),
        ("0 mL/min", "above zero"),
        ("1e300 mL/min", "outside what an infusion runs at"),
        ("0.01 mL/h", "outside what an infusion runs at"),
    ],
)
def test_rates_refused(text: str, fragment: str) -> None:
    with pytest.raises(QuantityError, match=fragment):
        parse_rate(text)


# --- the rounding, as properties -------------------------------------------------------------

counts = st.floats(min_value=1.0, max_value=1e12)
per_vial = st.floats(min_value=1e3, max_value=1e10)


@given(counts, per_vial)
def test_whole_vials_hold_the_dose_and_no_vial_is_spare(cells: float, each: float) -> None:
    n = whole_vials(cells, each)
    assert n * each >= cells * (1 - 1e-9)  # enough (to the tolerance for an exact fill)
    assert (n - 1) * each < cells  # and one fewer would not be


@given(st.integers(min_value=1, max_value=10_000), per_vial)
def test_an_exact_fill_opens_exactly_that_many(k: int, each: float) -> None:
    assert whole_vials(k * each, each) == k


@given(counts, counts, per_vial)
def test_more_cells_never_need_fewer_vials(a: float, b: float, each: float) -> None:
    low, high = sorted((a, b))
    assert whole_vials(low, each) <= whole_vials(high, each)


@given(counts, counts, per_vial, st.none() | st.floats(min_value=0.1, max_value=500))
def test_what_is_left_over_is_less_than_a_vial(
    a: float, b: float, each: float, volume: float | None
) -> None:
    low, high = sorted((a, b))
    vial = vial_contents(parse_dose(f"{each!r} cells"), volume)
    v = vials_for(Range(low=low, high=high), vial)
    for left in (v.left_over.low, v.left_over.high):
        assert 0 <= left < each
    assert v.count.low <= v.count.high
    if volume is not None:
        assert v.draw_ml is not None and v.draw_ml.high <= v.count.high * volume * (1 + 1e-9)


# --- through the CLI -----------------------------------------------------------------------


def test_convert_vials_people_and_json() -> None:
    args = [
        "convert",
        "2e6/kg",
        "--weight",
        "20",
        "--vial",
        "6.68e6 cells/mL",
        "--vial-volume",
        "3.8 mL",
    ]
    shown = run_cli(*args).stdout
    assert "2 (each 2.54 × 10⁷ cells)" in shown and "5.99 mL" in shown
    doc = run_cli(*args, "--json").json()
    assert doc["vials"]["count"] == {"low": 2, "high": 2}
    assert doc["vials"]["vial"] == {"cells": 6.68e6 * 3.8, "kind": "total", "volume_ml": 3.8}
    assert_matches_schema(doc, "convert")


def test_regimen_vials_json_matches_its_schema() -> None:
    doc = run_cli(
        "regimen",
        "2e6/kg",
        "--schedule",
        "weekly x4",
        "--weight",
        "70",
        "--vial",
        "72e6 cells",
        "--json",
    ).json()
    assert doc["total_vials"] == {"low": 8, "high": 8}  # 1.4e8 / 7.2e7 = 1.94 → 2, × 4
    assert [a["vials"] for a in doc["administrations"]] == [{"low": 2, "high": 2}] * 4
    assert_matches_schema(doc, "regimen")


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--vial-volume", "3.8 mL"], "--vial-volume needs --vial"),
        (["--vial", "6.68e6 cells/mL"], "needs its volume"),
        (["--vial", "2e6/kg"], "not a dose per kg"),
        (["--rate", "4"], "has no unit"),
        (["--vial", "abc"], "--vial: cannot read 'abc' as a dose"),
    ],
)
def test_convert_refusals(args: list[str], fragment: str) -> None:
    assert_one_line_error(run_cli("convert", "2e6/kg", "--weight", "20", *args, expect=2), fragment)


# --- the long infusion in check and batch ----------------------------------------------------


def _codes(*extra: str) -> list[str]:
    doc = run_cli(
        "check",
        "2e6/kg",
        "--route",
        "iv",
        "--indication",
        "gvhd",
        "--weight",
        "70",
        "--volume",
        "100 mL",
        *extra,
        "--json",
    ).json()
    return [w["code"] for w in doc["warnings"]]


def test_check_flags_an_infusion_longer_than_90_minutes() -> None:
    assert "LONG_INFUSION" in _codes("--rate", "60 mL/h")  # 100 mL at 1 mL/min: 100 min
    assert "LONG_INFUSION" not in _codes("--rate", "4 mL/min")  # 25 min
    assert "LONG_INFUSION" not in _codes()  # no rate: no time


def test_batch_reads_a_rate_column() -> None:
    rows = (
        "dose,route,indication,weight,volume,rate\n"
        "2e6/kg,iv,gvhd,70,100 mL,60 mL/h\n"
        "2e6/kg,iv,gvhd,70,100 mL,4 mL/min\n"
        "2e6/kg,iv,gvhd,70,100 mL,4\n"
    )
    out = run_cli("batch", "-", stdin=rows, expect=1).stdout.splitlines()  # a row invalid
    import json

    first, second, third = (json.loads(line) for line in out)
    assert "LONG_INFUSION" in first["warning_codes"]
    assert "LONG_INFUSION" not in second["warning_codes"]
    assert third["ok"] is False and "has no unit" in third["error"]


@pytest.mark.parametrize(("vial", "volume"), [("6.68e6 cells/mL", 1e308), ("1 cells/mL", 1e-3)])
def test_a_vial_that_is_not_a_product(vial: str, volume: float) -> None:
    with pytest.raises(InputError, match="is not a product"):
        vial_contents(parse_dose(vial), volume)


@given(
    st.sampled_from(["2e7 cells", "6.68e6 cells/mL", "3e7 viable cells", "1e5/kg"]),
    st.none() | st.floats(min_value=1e-300, max_value=1e308),
)
def test_vial_contents_raise_only_our_errors(vial: str, volume: float | None) -> None:
    from mscdose.errors import MscdoseError

    try:
        contents = vial_contents(parse_dose(vial), volume)
    except MscdoseError:
        return
    assert 1 <= contents.cells <= 1e14


@pytest.mark.parametrize(
    ("option", "text"),
    [("--volume", "1e308 mL"), ("--volume", "0.00001 mL"), ("--area", "1e9 cm2")],
)
def test_volumes_and_areas_no_product_has_are_refused(option: str, text: str) -> None:
    extra = ["--area", text] if option == "--area" else ["--volume", text]
    assert_one_line_error(
        run_cli(
            "convert",
            "2e6/cm2" if option == "--area" else "2e6/kg",
            "--weight",
            "0.2",
            *extra,
            "--json",
            expect=2,
        ),
        "is outside",
    )


# log-uniform, a little beyond the accepted ranges on both sides
_volumes = st.floats(min_value=-6, max_value=6).map(lambda e: 10.0**e)
_rates = st.floats(min_value=-5, max_value=5).map(lambda e: 10.0**e)


@given(
    _volumes | st.floats(min_value=1e-300, max_value=1e308),
    _rates,
    st.sampled_from(["2e6/kg", "1e7 cells/mL", "5e5/cm2", "1e14"]),
)
def test_convert_json_is_always_finite(volume: float, rate: float, dose: str) -> None:
    """Whatever quantities are accepted, the JSON holds no Infinity or NaN (invalid JSON)."""
    import json

    from mscdose.cli.options import vial_from_options
    from mscdose.dose.conversion import convert as convert_dose
    from mscdose.dose.conversion import make_patient
    from mscdose.errors import MscdoseError
    from mscdose.models import json_ready
    from mscdose.text.units import parse_area, parse_volume

    try:
        v, a, r = (
            parse_volume(f"{volume!r} mL"),
            parse_area(f"{volume!r} cm2"),
            parse_rate(f"{rate!r} mL/min"),
        )
        vial = vial_from_options("6.68e6 cells/mL", f"{volume!r} mL")
        result = convert_dose(
            parse_dose(dose),
            make_patient(weight_kg=0.2),
            volume_ml=v,
            area_cm2=a,
            dmso=1.0,
            vial=vial,
            rate_ml_per_min=r,
        )
    except MscdoseError:
        return
    json.dumps(json_ready(result), allow_nan=False)  # raises ValueError on inf or nan
