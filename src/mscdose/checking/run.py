"""A check from start to end: the proposal converted, its plan built, its numbers measured,
the report written with what it rests on (the table, the tool, the patient)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mscdose._version import __version__
from mscdose.checking.compare import Compared, Outcome, verdict_for
from mscdose.checking.plan import CheckPlan, weight_for_predicted_rows
from mscdose.checking.report import (
    CheckReport,
    CheckWarning,
    Context,
    Match,
    PatientUsed,
    Proposed,
    Reported,
    TableIdentity,
)
from mscdose.checking.select import Proposal
from mscdose.dose.body import Sex
from mscdose.dose.conversion import comparable, convert
from mscdose.models import Dose, Patient, Range, json_ready
from mscdose.text.display import format_quantity, format_range, unit_label

if TYPE_CHECKING:
    from mscdose.table.index import Table


def check(
    dose: Dose,
    route: str,
    table: Table,
    *,
    indication: str | None = None,
    source: str | None = None,
    patient: Patient | None = None,
    include_unconfirmed: bool = False,
    margin: float = 0.0,
    viability: float | None = None,
    donor_age: float | None = None,
    volume_ml: float | None = None,
    dmso: float | None = None,
    rate_ml_per_min: float | None = None,
    schedule: object | None = None,
    sex: Sex | None = None,
    area_cm2: float | None = None,
    ascii: bool = False,
) -> CheckReport:
    """Place a proposed dose among the reported ones (names must already be canonical).

    Rows dosed per kg of predicted body weight (ARDS) are compared with the patient's
    predicted weight when height and sex are given, and with the actual weight, said, when not.
    """
    patient = patient or Patient.model_construct()
    conversion = convert(
        dose,
        patient,
        viability=viability,
        volume_ml=volume_ml,
        dmso=dmso,
        rate_ml_per_min=rate_ml_per_min,
        area_cm2=area_cm2,
        ascii=ascii,
    )
    low, high, basis = comparable(dose.low, dose.high, dose.basis, volume_ml)
    p = Proposal(
        low,
        high,
        basis,
        dose.cells,
        route,
        indication,
        source,
        patient.population,
        patient.weight_kg,
        patient.bsa_m2,
        area_cm2,
    )

    def build(p: Proposal) -> CheckPlan:
        return CheckPlan(
            p,
            table,
            include_unconfirmed=include_unconfirmed,
            schedule=schedule,
            viability=viability,
            volume_ml=volume_ml,
            dmso=dmso,
            rate=rate_ml_per_min,
            donor_age=donor_age,
            margin=margin,
            full=True,
        )

    plan = build(p)
    weight_note = None
    if plan.predicted_rows:
        p, weight_note = weight_for_predicted_rows(p, patient.height_cm, sex)
        if p.weight_kg != patient.weight_kg:
            plan = build(p)
    outcome, _ = plan.measure(p)
    ctx = plan.context(p, outcome, viability, volume_ml, dmso, rate_ml_per_min, schedule)
    findings = plan.findings(ctx) + ([weight_note] if weight_note is not None else [])
    codes = [f.code for f in findings]
    reported = None
    if (
        outcome.level is not None
        and outcome.low is not None
        and outcome.high is not None
        and outcome.evidence is not None
    ):
        reported = Reported.model_construct(
            low=outcome.low,
            high=outcome.high,
            basis=p.basis,
            studies=outcome.studies,
            evidence=outcome.evidence,
        )
    return CheckReport.model_construct(
        verdict=outcome.verdict,
        compared_at=outcome.level,
        proposed=Proposed.model_construct(
            dose=dose,
            display=conversion.display,
            per_patient=conversion.per_patient,
            per_kg=conversion.per_kg,
            route=route,
            indication=indication,
            source=source,
            population=patient.population,
            schedule=None if schedule is None else json_ready(schedule),
        ),
        reported=reported,
        distance_fold=outcome.distance_fold,
        margin=float(margin),
        matches=[_match(c) for c in outcome.compared],
        warnings=[f.warning() for f in findings],
        steps=explain(p, conversion.steps, outcome, margin, ascii=ascii),
        context=_context(outcome, p.basis),
        emptied_by=outcome.emptied_by,
        within_only_with_margin=_only_with_margin(p, outcome, margin),
        schedule_verdict=plan.schedule_verdict(codes, schedule),
        schedule_rows=plan.schedule_rows if schedule is not None else [],
        patient=PatientUsed.model_construct(
            weight_kg=patient.weight_kg,
            height_cm=patient.height_cm,
            bsa_m2=patient.bsa_m2,
            age_years=patient.age_years,
            population=patient.population,
        ),
        table=TableIdentity.model_construct(version=table.version, sha256=table.sha256),
        mscdose=__version__,
    )


def _only_with_margin(p: Proposal, outcome: Outcome, margin: float) -> bool:
    """Within because of the margin: the same dose is outside the range as reported."""
    if not margin or outcome.verdict != "within" or outcome.low is None or outcome.high is None:
        return False
    return verdict_for(p.low, p.high, outcome.low, outcome.high)[0] != "within"


def _context(outcome: Outcome, basis: str) -> Context | None:
    if outcome.context is None:
        return None
    level, low, high, studies = outcome.context
    return Context.model_construct(level=level, low=low, high=high, basis=basis, studies=studies)


def _pair(r: Range | None) -> tuple[float, float] | None:
    return None if r is None else (r.low, r.high)


def _match(c: Compared) -> Match:
    s = c.study
    return Match.model_construct(
        id=s.id,
        indication=s.indication,
        route=s.route,
        source=s.source,
        dose=s.dose,
        compared=(
            None
            if c.low is None or c.high is None
            else Range.model_construct(low=c.low, high=c.high)
        ),
        schedule=s.schedule.text if s.schedule else None,
        population=s.population,
        n=s.n,
        evidence=s.evidence,
        confidence=s.confidence,
        citation=str(s.citation),
        relation=c.relation,
        sets_bound=c.sets_bound,
        note=c.note,
        local=s.local,
    )


def explain(
    p: Proposal,
    conversion_steps: list[str],
    outcome: Outcome,
    margin: float,
    *,
    ascii: bool = False,
) -> list[str]:
    """Each step from the parsed dose to the verdict, with the numbers (for --explain)."""
    unit = unit_label(p.basis, p.cells, ascii=ascii)
    steps = [
        f"proposed: {format_range(p.low, p.high, ascii=ascii)} {unit} by {p.route}"
        + (f" for {p.indication}" if p.indication else "")
    ]
    steps += conversion_steps
    if outcome.level is None:
        steps.append(
            "no row of this question sets a bound: no_data (nothing is borrowed "
            "from another indication or route)"
        )
        return steps
    used = [c for c in outcome.compared if c.sets_bound]
    steps.append(
        f"compared at level '{outcome.level}': {len(outcome.compared)} rows, {len(used)} set bounds"
    )
    for c in used:
        d = c.study.dose
        assert c.low is not None and c.high is not None
        row = f"{format_range(d.low, d.high, ascii=ascii)} {unit_label(d.basis, ascii=ascii)}"
        mine = f"{format_range(c.low, c.high, ascii=ascii)} {unit}"
        steps.append(
            f"  {c.study.id}: {row}"
            + (f" = {mine}" if row != mine else "")
            + (f" ({c.note})" if c.note else "")
        )
    assert outcome.low is not None and outcome.high is not None
    steps.append(f"reported range: {format_range(outcome.low, outcome.high, ascii=ascii)} {unit}")
    if margin:
        wider = format_range(outcome.low / (1 + margin), outcome.high * (1 + margin), ascii=ascii)
        steps.append(f"widened by a margin of {format_quantity(margin * 100)}%: {wider} {unit}")
    fold = outcome.distance_fold or 1.0
    steps.append(
        f"verdict: {outcome.verdict}"
        + (f" ({format_quantity(fold)}-fold)" if outcome.verdict != "within" else "")
    )
    return steps


def with_assumption(report: CheckReport, why: str) -> CheckReport:
    """The report of a dose read with ``--assume``: it says so at the top of its warnings."""
    warning = CheckWarning.model_construct(
        code="ASSUMED_READING", severity="caution", message=why, source="--assume"
    )
    return report.model_copy(update={"assumed": why, "warnings": [warning, *report.warnings]})
