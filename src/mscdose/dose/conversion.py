"""Per-kg ⇄ per-patient ⇄ per-m², concentration × volume, total ⇄ viable cells.

Plain float arithmetic on a parsed :class:`Dose`; every step is recorded in words
a student can follow.
"""

from __future__ import annotations

from typing import cast

from mscdose.models import Basis, Conversion, Dose, Patient, Population, Range, Vial, Vials
from mscdose.text.display import (
    format_dose,
    format_quantity,
    format_range,
    format_span,
    to_ascii,
    unit_label,
)
from mscdose.text.units import mosteller_bsa


def cells_per_unit(
    basis: str,
    weight_kg: float | None = None,
    bsa_m2: float | None = None,
    area_cm2: float | None = None,
    volume_ml: float | None = None,
) -> float | None:
    """Cells per administration in one unit of ``basis`` (None when the patient's data or the
    lesion area or volume needed is unknown).

    >>> cells_per_unit("per_kg", weight_kg=70), cells_per_unit("per_m2", weight_kg=70)
    (70, None)
    """
    if basis == "per_patient":  # (a chain of ifs: batch calls this millions of times)
        return 1.0
    if basis == "per_kg":
        return weight_kg
    if basis == "per_m2":
        return bsa_m2
    if basis == "per_cm2":
        return area_cm2
    if basis == "per_ml":
        return volume_ml
    raise KeyError(basis)


def per_patient_and_kg(
    low: float,
    high: float,
    basis: str,
    weight_kg: float | None,
    bsa_m2: float | None,
    volume_ml: float | None = None,
) -> tuple[tuple[float, float] | None, tuple[float, float] | None]:
    """Cells per administration and per kg, in floats, as ``convert`` reaches them."""
    factor = cells_per_unit(basis, weight_kg, bsa_m2, volume_ml=volume_ml)
    total = None if factor is None else (low * factor, high * factor)
    if basis == "per_kg":
        return total, (low, high)
    if total is None or weight_kg is None:
        return total, None
    return total, (total[0] / weight_kg, total[1] / weight_kg)


def comparable(
    low: float, high: float, basis: Basis, volume_ml: float | None
) -> tuple[float, float, Basis]:
    """The proposal as the table can compare it: a concentration given with the volume is
    the cells given (5 × 10⁶/mL in 24 mL is 1.2 × 10⁸ cells, Alofisel's dose).

    >>> comparable(5e6, 5e6, "per_ml", 24.0)
    (120000000.0, 120000000.0, 'per_patient')
    """
    if basis == "per_ml" and volume_ml is not None:
        return low * volume_ml, high * volume_ml, "per_patient"
    return low, high, basis


def infer_population(age_years: float | None, weight_kg: float | None) -> Population | None:
    """The population a patient most likely belongs to, or None when age and weight don't tell.

    Under 1.5 kg is read as preterm (very low birth weight is almost always preterm birth).

    >>> infer_population(None, 0.793), infer_population(10 / 365.25, 3.4), infer_population(34, 70)
    ('preterm', 'neonate', 'adult')
    """
    if weight_kg is not None and weight_kg < 1.5 and (age_years is None or age_years < 1):
        return "preterm"
    if age_years is None:
        return None
    if age_years < 28 / 365.25:
        return "neonate"
    return "pediatric" if age_years < 18 else "adult"


def make_patient(
    weight_kg: float | None = None,
    height_cm: float | None = None,
    bsa_m2: float | None = None,
    age_years: float | None = None,
    population: str | None = None,
) -> Patient:
    """A patient; BSA by Mosteller when weight and height are known and no BSA is given;
    the population inferred from age and weight when not given."""
    weight_kg, height_cm, age_years = _float(weight_kg), _float(height_cm), _float(age_years)
    if bsa_m2 is None and weight_kg is not None and height_cm is not None:
        bsa_m2 = mosteller_bsa(weight_kg, height_cm)
    # a name from vocab.resolve_population: its names are the Population literals (test_vocab)
    known = (
        infer_population(age_years, weight_kg)
        if population is None
        else cast("Population", population)
    )
    return Patient.model_construct(
        weight_kg=weight_kg,
        height_cm=height_cm,
        bsa_m2=_float(bsa_m2),
        age_years=age_years,
        population=known,
    )


def _float(value: float | None) -> float | None:
    """Callers may pass ints; a result holds floats, as validation would have made them."""
    return None if value is None else float(value)


def convert(
    dose: Dose,
    patient: Patient | None = None,
    *,
    viability: float | None = None,
    volume_ml: float | None = None,
    area_cm2: float | None = None,
    dmso: float | None = None,
    vial: Vial | None = None,
    rate_ml_per_min: float | None = None,
    text: str | None = None,
    ascii: bool = False,
) -> Conversion:
    """Express ``dose`` per administration on every basis the patient's data allows.

    >>> from mscdose.text.grammar import parse_dose
    >>> c = convert(parse_dose("2x10^6 cells/kg"), make_patient(weight_kg=70))
    >>> c.per_patient.high
    140000000.0
    >>> c.steps[0]
    '2 × 10⁶ cells/kg × 70 kg = 1.4 × 10⁸ cells'
    """
    patient = patient or Patient.model_construct()
    viability, volume_ml, area_cm2 = _float(viability), _float(volume_ml), _float(area_cm2)
    steps: list[str] = []
    given = dose.range
    w, bsa = patient.weight_kg, patient.bsa_m2
    cells = unit_label("per_patient", dose.cells, ascii=ascii)

    def show(r: Range, basis: str = "per_patient") -> str:
        unit = unit_label(basis, dose.cells, ascii=ascii)
        return f"{format_range(r.low, r.high, ascii=ascii)} {unit}"

    shown = format_dose(dose.low, dose.high, dose.basis, dose.cells, ascii=ascii)
    mosteller = None
    if patient.height_cm is not None and w is not None and bsa is not None:
        mosteller = (
            f"BSA (Mosteller) = √({format_quantity(patient.height_cm)} cm × "
            f"{format_quantity(w)} kg / 3600) = {format_quantity(bsa)} m²"
        )

    def explain_bsa() -> None:  # once, before the first step that uses a computed BSA
        if mosteller is not None and mosteller not in steps:
            steps.append(mosteller)

    factor = cells_per_unit(dose.basis, w, bsa, area_cm2, volume_ml)
    unit, missing = {
        "per_patient": ("", ""),
        "per_kg": ("kg", "give --weight"),
        "per_m2": ("m²", "give --bsa, or --weight and --height,"),
        "per_cm2": ("cm²", "give --area (lesion or defect area)"),
        "per_ml": ("mL", "give --volume"),
    }[dose.basis]
    per_patient: Range | None = None
    if factor is None:
        what = " is a concentration:" if dose.basis == "per_ml" else ":"
        steps.append(f"{shown}{what} {missing} to reach cells per administration")
    else:
        per_patient = given.scaled(factor)
        if unit:
            if dose.basis == "per_m2":
                explain_bsa()
            steps.append(f"{shown} × {format_quantity(factor)} {unit} = {show(per_patient)}")

    per_kg = given if dose.basis == "per_kg" else None
    per_m2 = given if dose.basis == "per_m2" else None
    if per_patient is not None:
        if per_kg is None and w is not None:
            per_kg = per_patient.divided(w)
            steps.append(
                f"{show(per_patient)} ÷ {format_quantity(w)} kg = {show(per_kg, 'per_kg')}"
            )
        if per_m2 is None and bsa is not None:
            explain_bsa()
            per_m2 = per_patient.divided(bsa)
            steps.append(
                f"{show(per_patient)} ÷ {format_quantity(bsa)} m² = {show(per_m2, 'per_m2')}"
            )

    viable: Range | None = None
    total: Range | None = None
    if viability is not None and per_patient is not None:
        pct = f"{format_quantity(viability * 100)}%"
        if dose.cells == "total":
            viable = per_patient.scaled(viability)
            steps.append(
                f"{format_range(per_patient.low, per_patient.high, ascii=ascii)} cells × "
                f"{pct} viable = {show(viable)} viable"
            )
        else:
            viable = per_patient
            total = per_patient.divided(viability)
            steps.append(
                f"{show(per_patient)} ÷ {pct} viable = "
                f"{format_range(total.low, total.high, ascii=ascii)} cells in total "
                "to give"
            )
    elif viability is not None:
        steps.append(
            f"viability {format_quantity(viability * 100)}%: no cell count per "
            f"administration to apply it to ({cells} unknown)"
        )
    per_kg_volume, dmso_g, dmso_per_kg = excipients(volume_ml, dmso, w, steps)
    vials = None
    if vial is not None:
        # the cells to give, counted as the vial counts them
        needed = (
            per_patient if vial.kind == dose.cells else viable if vial.kind == "viable" else total
        )
        if per_patient is None:
            steps.append("vials: not counted without the cells per administration")
        elif needed is None:
            steps.append(
                f"vials: the dose counts {dose.cells} cells and the vial {vial.kind} "
                "cells; give --viability to count vials"
            )
        else:
            vials = _vials(needed, vial, steps, ascii)
    minutes = None
    if rate_ml_per_min is not None:
        minutes = _infusion(volume_ml, rate_ml_per_min, steps)
    return Conversion.model_construct(
        input=text if text is not None else shown,
        dose=dose,
        display=shown,
        patient=patient,
        per_patient=per_patient,
        per_kg=per_kg,
        per_m2=per_m2,
        viable_per_patient=viable,
        total_per_patient=total,
        viability=viability,
        volume_ml=volume_ml,
        volume_ml_per_kg=per_kg_volume,
        dmso_g=dmso_g,
        dmso_g_per_kg=dmso_per_kg,
        area_cm2=area_cm2,
        steps=[to_ascii(step) for step in steps] if ascii else steps,
        vials=vials,
        rate_ml_per_min=_float(rate_ml_per_min),
        infusion_min=minutes,
        ucum={
            name: code
            for name, code in _UCUM.items()
            if {
                "per_patient": per_patient,
                "per_kg": per_kg,
                "per_m2": per_m2,
                "viable_per_patient": viable,
            }[name]
            is not None
        },
    )


_UCUM = {
    "per_patient": "{cells}",
    "per_kg": "{cells}/kg",
    "per_m2": "{cells}/m2",
    "viable_per_patient": "{viable_cells}",
}


def _vials(needed: Range, vial: Vial, steps: list[str], ascii: bool) -> Vials:
    """The vials for ``needed`` cells (counted as the vial counts them), with the arithmetic."""
    # imported on first use, to keep start-up fast
    from mscdose.dose.vials import vials_for

    found = vials_for(needed, vial)
    label = "cells" if vial.kind == "total" else "viable cells"
    n, left, share = found.count, found.left_over, needed.divided(vial.cells)
    whole = format_span(n.low, n.high, ascii=ascii)
    shared = format_span(share.low, share.high, ascii=ascii)
    count = whole if shared == whole else f"{shared} → {whole}"  # "1.58 → 2"; "4" if exact
    over = (
        format_range(left.low, left.low, ascii=ascii)
        if left.is_point
        else f"{format_range(left.low, left.low, ascii=ascii)} (low end) and "
        f"{format_range(left.high, left.high, ascii=ascii)} (high end)"
    )
    steps.append(
        f"{format_range(needed.low, needed.high, ascii=ascii)} {label} ÷ "
        f"{format_range(vial.cells, vial.cells, ascii=ascii)} {label} per vial = "
        f"{count} {'vial' if n.high == 1 else 'vials'}; "
        f"{over} {label} left over"
    )
    if found.draw_ml is not None and vial.volume_ml is not None:
        drawn = format_span(found.draw_ml.low, found.draw_ml.high, ascii=ascii)
        steps.append(f"{drawn} mL drawn from the vials ({format_quantity(vial.volume_ml)} mL each)")
    return found


# Thawed MSC lose viability during a slow drip: ~93% at thaw, ~80% after 90 min
# (BMRAT 2024; msc-dose-facts 4b).
LONG_INFUSION_MIN = 90.0
POST_THAW_DECLINE = (
    "thawed MSC viability fell from ~93% to ~80% within 90 min of a slow saline drip"
)


def _infusion(volume_ml: float | None, rate_ml_per_min: float, steps: list[str]) -> float | None:
    """Minutes to infuse the product's volume at the rate, with its step."""
    if volume_ml is None:
        steps.append("infusion time: give --volume (the volume infused)")
        return None
    minutes = volume_ml / rate_ml_per_min
    step = (
        f"{format_quantity(volume_ml)} mL ÷ {format_quantity(rate_ml_per_min)} mL/min = "
        f"{format_quantity(minutes)} min"
    )
    if minutes > LONG_INFUSION_MIN:
        step += f" — {POST_THAW_DECLINE} (BMRAT 2024)"
    steps.append(step)
    return minutes


# DMSO in a cryopreserved product (msc-dose-facts 4d): density 1.10 g/mL; the accepted limit
# is 1 g DMSO per kg body weight per day (HEMACORD US label, section 2.2).
DMSO_DENSITY_G_PER_ML = 1.10
DMSO_LIMIT_G_PER_KG = 1.0


def excipients(
    volume_ml: float | None,
    dmso: float | None,
    weight_kg: float | None,
    steps: list[str] | None = None,
) -> tuple[float | None, float | None, float | None]:
    """Volume per kg, and the DMSO the product carries (in g and g/kg); steps appended when
    a list is given (batch wants the numbers only).

    >>> [round(x, 3) for x in excipients(10, 0.1, 10)]  # 10 mL at 10% DMSO, 10 kg child
    [1.0, 1.1, 0.11]
    """
    per_kg = None if volume_ml is None or weight_kg is None else volume_ml / weight_kg
    grams = None if volume_ml is None or dmso is None else volume_ml * dmso * DMSO_DENSITY_G_PER_ML
    grams_per_kg = None if grams is None or weight_kg is None else grams / weight_kg
    if steps is None:
        return per_kg, grams, grams_per_kg
    if volume_ml is None:
        if dmso is not None:
            steps.append("DMSO: give --volume (the volume of the product) to reach grams of DMSO")
        return per_kg, grams, grams_per_kg
    if per_kg is not None and weight_kg is not None:
        steps.append(
            f"{format_quantity(volume_ml)} mL ÷ {format_quantity(weight_kg)} kg = "
            f"{format_quantity(per_kg)} mL/kg"
        )
    if dmso is not None and grams is not None:
        step = (
            f"DMSO ≈ {format_quantity(volume_ml)} mL × {format_quantity(dmso * 100)}% × "
            f"{DMSO_DENSITY_G_PER_ML:.2f} g/mL = {format_quantity(grams)} g"
        )
        if grams_per_kg is not None:
            step += f" = {format_quantity(grams_per_kg)} g/kg"
            if grams_per_kg > DMSO_LIMIT_G_PER_KG:
                step += " — above the 1 g/kg/day limit"
        steps.append(step)
    return per_kg, grams, grams_per_kg
