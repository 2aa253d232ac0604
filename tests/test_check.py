"""`check` against the bundled table: literature cases, edges, one test per warning rule.

Expected numbers come from msc-dose-facts.md (labels, section 2; studies, section 1) or
from arithmetic written next to them.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from mscdose.checking.compare import verdict_for
from mscdose.checking.report import CheckReport
from mscdose.checking.run import check
from mscdose.dose.conversion import make_patient
from mscdose.table.load import load_table
from mscdose.text.grammar import parse_dose
from mscdose.text.vocab import resolve_indication, resolve_route, resolve_source


def run(dose: str, route: str, indication: str | None = None, **kw: Any) -> CheckReport:
    patient_keys = ("weight_kg", "height_cm", "bsa_m2", "age_years", "population")
    patient = make_patient(**{k: kw.pop(k) for k in patient_keys if k in kw})
    source = kw.pop("source", None)
    return check(
        parse_dose(dose),
        resolve_route(route),
        load_table(),
        indication=resolve_indication(indication) if indication else None,
        source=resolve_source(source) if source else None,
        patient=patient,
        **kw,
    )


def codes(report: CheckReport) -> set[str]:
    return {w.code for w in report.warnings}


# Each label regimen of section 2, proposed at its own dose: within.
LABELS = [
    # dose, route, indication, weight, label row that must match
    ("2x10^6/kg", "IV", "steroid-refractory acute GVHD", 20, "ryoncil-label-sr-agvhd-pediatric"),
    ("2x10^6/kg", "IV", "acute GVHD", 60, "temcell-label-agvhd"),
    (
        "120 million cells",
        "intralesional",
        "perianal fistula",
        70,
        "alofisel-label-perianal-fistula",
    ),
    ("3x10^7", "intralesional", "perianal fistula", 70, "cupistem-label-crohns-fistula"),
    ("2x10^6/kg", "intramuscular", "critical limb ischemia", 70, "stempeucel-label-cli"),
    ("2.5x10^7", "intra-articular", "knee osteoarthritis", 70, "stempeucel-label-knee-oa"),
    ("2.5x10^6/cm2", "intra-articular", "cartilage defect", 70, "cartistem-label-cartilage-defect"),
    ("7x10^7", "intracoronary", "acute myocardial infarction", 70, "cellgram-ami-label"),
    ("1x10^6/kg", "intrathecal", "ALS", 70, "neuronata-r-label-per-kg"),
    ("1x10^8", "IV", "spinal cord injury", 70, "stemirac-label-sci"),
]


@pytest.mark.parametrize(("dose", "route", "indication", "weight", "row"), LABELS)
def test_label_regimens_are_within(
    dose: str, route: str, indication: str, weight: float, row: str
) -> None:
    report = run(dose, route, indication, weight_kg=weight)
    assert report.verdict == "within"
    assert report.compared_at == "indication_route"
    assert report.distance_fold == 1.0
    assert row in {m.id for m in report.matches if m.relation == "within"}


@pytest.mark.parametrize(("dose", "route", "indication", "weight", "row"), LABELS)
def test_ten_times_a_label_dose_is_above(
    dose: str, route: str, indication: str, weight: float, row: str
) -> None:
    d = parse_dose(dose)
    ten = f"{d.low * 10:g}" + {"per_kg": "/kg", "per_patient": "", "per_cm2": "/cm2"}[d.basis]
    report = run(ten, route, indication, weight_kg=weight)
    assert report.verdict == "above"
    assert report.reported is not None
    assert math.isclose(report.distance_fold or 0, d.low * 10 / report.reported.high)


def test_per_patient_proposal_against_per_kg_rows() -> None:
    # 1.4 × 10⁸ cells for 70 kg = 2 × 10⁶/kg, the label dose; IV GVHD rows are per kg:
    # Le Blanc 2008 0.4–9 × 10⁶/kg → 2.8 × 10⁷ – 6.3 × 10⁸ cells at 70 kg.
    report = run("1.4e8 cells", "IV", "GVHD", weight_kg=70)
    assert report.verdict == "within" and report.compared_at == "indication_route"
    assert report.reported is not None and report.reported.basis == "per_patient"
    assert math.isclose(report.reported.low, 0.4e6 * 70)
    assert math.isclose(report.reported.high, 9e6 * 70)


def test_no_weight_gives_no_data_with_the_route_as_context() -> None:
    # without a weight the per-kg GVHD rows cannot be compared; IV flat rows of other
    # indications (Weiss 2013 COPD 100 M ...) are context, never the verdict
    report = run("1.4e8 cells", "IV", "GVHD")
    assert report.verdict == "no_data"
    assert report.compared_at is None and report.reported is None
    assert report.context is not None and report.context.level == "route"
    assert "ROWS_NOT_COMPARED" in codes(report)


def test_a_row_that_cannot_be_compared_says_what_to_give() -> None:
    # per m² against per-kg GVHD rows: without a weight, ask for it; with one, ask for BSA
    notes = {m.note for m in run("1e8/m2", "IV", "GVHD").matches if m.relation == "not_comparable"}
    assert "cells/kg: give --weight to compare" in notes
    notes = {
        m.note
        for m in run("1e8/m2", "IV", "GVHD", weight_kg=70).matches
        if m.relation == "not_comparable"
    }
    assert "cells/kg: give --bsa, or --weight and --height to compare" in notes


def test_exactly_at_a_bound_is_within() -> None:
    # Le Blanc 2008: 0.4–9 × 10⁶/kg is the widest GVHD row
    assert run("0.4x10^6/kg", "IV", "GVHD", weight_kg=70).verdict == "within"
    assert run("9x10^6/kg", "IV", "GVHD", weight_kg=70).verdict == "within"


def test_range_straddling_the_top_is_above_and_partly_within() -> None:
    report = run("1e6-2e7/kg", "IV", "GVHD", weight_kg=70)
    assert report.verdict == "above"
    assert math.isclose(report.distance_fold or 0, 2e7 / 9e6)  # from the far end
    assert "PARTLY_WITHIN" in codes(report)


def test_below() -> None:
    report = run("1e5/kg", "IV", "GVHD", weight_kg=70)
    assert report.verdict == "below"
    assert math.isclose(report.distance_fold or 0, 0.4e6 / 1e5)


def test_margin_widens_the_verdict_and_says_so() -> None:
    # 1e7/kg is 1.11× the top of 9e6/kg: outside; with a 20% margin, within
    assert run("1e7/kg", "IV", "GVHD", weight_kg=70).verdict == "above"
    report = run("1e7/kg", "IV", "GVHD", weight_kg=70, margin=0.2)
    assert report.verdict == "within" and "MARGIN_APPLIED" in codes(report)


def test_weight_band_switches_the_label_dose() -> None:
    # Cellgram-AMI: ≤60 kg 5 × 10⁷; 61–80 kg 7 × 10⁷; >80 kg 9 × 10⁷ (section 2)
    assert run("5x10^7", "intracoronary", "AMI", weight_kg=50).verdict == "within"
    assert run("9x10^7", "intracoronary", "AMI", weight_kg=90).verdict == "within"
    report = run("9x10^7", "intracoronary", "AMI", weight_kg=70)
    assert report.verdict == "above" and "LABEL_BAND_OR_CAP" in codes(report)


def test_a_patient_on_a_band_edge_gets_the_lower_band() -> None:
    # Cellgram-AMI: "≤60 kg" 5 × 10⁷: at exactly 60 kg the 7 × 10⁷ of the 61–80 kg band is above
    from mscdose.table.row import WeightBand

    assert WeightBand(up_to_kg=60, dose=parse_dose("5e7")).contains(60)
    assert not WeightBand(above_kg=60, up_to_kg=80, dose=parse_dose("7e7")).contains(60)
    assert run("5x10^7", "intracoronary", "AMI", weight_kg=60).verdict == "within"
    assert run("7x10^7", "intracoronary", "AMI", weight_kg=60).verdict == "above"
    assert run("7x10^7", "intracoronary", "AMI", weight_kg=60.5).verdict == "within"


def test_label_cap_applies() -> None:
    # Stemirac: 0.5–2 × 10⁸ per dose, at most 3.34 × 10⁶/kg: 50 kg → 1.67 × 10⁸ at most
    report = run("2x10^8", "IV", "spinal cord injury", weight_kg=50)
    assert report.verdict == "above"
    assert report.reported is not None and math.isclose(report.reported.high, 3.34e6 * 50)
    assert "LABEL_BAND_OR_CAP" in codes(report)


def test_per_cm2_rows_are_not_comparable_with_a_flat_dose() -> None:
    report = run("1e8", "intra-articular", "cartilage defect", weight_kg=70)
    relations = {m.id: m.relation for m in report.matches}
    assert relations.get("cartistem-label-cartilage-defect", "not_comparable") == "not_comparable"


def test_unconfirmed_rows_set_bounds_only_when_asked() -> None:
    # D12 (5 × 10⁶/kg SR-aGVHD) is unconfirmed; D09 co-transplant 10 × 10⁶/kg too
    plain = run("1e7/kg", "IV", "hsct co-transplant", weight_kg=70)
    assert plain.verdict == "above"  # Ning 2008 and Lazarus 2005 reach 5 × 10⁶/kg
    assert "UNCONFIRMED_NOT_USED" in codes(plain)
    wide = run("1e7/kg", "IV", "hsct co-transplant", weight_kg=70, include_unconfirmed=True)
    assert wide.verdict == "within"


def test_broader_indication_finds_narrower_rows() -> None:
    report = run("0.5x10^6/kg", "IV", "liver failure", weight_kg=60)
    assert "shi-2012-hbv-aclf" in {m.id for m in report.matches}
    assert report.verdict == "within"


def test_no_data_anywhere() -> None:
    # nothing per mL can be compared with any row
    report = run("1e7/mL", "IV", "GVHD")
    assert report.verdict == "no_data"
    assert report.compared_at is None and report.reported is None and report.distance_fold is None


def test_verdict_arithmetic() -> None:
    assert verdict_for(1, 2, 1, 2) == ("within", 1.0)
    assert verdict_for(3, 3, 1, 2) == ("above", 1.5)
    assert verdict_for(0.5, 0.5, 1, 2) == ("below", 2.0)
    assert verdict_for(2.2, 2.2, 1, 2, margin=0.1)[0] == "within"


# --- one test per warning rule -----------------------------------------------------------


def test_low_viability() -> None:
    assert "LOW_VIABILITY" in codes(run("2e6/kg", "IV", "GVHD", weight_kg=70, viability=0.6))
    assert "VIABILITY_BELOW_SPEC" in codes(run("2e6/kg", "IV", "GVHD", weight_kg=70, viability=0.8))
    assert not {"LOW_VIABILITY", "VIABILITY_BELOW_SPEC"} & codes(
        run("2e6/kg", "IV", "GVHD", weight_kg=70, viability=0.9)
    )


def test_iv_lung_first_pass() -> None:
    assert "IV_LUNG_FIRST_PASS" in codes(run("2e6/kg", "IV", "GVHD", weight_kg=70))
    assert "IV_LUNG_FIRST_PASS" not in codes(run("2e7", "intrathecal", "cerebral palsy"))


def test_above_route_maximum_and_notation_slip() -> None:
    report = run("2x10^9/kg", "IV", "GVHD", weight_kg=70)  # 2×10⁶ with three zeros too many
    found = {w.code: w for w in report.warnings}
    assert found["ABOVE_ROUTE_MAXIMUM"].severity == "danger"
    assert "did you mean 2 × 10⁶ cells/kg" in found["LIKELY_NOTATION_SLIP"].message
    assert report.warnings[0].severity == "danger"  # most severe first
    # a lost exponent the other way: 2 cells/kg
    low = run("2/kg", "IV", "GVHD", weight_kg=70)
    assert (
        "did you mean 2 × 10⁶ cells/kg"
        in {w.code: w for w in low.warnings}["LIKELY_NOTATION_SLIP"].message
    )


def test_high_iv_dose() -> None:
    assert "IV_ABOVE_LABELS" in codes(run("5e6/kg", "IV", "GVHD", weight_kg=70))
    assert "IV_ABOVE_TRIAL_CEILING" in codes(run("2e7/kg", "IV", "GVHD", weight_kg=70))
    assert not {"IV_ABOVE_LABELS", "IV_ABOVE_TRIAL_CEILING"} & codes(
        run("2e6/kg", "IV", "GVHD", weight_kg=70)
    )


def test_preterm_per_kg_shows_the_absolute_count() -> None:
    # Chang 2014: 1 × 10⁷/kg intratracheal; 793 g → 7.93 × 10⁶ cells
    report = run("1x10^7/kg", "intratracheal", "BPD", weight_kg=0.793)
    assert report.verdict == "within"
    assert report.proposed.population == "preterm"  # inferred from the weight
    message = {w.code: w.message for w in report.warnings}["PER_KG_IN_NEONATE"]
    assert "7.93 × 10⁶ cells" in message


def test_tissue_factor_for_intravascular_uc_or_adipose() -> None:
    assert "INTRAVASCULAR_TISSUE_FACTOR" in codes(
        run("0.5e6/kg", "IV", "liver failure", weight_kg=60, source="UC")
    )
    assert "INTRAVASCULAR_TISSUE_FACTOR" not in codes(
        run("2e6/kg", "IV", "GVHD", weight_kg=60, source="bone marrow")
    )
    assert "INTRAVASCULAR_TISSUE_FACTOR" not in codes(
        run("1.2e8", "intralesional", "perianal fistula", source="adipose")
    )


def test_intrathecal_and_intracerebral_notes() -> None:
    child = run("2e7", "intrathecal", "cerebral palsy", population="pediatric")
    assert "general anaesthesia" in {w.code: w.message for w in child.warnings}["INTRATHECAL_AES"]
    assert "INTRACEREBRAL_PROCEDURE" in codes(run("2e7", "intracerebral", "cerebral palsy"))


def test_microvascular_obstruction() -> None:
    assert "MICROVASCULAR_OBSTRUCTION" in codes(run("7e7", "intracoronary", "AMI", weight_kg=70))


def test_cotransplant_relapse_signal() -> None:
    assert "COTRANSPLANT_RELAPSE" in codes(run("1e6/kg", "IV", "hsct co-transplant", weight_kg=70))


def test_old_donor() -> None:
    assert "OLD_DONOR" in codes(run("2e6/kg", "IV", "GVHD", weight_kg=70, donor_age=52))
    assert "OLD_DONOR" not in codes(run("2e6/kg", "IV", "GVHD", weight_kg=70, donor_age=30))


def test_gvhd_timing() -> None:
    assert "GVHD_TIMING" in codes(run("2e6/kg", "IV", "GVHD", weight_kg=70))
    assert "GVHD_TIMING" not in codes(run("1e8", "IV", "COPD"))


def test_a_source_with_no_rows_empties_the_match_and_says_so() -> None:
    # no GVHD row uses dental-pulp cells: no_data, the filter named, GVHD's other rows as context
    report = run("2e6/kg", "IV", "GVHD", weight_kg=70, source="dental pulp")
    assert report.verdict == "no_data"
    assert report.emptied_by == "source"
    assert report.context is not None and report.context.level == "indication_route"
    assert report.context.low <= 2e6 <= report.context.high


# --- schedules in check (issue 5) ----------------------------------------------------------


def _scheduled(schedule: str) -> CheckReport:
    from mscdose.schedule.grammar import parse_schedule

    return run(
        "2e6/kg",
        "IV",
        "steroid-refractory acute GVHD",
        weight_kg=20,
        schedule=parse_schedule(schedule),
    )


def test_label_schedule_raises_nothing() -> None:
    # Ryoncil: twice weekly × 4 weeks, ≥3 days apart = 8 × 2 × 10⁶/kg = 1.6 × 10⁷/kg
    report = _scheduled("twice weekly for 4 weeks")
    assert not {"SHORT_INTERVAL", "COURSE_ABOVE_REPORTED", "MORE_DOSES_THAN_REPORTED"} & codes(
        report
    )
    assert report.proposed.schedule is not None and report.proposed.schedule["doses"] == 8


def test_interval_shorter_than_reported() -> None:
    report = _scheduled("every 2 days x8")  # the labels require ≥3 days
    assert "SHORT_INTERVAL" in codes(report)


def test_course_above_the_largest_reported() -> None:
    # 24 × 2 × 10⁶/kg = 4.8 × 10⁷/kg > 8 × 2 × 10⁶/kg = 1.6 × 10⁷/kg (label course)
    report = _scheduled("twice weekly for 12 weeks")
    message = {w.code: w.message for w in report.warnings}["COURSE_ABOVE_REPORTED"]
    assert "MORE_DOSES_THAN_REPORTED" in codes(report)  # 24 doses; the labels give 8
    assert "4.8 × 10⁷ cells/kg" in message and "1.6 × 10⁷ cells/kg" in message


def test_adult_flat_doses_are_not_scaled_to_a_preterm_weight() -> None:
    # 1 × 10⁸ cells (an adult IV dose, e.g. Weiss 2013) ÷ 0.793 kg would read as 1.26 × 10⁸/kg
    report = run("1e7/kg", "IV", weight_kg=0.793)
    assert report.proposed.population == "preterm"
    flat_adult = [
        m
        for m in report.matches
        if m.population in ("adult", "mixed") and m.dose.basis == "per_patient"
    ]
    assert flat_adult and all(
        m.relation == "not_comparable" and not m.sets_bound for m in flat_adult
    )
    assert report.reported is not None and report.reported.high <= 1e7  # per-kg IV rows only


def test_slip_in_a_preterm_infant_is_not_hidden_by_adult_flat_doses() -> None:
    # 2 × 10⁹/kg for 793 g: the per-kg IV reports reach 1 × 10⁷/kg; adult flat doses (≤ 9 × 10⁸
    # cells) scaled by 0.793 kg would wrongly reach 1.1 × 10⁹/kg and hide the slip
    found = codes(run("2e9/kg", "IV", weight_kg=0.793))
    assert {"ABOVE_ROUTE_MAXIMUM", "LIKELY_NOTATION_SLIP"} <= found


def test_dmso_above_the_limit() -> None:
    # 10 mL at 10% DMSO = 1.1 g; for 0.8 kg that is 1.375 g/kg > 1 g/kg/day (HEMACORD)
    assert "DMSO_ABOVE_LIMIT" in codes(
        run("2e6/kg", "IV", "GVHD", weight_kg=0.8, volume_ml=10, dmso=0.1)
    )
    assert "DMSO_ABOVE_LIMIT" not in codes(
        run("2e6/kg", "IV", "GVHD", weight_kg=10, volume_ml=10, dmso=0.1)
    )


def test_viable_dose_below_the_range() -> None:
    # 4.5 × 10⁵/kg is inside 4 × 10⁵ – 9 × 10⁶/kg, but 80% of it (3.6 × 10⁵) is not
    report = run("4.5e5/kg", "IV", "GVHD", weight_kg=70, viability=0.8)
    assert report.verdict == "within" and "VIABLE_BELOW_RANGE" in codes(report)
    assert "VIABLE_BELOW_RANGE" not in codes(
        run("2e6/kg", "IV", "GVHD", weight_kg=70, viability=0.8)
    )


def test_the_python_api_takes_what_the_command_takes() -> None:
    """mscdose.check gives the same warnings as `mscdose check` for the product options."""
    import mscdose
    from tests.conftest import run_cli

    report = mscdose.check(
        "2e6/kg",
        "IV",
        indication="GVHD",
        weight_kg=10,
        volume_ml=100,
        dmso=0.1,
        rate_ml_per_min=1.0,
        donor_age=60,
        source="marrow",
        schedule="twice weekly for 4 weeks",
    )
    doc = run_cli(
        "check",
        "2e6/kg",
        "--route",
        "IV",
        "--indication",
        "GVHD",
        "--weight",
        "10",
        "--volume",
        "100 mL",
        "--dmso",
        "10%",
        "--rate",
        "1 mL/min",
        "--donor-age",
        "60y",
        "--source",
        "marrow",
        "--schedule",
        "twice weekly for 4 weeks",
        "--json",
    ).json()
    codes = [w.code for w in report.warnings]
    assert codes == [w["code"] for w in doc["warnings"]]
    # 100 mL × 10% × 1.1 g/mL / 10 kg = 1.1 g/kg; 100 min at 1 mL/min; donor over 45
    assert {"DMSO_ABOVE_LIMIT", "LONG_INFUSION", "OLD_DONOR"} <= set(codes)
