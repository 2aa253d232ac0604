"""Clinical warnings for a check: one small function each, each with a code and the fact it
rests on. A rule returns a :class:`Finding` or None; ``warnings_for`` runs them all and writes
the messages. A finding's message is written only when it is read (batch reads codes only).

Severity: ``info`` (worth knowing), ``caution`` (look again), ``danger`` (beyond what was
ever reported, or a likely notation slip).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from mscdose.checking.compare import CAP_BELOW_MINIMUM
from mscdose.checking.report import CheckWarning
from mscdose.checking.rules.context import Finding, Rule, RuleContext
from mscdose.checking.rules.schedule import (
    course_above_reported,
    more_doses_than_reported,
    short_interval,
)
from mscdose.dose.conversion import DMSO_LIMIT_G_PER_KG, LONG_INFUSION_MIN, POST_THAW_DECLINE
from mscdose.text.display import format_count, format_dose, format_quantity

# A warning that fires on every check of a route or source (tissue factor, microvascular
# obstruction) is info: a caution that is always there is no longer read.

# Thresholds, each with its source (msc-dose-facts.md sections 2, 3b, 4b, 4c, 4f).
VIABILITY_FLOOR = 0.70  # GMP BM-MSC release spec, phase I/II (J Transl Med 2018, s12967-018-1659-4)
# UC-MSC quality-evaluation system (Stem Cell Res Ther 2020, s13287-020-01696-6)
VIABILITY_SPEC = 0.85
LABEL_IV_MAX_PER_KG = 3.34e6  # Stemirac cap; no labelled IV product exceeds it
TRIAL_IV_MAX_PER_KG = 1e7  # verified trial ceiling for cultured MSC IV (START phase 2a)
SLIP_FOLD = 100.0  # ≥100× beyond every report: more likely a notation slip than a regimen
OLD_DONOR_YEARS = 45.0  # source article's advice for autologous marrow and fat


def low_viability(ctx: RuleContext) -> Finding | None:
    v = ctx.viability
    if v is None or v >= VIABILITY_SPEC:
        return None
    if v < VIABILITY_FLOOR:
        return Finding(
            "LOW_VIABILITY",
            "danger",
            lambda: (
                f"viability {format_quantity(v * 100)}% is below the 70% floor of "
                "published release specifications"
            ),
            "GMP BM-MSC release spec (J Transl Med 2018); msc-dose-facts 4b",
        )
    return Finding(
        "VIABILITY_BELOW_SPEC",
        "caution",
        lambda: (
            f"viability {format_quantity(v * 100)}% is below the 85% some "
            "specifications require; the viable dose is lower than the nominal one"
        ),
        "UC-MSC quality-evaluation system (Stem Cell Res Ther 2020); msc-dose-facts 4b",
    )


_IV_LUNG = Finding(
    "IV_LUNG_FIRST_PASS",
    "info",
    "intravenous MSC are first held in the lungs (27–33.5% of labelled activity in "
    "humans right after infusion; >60% in animal work); cells of 14–20 µm meet lung "
    "capillaries",
    "Gholamrezanezhad 2011 (In-111 tracking); msc-dose-facts Q3–Q5",
)


def viable_below_range(ctx: RuleContext) -> Finding | None:
    """The nominal dose may sit in the range while the cells that are alive do not."""
    o, p, v = ctx.outcome, ctx.proposal, ctx.viability
    if v is None or p.cells != "total" or o.low is None or p.low < o.low or p.low * v >= o.low:
        return None
    return Finding(
        "VIABLE_BELOW_RANGE",
        "caution",
        lambda: (
            f"at {format_quantity(v * 100)}% viability the viable dose "
            f"({format_dose(p.low * v, p.high * v, p.basis, 'viable')}) is below "
            "the reported range"
        ),
        "msc-dose-facts 4b: check the viable-cell dose as well",
    )


def dmso_above_limit(ctx: RuleContext) -> Finding | None:
    g = ctx.dmso_g_per_kg
    if g is None or g <= DMSO_LIMIT_G_PER_KG:
        return None
    return Finding(
        "DMSO_ABOVE_LIMIT",
        "danger",
        lambda: (
            f"the product carries {format_quantity(g)} g DMSO per kg, above the "
            "accepted 1 g/kg/day (count every DMSO-frozen product given the "
            "same day)"
        ),
        "HEMACORD US label 2.2; msc-dose-facts 4d",
    )


def long_infusion(ctx: RuleContext) -> Finding | None:
    minutes = ctx.infusion_min
    if minutes is None or minutes <= LONG_INFUSION_MIN:
        return None
    return Finding(
        "LONG_INFUSION",
        "caution",
        lambda: (
            f"the infusion takes {format_quantity(minutes)} min: "
            f"{POST_THAW_DECLINE}, and to ~48–59% by the end of a ~6.4-h bag "
            "(cells in PBS with 5% HSA stayed above 90%)"
        ),
        "BMRAT 2024 (post-thaw viability during infusion); msc-dose-facts 4b",
    )


def iv_lung_first_pass(ctx: RuleContext) -> Finding | None:
    return _IV_LUNG if ctx.proposal.route == "intravenous" else None


def partly_within(ctx: RuleContext) -> Finding | None:
    o, p = ctx.outcome, ctx.proposal
    if o.verdict in ("within", "no_data") or o.low is None or o.high is None:
        return None
    if p.low <= o.high and p.high >= o.low:
        return Finding(
            "PARTLY_WITHIN",
            "caution",
            "the proposed range overlaps the reported range but is not wholly inside it",
            "the matched rows",
        )
    return None


def above_route_maximum(ctx: RuleContext) -> Finding | None:
    extremes = ctx.route_extremes
    p = ctx.proposal
    if extremes is None or p.high <= extremes[1]:
        return None
    top = extremes[1]
    return Finding(
        "ABOVE_ROUTE_MAXIMUM",
        "danger",
        lambda: (
            f"above the highest dose reported for {p.route.replace('_', '-')} "
            f"({format_dose(top, top, p.basis, p.cells)}; "
            f"{format_quantity(p.high / top)}-fold)"
        ),
        "every row of the reference table for this route",
    )


def notation_slip(ctx: RuleContext) -> Finding | None:
    # the route's own reports when it has some: a preterm infant's intratracheal 2.5 × 10⁷/kg
    # says nothing about what an adult's IV dose may be
    where = "this route" if ctx.route_extremes is not None else "any route"
    extremes = ctx.route_extremes or ctx.any_route_extremes
    p = ctx.proposal
    if extremes is None:
        return None
    low, high = extremes
    if p.high >= SLIP_FOLD * high:
        fold, side = p.high / high, "above the highest"
    elif p.low * SLIP_FOLD <= low:
        fold, side = low / p.low, "below the lowest"
    else:
        return None

    def message() -> str:
        # the power of ten that brings the proposal to the middle of what was reported
        o = ctx.outcome
        r_low, r_high = (
            (o.low, o.high)
            if o.low is not None and o.high is not None
            else (ctx.route_extremes or extremes)
        )
        shift = round(math.log10(math.sqrt(p.low * p.high) / math.sqrt(r_low * r_high)))
        likely = format_dose(p.low / 10**shift, p.high / 10**shift, p.basis, p.cells)
        return (
            f"{format_count(fold)}× {side} dose reported for {where}: more likely a "
            f"slipped exponent than a regimen — did you mean {likely}?"
        )

    return Finding(
        "LIKELY_NOTATION_SLIP", "danger", message, f"every row of the reference table for {where}"
    )


def high_iv_dose(ctx: RuleContext) -> Finding | None:
    p = ctx.proposal
    if p.route != "intravenous" or ctx.per_kg is None:
        return None
    high = ctx.per_kg[1]
    if high > TRIAL_IV_MAX_PER_KG:
        return Finding(
            "IV_ABOVE_TRIAL_CEILING",
            "danger",
            "above 1 × 10⁷ cells/kg, the verified trial ceiling for cultured MSC "
            "given IV (one H7N9 trial of menstrual-blood MSC is the only higher "
            "report)",
            "START phase 2a; msc-dose-facts 3b and 4c",
        )
    if high > LABEL_IV_MAX_PER_KG:
        return Finding(
            "IV_ABOVE_LABELS",
            "caution",
            "above 3.34 × 10⁶ cells/kg, the highest dose on any MSC product label "
            "(still within trial experience up to 1 × 10⁷/kg); IBMIR risk rises with "
            "dose",
            "Stemirac label; Moll 2012 (Stem Cells 30:1565); msc-dose-facts 4c",
        )
    return None


def small_patient_per_kg(ctx: RuleContext) -> Finding | None:
    p = ctx.proposal
    small = p.population in ("preterm", "neonate") or (
        p.weight_kg is not None and p.weight_kg < 2.5
    )
    if not small or p.basis != "per_kg":
        return None
    total = ctx.per_patient

    def message() -> str:
        count = (
            f": {format_dose(total[0], total[1], 'per_patient', p.cells)} in all"
            if total is not None
            else " (give --weight to see the count)"
        )
        return (
            f"a per-kg dose in a {p.population or 'small'} patient{count}; check the volume "
            "too — cells settle in syringes and tubing during slow neonatal infusions"
        )

    return Finding(
        "PER_KG_IN_NEONATE",
        "caution",
        message,
        "Chang 2014 (BPD, 793 g mean birth weight); Baker 2021 (SCTM); msc-dose-facts 4e",
    )


def intravascular_tissue_factor(ctx: RuleContext) -> Finding | None:
    # imported on first use, to keep start-up fast
    from mscdose.text.vocab import ROUTES

    p = ctx.proposal
    route = ROUTES.get(p.route)
    if p.source not in ("umbilical_cord", "adipose") or route is None or not route.systemic:
        return None
    return Finding(
        "INTRAVASCULAR_TISSUE_FACTOR",
        "info",
        f"{p.source.replace('_', ' ')} MSC express more tissue factor (CD142) than "
        "marrow MSC and clot more readily when given into blood; venous thrombosis "
        "after UC-MSC infusion has been reported",
        "Moll 2012; Theranostics 2018;8:1421; Hoang 2024; Wu 2017 (PMID 28838459)",
    )


def intrathecal_anaesthesia(ctx: RuleContext) -> Finding | None:
    p = ctx.proposal
    if p.route != "intrathecal":
        return None
    child = p.population in ("pediatric", "neonate", "preterm")
    return Finding(
        "INTRATHECAL_AES",
        "info",
        "intrathecal injection: transient fever, headache, vomiting and back pain are "
        "common and resolve within 24–72 h"
        + ("; general anaesthesia in children adds fever and vomiting" if child else ""),
        "source article (D16); Mancías-Guerra 2014 (PMID 24642016); msc-dose-facts 4f",
    )


_INTRACEREBRAL = Finding(
    "INTRACEREBRAL_PROCEDURE",
    "info",
    "stereotactic implantation: procedure-related adverse events are the rule "
    "(headache in 88.9% in the SB623 stroke trial); serious events came from "
    "surgery, not cells",
    "Steinberg 2016, Stroke 47:1817 (D18)",
)


def intracerebral_procedure(ctx: RuleContext) -> Finding | None:
    return _INTRACEREBRAL if ctx.proposal.route == "intraparenchymal" else None


_OBSTRUCTION = Finding(
    "MICROVASCULAR_OBSTRUCTION",
    "info",
    "intra-arterial and intracoronary MSC can plug small vessels: large cells "
    "(~30 µm) caused infarcts in animals, and microvascular obstruction after "
    "intracoronary delivery is documented",
    "Ge 2014 (PMID 24390934); Gleeson 2015; msc-dose-facts 4c",
)


def intra_arterial_obstruction(ctx: RuleContext) -> Finding | None:
    arterial = ctx.proposal.route in ("intra_arterial", "intracoronary", "hepatic_artery")
    return _OBSTRUCTION if arterial else None


_RELAPSE = Finding(
    "COTRANSPLANT_RELAPSE",
    "caution",
    "MSC co-transplanted with an HSC graft in haematological malignancy: relapse "
    "was 60% with MSC vs 20% without in a randomised pilot (n=10 vs 15)",
    "Ning 2008, Leukemia (D10)",
)


def cotransplant_malignancy(ctx: RuleContext) -> Finding | None:
    return _RELAPSE if ctx.proposal.indication == "hsct_cotransplant" else None


def old_donor(ctx: RuleContext) -> Finding | None:
    if ctx.donor_age is None or ctx.donor_age <= OLD_DONOR_YEARS:
        return None
    if ctx.proposal.source not in (None, "bone_marrow", "adipose"):
        return None
    age = ctx.donor_age
    return Finding(
        "OLD_DONOR",
        "caution",
        lambda: (
            f"donor aged {format_quantity(age)}: marrow holds fewer MSC with age "
            "(1 in 10⁴ nucleated cells at birth, 1 in 2 × 10⁶ at 80); the source article "
            "advises against marrow or fat donors over 45"
        ),
        "Caplan 2007, J Cell Physiol 213:341 (Q2); source article",
    )


_GVHD_TIMING = Finding(
    "GVHD_TIMING",
    "info",
    "timing matters in GVHD: the expanded-access protocol required MSC "
    "within 14 days of starting steroids; early treatment (5–12 days) was "
    "reported to do better than late (unconfirmed)",
    "NCT00826046; source article (D42, unconfirmed)",
)


def gvhd_timing(ctx: RuleContext) -> Finding | None:
    return _GVHD_TIMING if (ctx.proposal.indication or "").startswith("gvhd") else None


def not_comparable(ctx: RuleContext) -> Finding | None:
    skipped = [c for c in ctx.outcome.compared if c.relation == "not_comparable"]
    if not skipped:
        return None
    return Finding(
        "ROWS_NOT_COMPARED",
        "info",
        f"{len(skipped)} matching rows could not be compared ({skipped[0].note})",
        "the matched rows",
    )


def unconfirmed_excluded(ctx: RuleContext) -> Finding | None:
    if ctx.include_unconfirmed:
        return None
    n = sum(
        1
        for c in ctx.outcome.compared
        if c.study.confidence == "unconfirmed" and c.relation != "not_comparable"
    )
    if not n:
        return None
    return Finding(
        "UNCONFIRMED_NOT_USED",
        "info",
        f"{n} unconfirmed {'row is' if n == 1 else 'rows are'} listed but set no bound "
        "(--include-unconfirmed to use them)",
        "confidence column of the table",
    )


def margin_applied(ctx: RuleContext) -> Finding | None:
    if not ctx.margin:
        return None
    return Finding(
        "MARGIN_APPLIED",
        "info",
        f"the reported range was widened by {format_quantity(ctx.margin * 100)}% "
        "for the verdict (a soft limit)",
        "--margin",
    )


def band_or_cap(ctx: RuleContext) -> Finding | None:
    notes = {
        c.note
        for c in ctx.outcome.compared
        if c.sets_bound and c.note and ("band" in c.note or "capped" in c.note)
    }
    if not notes:
        return None
    return Finding(
        "LABEL_BAND_OR_CAP",
        "info",
        lambda: "label rules applied: " + "; ".join(sorted(notes)),
        "weight bands and caps of the label rows",
    )


def cap_below_minimum(ctx: RuleContext) -> Finding | None:
    """A small patient whose cap falls below the label's lowest dose: the label gives no dose
    that is both at least its minimum and within its cap (Stemirac at 10 kg: 5 × 10⁷ cells,
    but at most 3.34 × 10⁶/kg = 3.34 × 10⁷)."""
    notes = sorted(
        {
            c.note
            for c in ctx.outcome.compared
            if c.sets_bound and c.note and CAP_BELOW_MINIMUM in c.note
        }
    )
    if not notes:
        return None
    return Finding(
        "CAP_BELOW_LABEL_MINIMUM",
        "caution",
        lambda: (
            "for this patient a label's cap is below its lowest dose: "
            + "; ".join(notes)
            + "; the label's range is read as the cap alone"
        ),
        "the label rows' caps and doses",
    )


def widened(ctx: RuleContext) -> Finding | None:
    if not ctx.outcome.notes:
        return None
    return Finding(
        "COMPARISON_WIDENED", "info", "; ".join(ctx.outcome.notes), "the matching levels"
    )


RULES: tuple[Rule, ...] = (
    notation_slip,
    above_route_maximum,
    high_iv_dose,
    dmso_above_limit,
    low_viability,
    viable_below_range,
    long_infusion,
    partly_within,
    cap_below_minimum,
    small_patient_per_kg,
    intravascular_tissue_factor,
    intra_arterial_obstruction,
    cotransplant_malignancy,
    old_donor,
    iv_lung_first_pass,
    intrathecal_anaesthesia,
    intracerebral_procedure,
    gvhd_timing,
    band_or_cap,
    margin_applied,
    widened,
    not_comparable,
    unconfirmed_excluded,
    short_interval,
    more_doses_than_reported,
    course_above_reported,
)

# Rules that read only what a proposal names (route, indication, source, population, basis,
# which patient data are given, the schedule), the run's options and which rows it is compared
# with, never a number of the dose or the patient: batch runs them once per kind of row.
# A rule wrongly listed here fails tests/test_batch.py's equivalence property.
BY_KIND: frozenset[Rule] = frozenset(
    {
        intravascular_tissue_factor,
        intra_arterial_obstruction,
        cotransplant_malignancy,
        iv_lung_first_pass,
        intrathecal_anaesthesia,
        intracerebral_procedure,
        gvhd_timing,
        margin_applied,
        widened,
        not_comparable,
        unconfirmed_excluded,
        short_interval,
        more_doses_than_reported,
    }
)

# Number-reading rules that can fire only for some kinds of proposal, and that condition (it may
# read only what check_plan.kind_of holds): batch leaves a rule out for the kinds that fail it
# (each rule still tests it itself).
ONLY_FOR: dict[Rule, Callable[[RuleContext], bool]] = {
    high_iv_dose: lambda ctx: ctx.proposal.route == "intravenous",
    small_patient_per_kg: lambda ctx: ctx.proposal.basis == "per_kg",
    old_donor: lambda ctx: ctx.donor_age is not None,
    low_viability: lambda ctx: ctx.viability is not None,
    viable_below_range: lambda ctx: ctx.viability is not None,
    dmso_above_limit: lambda ctx: ctx.dmso_g_per_kg is not None,
    long_infusion: lambda ctx: ctx.infusion_min is not None,
    band_or_cap: lambda ctx: any(c.study.has_label_rules for c in ctx.outcome.compared),
    cap_below_minimum: lambda ctx: any(c.study.has_label_rules for c in ctx.outcome.compared),
    course_above_reported: lambda ctx: ctx.schedule is not None,
}

SEVERITY_ORDER = {"danger": 0, "caution": 1, "info": 2}


def warnings_for(ctx: RuleContext) -> list[CheckWarning]:
    """Every warning that applies, most severe first, with its message written."""
    found = [f for rule in RULES if (f := rule(ctx)) is not None]
    return [f.warning() for f in sorted(found, key=lambda f: SEVERITY_ORDER[f.severity])]
