"""A proposed dose against what was reported: comparable bases, verdict, report.

The rows come from :func:`mscdose.selection.select`. Rows of another basis are converted
with the patient's weight (or BSA); rows that cannot be converted are listed as
``not_comparable`` and set no bound. Everything up to the report is plain floats, so
``batch`` can run it a million times.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from mscdose.conversion import cells_per_unit
from mscdose.models import Dose, Patient, Range, json_ready
from mscdose.numbers import format_dose, format_quantity, format_range, unit_label
from mscdose.results import CheckReport, Level, Match, Proposed, Relation, Reported, Verdict
from mscdose.selection import (
    Proposal,
    Selection,
    envelopes,
    extremes,
    not_comparable_because,
    select,
)
from mscdose.study import EVIDENCE_RANK, Evidence, Study

if TYPE_CHECKING:
    from mscdose.table import Table

class Compared(NamedTuple):
    """One row seen from the proposal: its dose in the proposal's basis, and how they relate."""

    study: Study
    low: float | None  # None: not comparable
    high: float | None
    relation: Relation
    sets_bound: bool
    distance: float  # log10 fold from the row's range; 0 inside; inf when not comparable
    note: str | None = None


@dataclass(slots=True)
class Outcome:
    """The comparison in floats; ``check`` turns it into a CheckReport."""

    verdict: Verdict
    level: Level | None
    low: float | None = None
    high: float | None = None
    studies: int = 0
    evidence: Evidence | None = None
    distance_fold: float | None = None
    compared: list[Compared] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _row_dose(study: Study, weight: float | None) -> tuple[Dose, str | None]:
    """The row's dose for this patient: a label's weight band when the weight picks one."""
    if study.bands and weight is not None:
        for band in study.bands:
            if band.contains(weight):
                return band.dose, _band_note(band.above_kg, band.up_to_kg)
    return study.dose, None


@lru_cache(maxsize=256)
def _band_note(above_kg: float | None, up_to_kg: float | None) -> str:
    edges = [f"above {format_quantity(above_kg)} kg" if above_kg else "",
             f"up to {format_quantity(up_to_kg)} kg" if up_to_kg else ""]
    return f"weight band {' and '.join(e for e in edges if e)} applied"


@lru_cache(maxsize=256)
def _cap_note(cap: float, basis: str) -> str:
    return f"capped at {format_dose(cap, cap, basis)}"


def in_basis(study: Study, basis: str, weight: float | None,
             bsa: float | None) -> tuple[float, float, str | None] | None:
    """The row's dose per administration in ``basis`` for this patient, or None if it can't be."""
    dose, note = _row_dose(study, weight) if study.bands else (study.dose, None)
    low, high, row_basis = dose.low, dose.high, dose.basis
    if row_basis != basis:
        to_total = cells_per_unit(row_basis, weight, bsa)
        from_total = cells_per_unit(basis, weight, bsa)
        if to_total is None or from_total is None:
            return None
        low, high = low * to_total / from_total, high * to_total / from_total
    if weight is None or (study.cap_per_kg is None and study.cap_total is None):
        return low, high, note
    # caps bind on cells per administration, whatever the basis they are written in
    per = cells_per_unit(basis, weight, bsa)
    caps = [(study.cap_per_kg * weight, "per_kg", study.cap_per_kg)] if (
        study.cap_per_kg is not None and row_basis != "per_kg") else []
    if study.cap_total is not None:
        caps.append((study.cap_total, "per_patient", study.cap_total))
    for cap, cap_basis, written in caps:
        if per is not None and high * per > cap:
            high = cap / per
            low = min(low, high)
            note = _cap_note(written, cap_basis)
    return low, high, note


def log_distance(low: float, high: float, row_low: float,
                 row_high: float) -> tuple[Relation, float]:
    if high > row_high:
        return "above", math.log10(high / row_high)
    if low < row_low:
        return "below", math.log10(row_low / low)
    return "within", 0.0


def compare_rows(p: Proposal, rows: tuple[Study, ...], include_unconfirmed: bool) -> list[Compared]:
    """Each row from the proposal's side, nearest first (then strongest evidence)."""
    out: list[Compared] = []
    for study in rows:
        why_not = not_comparable_because(study, p)
        converted = None if why_not else in_basis(study, p.basis, p.weight_kg, p.bsa_m2)
        if converted is None:
            out.append(Compared(study, None, None, "not_comparable", False, math.inf, why_not))
            continue
        low, high, note = converted
        relation, distance = log_distance(p.low, p.high, low, high)
        sets = include_unconfirmed or study.confidence != "unconfirmed"
        out.append(Compared(study, low, high, relation, sets, distance, note))
    out.sort(key=lambda c: (c.distance, EVIDENCE_RANK[c.study.evidence]))
    return out


def measure(p: Proposal, selection: Selection, rows: tuple[Study, ...], *,
            include_unconfirmed: bool = False, margin: float = 0.0) -> Outcome:
    """The verdict for the proposal's numbers, comparing ``rows`` (all the selection's rows, or
    only its bound ones when the other rows' details are not wanted)."""
    compared = compare_rows(p, rows, include_unconfirmed)
    if selection.level is None:
        return Outcome("no_data", None, compared=compared)
    bound = [c for c in compared if c.sets_bound]
    low = min(c.low for c in bound if c.low is not None)
    high = max(c.high for c in bound if c.high is not None)
    verdict, fold = verdict_for(p.low, p.high, low, high, margin)
    return Outcome(verdict, selection.level, low, high, len(bound), selection.evidence, fold,
                   compared, list(selection.notes))


def evaluate(p: Proposal, table: Table, *, include_unconfirmed: bool = False,
             margin: float = 0.0) -> Outcome:
    """The verdict for a proposal: within / below / above / no_data, and the rows behind it."""
    selection = select(p, table, include_unconfirmed)
    return measure(p, selection, selection.rows, include_unconfirmed=include_unconfirmed,
                   margin=margin)


def verdict_for(low: float, high: float, r_low: float, r_high: float,
                margin: float = 0.0) -> tuple[Verdict, float]:
    """Within only when all of the proposal lies inside (the range widened by ``margin``);
    otherwise the side it crosses, and how many times beyond the bound its far end lies.

    >>> verdict_for(2e6, 2e6, 3e4, 1e7)
    ('within', 1.0)
    >>> verdict_for(2e7, 2e7, 3e4, 1e7)
    ('above', 2.0)
    """
    if low >= r_low / (1 + margin) and high <= r_high * (1 + margin):
        return "within", 1.0
    if high > r_high * (1 + margin):
        return "above", high / r_high
    return "below", r_low / low


def check(dose: Dose, route: str, table: Table, *, indication: str | None = None,
          source: str | None = None, patient: Patient | None = None,
          include_unconfirmed: bool = False, margin: float = 0.0,
          viability: float | None = None, donor_age: float | None = None,
          volume_ml: float | None = None, dmso: float | None = None,
          rate_ml_per_min: float | None = None, schedule: object | None = None,
          ascii: bool = False) -> CheckReport:
    """Place a proposed dose among the reported ones (names must already be canonical)."""
    from mscdose.conversion import convert
    from mscdose.finding import RuleContext
    from mscdose.rules import warnings_for

    patient = patient or Patient.model_construct()
    conversion = convert(dose, patient, viability=viability, volume_ml=volume_ml, dmso=dmso,
                         rate_ml_per_min=rate_ml_per_min, ascii=ascii)
    p = Proposal(dose.low, dose.high, dose.basis, dose.cells, route, indication, source,
                 patient.population, patient.weight_kg, patient.bsa_m2)
    outcome = evaluate(p, table, include_unconfirmed=include_unconfirmed, margin=margin)
    ctx = RuleContext(proposal=p, per_patient=_pair(conversion.per_patient),
                      per_kg=_pair(conversion.per_kg), outcome=outcome,
                      route_extremes=extremes(envelopes(table, p, False, include_unconfirmed), p),
                      any_route_extremes=extremes(envelopes(table, p, True, include_unconfirmed),
                                                  p),
                      viability=viability, donor_age=donor_age, schedule=schedule,
                      dmso_g_per_kg=conversion.dmso_g_per_kg, infusion_min=conversion.infusion_min,
                      include_unconfirmed=include_unconfirmed, margin=margin)
    warnings = warnings_for(ctx)
    reported = None
    if (outcome.level is not None and outcome.low is not None and outcome.high is not None
            and outcome.evidence is not None):
        reported = Reported.model_construct(low=outcome.low, high=outcome.high,
                                            basis=dose.basis, studies=outcome.studies,
                                            evidence=outcome.evidence)
    return CheckReport.model_construct(
        verdict=outcome.verdict,
        compared_at=outcome.level,
        proposed=Proposed.model_construct(
            dose=dose, display=conversion.display, per_patient=conversion.per_patient,
            per_kg=conversion.per_kg, route=route, indication=indication, source=source,
            population=patient.population,
            schedule=None if schedule is None else json_ready(schedule)),
        reported=reported,
        distance_fold=outcome.distance_fold,
        margin=float(margin),
        matches=[_match(c) for c in outcome.compared],
        warnings=warnings,
        steps=explain(p, conversion.steps, outcome, margin, ascii=ascii),
    )


def _pair(r: Range | None) -> tuple[float, float] | None:
    return None if r is None else (r.low, r.high)


def _match(c: Compared) -> Match:
    s = c.study
    return Match.model_construct(
        id=s.id, indication=s.indication, route=s.route, source=s.source, dose=s.dose,
        compared=(None if c.low is None or c.high is None
                  else Range.model_construct(low=c.low, high=c.high)),
        schedule=s.schedule.text if s.schedule else None, population=s.population, n=s.n,
        evidence=s.evidence, confidence=s.confidence, citation=str(s.citation),
        relation=c.relation,
        sets_bound=c.sets_bound, note=c.note,
    )


def explain(p: Proposal, conversion_steps: list[str], outcome: Outcome, margin: float, *,
            ascii: bool = False) -> list[str]:
    """Each step from the parsed dose to the verdict, with the numbers (for --explain)."""
    unit = unit_label(p.basis, p.cells, ascii=ascii)
    steps = [f"proposed: {format_range(p.low, p.high, ascii=ascii)} {unit} by {p.route}"
             + (f" for {p.indication}" if p.indication else "")]
    steps += conversion_steps
    if outcome.level is None:
        steps.append("no reported row could be compared at any level")
        return steps
    used = [c for c in outcome.compared if c.sets_bound]
    steps.append(f"compared at level '{outcome.level}': {len(outcome.compared)} rows, "
                 f"{len(used)} set bounds")
    for c in used:
        d = c.study.dose
        assert c.low is not None and c.high is not None
        row = f"{format_range(d.low, d.high, ascii=ascii)} {unit_label(d.basis, ascii=ascii)}"
        mine = f"{format_range(c.low, c.high, ascii=ascii)} {unit}"
        steps.append(f"  {c.study.id}: {row}" + (f" = {mine}" if row != mine else "")
                     + (f" ({c.note})" if c.note else ""))
    assert outcome.low is not None and outcome.high is not None
    steps.append(f"reported range: {format_range(outcome.low, outcome.high, ascii=ascii)} {unit}")
    if margin:
        wider = format_range(outcome.low / (1 + margin), outcome.high * (1 + margin), ascii=ascii)
        steps.append(f"widened by a margin of {format_quantity(margin * 100)}%: {wider} {unit}")
    fold = outcome.distance_fold or 1.0
    steps.append(f"verdict: {outcome.verdict}" +
                 (f" ({format_quantity(fold)}-fold)" if outcome.verdict != "within" else ""))
    return steps
