"""Conversions: per-kg ⇄ per-patient ⇄ per-m², viability, concentration × volume."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from mscdose.dose.conversion import convert, make_patient
from mscdose.text.grammar import parse_dose


def test_label_dose_for_a_70_kg_adult() -> None:
    # Ryoncil/Temcell label dose 2 × 10⁶/kg: 2e6 × 70 = 1.4e8 cells
    c = convert(parse_dose("2x10^6 cells/kg"), make_patient(weight_kg=70))
    assert c.per_patient is not None and c.per_patient.low == 1.4e8
    assert c.steps == ["2 × 10⁶ cells/kg × 70 kg = 1.4 × 10⁸ cells"]


def test_preterm_infant_793_g() -> None:
    # Chang 2014 BPD: 1 × 10⁷/kg intratracheal; mean birth weight 793 g → 7.93 × 10⁶ cells
    c = convert(parse_dose("1x10^7/kg"), make_patient(weight_kg=0.793))
    assert c.per_patient is not None
    assert math.isclose(c.per_patient.low, 7.93e6)


def test_per_patient_to_per_kg() -> None:
    # source article: 3 × 10⁷ per patient; at 60 kg that is 5 × 10⁵/kg
    c = convert(parse_dose("3x10^7 per patient"), make_patient(weight_kg=60))
    assert c.per_kg is not None and math.isclose(c.per_kg.low, 5e5)


def test_per_m2_with_mosteller() -> None:
    c = convert(parse_dose("2e6/kg"), make_patient(weight_kg=70, height_cm=170))
    bsa = math.sqrt(170 * 70 / 3600)
    assert c.per_m2 is not None and math.isclose(c.per_m2.low, 1.4e8 / bsa)
    assert any("Mosteller" in s for s in c.steps)


def test_viability_and_concentration() -> None:
    c = convert(parse_dose("5 x 10^7 cells"), viability=0.85)
    assert c.viable_per_patient is not None and math.isclose(c.viable_per_patient.low, 4.25e7)
    v = convert(parse_dose("4e7 viable cells"), viability=0.8)
    assert v.total_per_patient is not None and math.isclose(v.total_per_patient.low, 5e7)
    # Ryoncil vial: 6.68 × 10⁶ MSC/mL × 3.8 mL ≈ 2.54 × 10⁷
    r = convert(parse_dose("6.68x10^6 cells/mL"), volume_ml=3.8)
    assert r.per_patient is not None and math.isclose(r.per_patient.low, 6.68e6 * 3.8)


def test_missing_inputs_are_null_not_errors() -> None:
    c = convert(parse_dose("2e6/kg"))
    assert c.per_patient is None and c.per_m2 is None and c.per_kg is not None
    assert "--weight" in c.steps[0]
    m = convert(parse_dose("1e7/mL"))
    assert m.per_patient is None and "--volume" in m.steps[0]
    a = convert(parse_dose("2.5e6/cm2"), area_cm2=4)
    assert a.per_patient is not None and a.per_patient.low == 1e7


def test_ranges_carry_through() -> None:
    c = convert(parse_dose("(1.0-1.5)x10^7/kg"), make_patient(weight_kg=20))
    assert c.per_patient is not None
    assert (c.per_patient.low, c.per_patient.high) == (2e8, 3e8)


doses = st.floats(min_value=1e3, max_value=1e9)
weights = st.floats(min_value=0.3, max_value=300)


@given(doses, weights)
def test_per_kg_round_trip(dose: float, weight: float) -> None:
    from mscdose.models import Dose

    c = convert(Dose(low=dose, high=dose, basis="per_kg"), make_patient(weight_kg=weight))
    assert c.per_patient is not None
    back = convert(
        Dose(low=c.per_patient.low, high=c.per_patient.high), make_patient(weight_kg=weight)
    )
    assert back.per_kg is not None and math.isclose(back.per_kg.low, dose, rel_tol=1e-12)


@given(doses, weights, weights)
def test_total_is_monotone_in_weight(dose: float, w1: float, w2: float) -> None:
    from mscdose.models import Dose

    d = Dose(low=dose, high=dose, basis="per_kg")
    a = convert(d, make_patient(weight_kg=min(w1, w2))).per_patient
    b = convert(d, make_patient(weight_kg=max(w1, w2))).per_patient
    assert a is not None and b is not None and a.low <= b.low


def test_dmso_and_volume_per_kg() -> None:
    # msc-dose-facts 4d: 10 mL at 10% DMSO ≈ 10 × 0.10 × 1.1 = 1.1 g → 0.11 g/kg for 10 kg
    c = convert(parse_dose("2e6/kg"), make_patient(weight_kg=10), volume_ml=10, dmso=0.1)
    assert c.volume_ml_per_kg == 1.0
    assert c.dmso_g is not None and math.isclose(c.dmso_g, 1.1)
    assert c.dmso_g_per_kg is not None and math.isclose(c.dmso_g_per_kg, 0.11)
    # the same bag for a 793 g infant: 1.1 / 0.793 = 1.39 g/kg, above 1 g/kg/day
    infant = convert(parse_dose("2e6/kg"), make_patient(weight_kg=0.793), volume_ml=10, dmso=0.1)
    assert "above the 1 g/kg/day limit" in infant.steps[-1]
    assert "give --volume" in convert(parse_dose("1e8"), dmso=0.1).steps[-1]


def test_preterm_is_below_1500_g() -> None:
    # very low birth weight (< 1.5 kg) is read as preterm; 1.5 kg and more is not, by weight alone
    from mscdose.dose.conversion import infer_population

    assert infer_population(None, 0.793) == "preterm"  # Chang 2014's mean birth weight
    assert infer_population(None, 1.2) == "preterm"
    assert infer_population(None, 1.49) == "preterm"
    assert infer_population(None, 1.5) is None
