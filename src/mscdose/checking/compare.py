"""A proposed dose against what was reported, in plain floats: comparable bases, verdict.

The rows come from :func:`mscdose.checking.select.select`. Rows of another basis are converted
with the patient's weight (or BSA); rows that cannot be converted are listed as
``not_comparable`` and set no bound. Everything up to the report is plain floats, so
``batch`` can run it a million times.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from mscdose.checking.report import ContextLevel, Level, Relation, Verdict
from mscdose.checking.select import (
    Proposal,
    Selection,
    not_comparable_because,
)
from mscdose.dose.conversion import cells_per_unit
from mscdose.models import Dose
from mscdose.table.row import EVIDENCE_RANK, Evidence, Study
from mscdose.text.display import format_dose, format_quantity

if TYPE_CHECKING:
    pass


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
    emptied_by: str | None = None
    # with no_data: (level, low, high, studies) of the context rows, never the verdict
    context: tuple[ContextLevel, float, float, int] | None = None


def _row_dose(study: Study, weight: float | None) -> tuple[Dose, str | None]:
    """The row's dose for this patient: a label's weight band when the weight picks one."""
    if study.bands and weight is not None:
        for band in study.bands:
            if band.contains(weight):
                return band.dose, _band_note(band.above_kg, band.up_to_kg)
    return study.dose, None


@lru_cache(maxsize=256)
def _band_note(above_kg: float | None, up_to_kg: float | None) -> str:
    edges = [
        f"above {format_quantity(above_kg)} kg" if above_kg else "",
        f"up to {format_quantity(up_to_kg)} kg" if up_to_kg else "",
    ]
    return f"weight band {' and '.join(e for e in edges if e)} applied"


CAP_BELOW_MINIMUM = "below the label's lowest dose for this patient"


@lru_cache(maxsize=256)
def _cap_note(cap: float, basis: str) -> str:
    return f"capped at {format_dose(cap, cap, basis)}"


def in_basis(
    study: Study, basis: str, weight: float | None, bsa: float | None, area: float | None = None
) -> tuple[float, float, str | None] | None:
    """The row's dose per administration in ``basis`` for this patient, or None if it can't be."""
    dose, note = _row_dose(study, weight) if study.bands else (study.dose, None)
    low, high, row_basis = dose.low, dose.high, dose.basis
    if row_basis != basis:
        to_total = cells_per_unit(row_basis, weight, bsa, area)
        from_total = cells_per_unit(basis, weight, bsa, area)
        if to_total is None or from_total is None:
            return None
        low, high = low * to_total / from_total, high * to_total / from_total
    if weight is None or (study.cap_per_kg is None and study.cap_total is None):
        return low, high, note
    # caps bind on cells per administration, whatever the basis they are written in
    per = cells_per_unit(basis, weight, bsa, area)
    caps = (
        [(study.cap_per_kg * weight, "per_kg", study.cap_per_kg)]
        if (study.cap_per_kg is not None and row_basis != "per_kg")
        else []
    )
    if study.cap_total is not None:
        caps.append((study.cap_total, "per_patient", study.cap_total))
    for cap, cap_basis, written in caps:
        if per is not None and high * per > cap:
            high = cap / per
            note = _cap_note(written, cap_basis)
            if low > high:  # the cap is below the label's lowest dose for this patient
                note += f", {CAP_BELOW_MINIMUM} ({format_dose(low, low, basis)})"
                low = high
    return low, high, note


def log_distance(
    low: float, high: float, row_low: float, row_high: float
) -> tuple[Relation, float]:
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
        converted = None if why_not else in_basis(study, p.basis, p.weight_kg, p.bsa_m2, p.area_cm2)
        if converted is None:
            out.append(Compared(study, None, None, "not_comparable", False, math.inf, why_not))
            continue
        low, high, note = converted
        relation, distance = log_distance(p.low, p.high, low, high)
        sets = include_unconfirmed or study.confidence != "unconfirmed"
        out.append(Compared(study, low, high, relation, sets, distance, note))
    out.sort(key=lambda c: (c.distance, EVIDENCE_RANK[c.study.evidence]))
    return out


def measure(
    p: Proposal,
    selection: Selection,
    rows: tuple[Study, ...],
    *,
    include_unconfirmed: bool = False,
    margin: float = 0.0,
) -> Outcome:
    """The verdict for the proposal's numbers, comparing ``rows`` (all the selection's rows, or
    only its bound ones when the other rows' details are not wanted)."""
    compared = compare_rows(p, rows, include_unconfirmed)
    if selection.level is None:
        return Outcome(
            "no_data",
            None,
            compared=compared,
            notes=list(selection.notes),
            emptied_by=selection.emptied_by,
            context=context_of(p, selection),
        )
    bound = [c for c in compared if c.sets_bound]
    low = min(c.low for c in bound if c.low is not None)
    high = max(c.high for c in bound if c.high is not None)
    verdict, fold = verdict_for(p.low, p.high, low, high, margin)
    return Outcome(
        verdict,
        selection.level,
        low,
        high,
        len(bound),
        selection.evidence,
        fold,
        compared,
        list(selection.notes),
    )


def verdict_for(
    low: float, high: float, r_low: float, r_high: float, margin: float = 0.0
) -> tuple[Verdict, float]:
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


def context_of(p: Proposal, selection: Selection) -> tuple[ContextLevel, float, float, int] | None:
    """The range of the context rows of a selection with no bound, in the proposal's basis."""
    if not selection.context or selection.context_level is None:
        return None
    converted = [
        c
        for s in selection.context
        if (c := in_basis(s, p.basis, p.weight_kg, p.bsa_m2, p.area_cm2)) is not None
    ]
    if not converted:
        return None
    return (
        selection.context_level,
        min(c[0] for c in converted),
        max(c[1] for c in converted),
        len(converted),
    )
