"""The one path of a check: a plan prepared once for each kind of proposal, then the numbers of
each proposal measured against it. ``mscdose.check()`` builds a plan for its one proposal;
``batch`` keeps one per kind of row.

What a proposal names (route, indication, source, population, basis, cell kind, which of
weight and BSA are given, the schedule) fixes the rows it is compared with
(:func:`~mscdose.checking.select.select`), the dose envelopes and the warnings that read no
number (:data:`~mscdose.checking.rules.dose.BY_KIND`). A plan keeps them; per proposal it
measures the dose against the rows that set the bound and runs the rules that read numbers
and can fire for its kind (:data:`~mscdose.checking.rules.dose.ONLY_FOR`). A rule is written
once, in ``checking/rules``, and a check and a batch row both run it from here.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from mscdose.checking.compare import (
    Compared,
    Outcome,
    context_of,
    in_basis,
    log_distance,
    measure,
    verdict_for,
)
from mscdose.checking.report import ScheduleVerdict
from mscdose.checking.rules.context import Finding, RuleContext
from mscdose.checking.rules.dose import BY_KIND, ONLY_FOR, RULES, SEVERITY_ORDER
from mscdose.checking.rules.schedule import SCHEDULE_CODES, scheduled_rows
from mscdose.checking.select import Envelopes, Proposal, envelopes, extremes, select
from mscdose.dose.body import Sex, predicted_body_weight
from mscdose.dose.conversion import cells_per_unit, excipients, per_patient_and_kg
from mscdose.table.row import EVIDENCE_RANK
from mscdose.text.display import format_quantity

if TYPE_CHECKING:
    from mscdose.table.index import Table

# (severity order, place in RULES, finding): sorting these gives the warnings' order
Found = tuple[int, int, Finding]


def kind_of(
    p: Proposal,
    schedule: str | None,
    include_unconfirmed: bool,
    given: tuple[bool, bool, bool, bool],
) -> tuple[object, ...]:
    """What fixes a plan: everything in the proposal but its numbers, the schedule, the run's
    options, and ``given``: whether the row gives a viability, a volume, a DMSO share, a
    rate."""
    return (
        p.basis,
        p.cells,
        p.route,
        p.indication,
        p.source,
        p.population,
        p.weight_kg is not None,
        p.bsa_m2 is not None,
        p.area_cm2 is not None,
        schedule,
        include_unconfirmed,
        given,
    )


class CheckPlan:
    """The rows and the by-kind warnings for one kind of proposal (built from its first one).

    ``full`` keeps every matching row for the report's ``matches``; a batch plan keeps only
    the rows that set the bound, as plain numbers where they have no label rules."""

    __slots__ = (
        "any_route",
        "by_kind",
        "donor_age",
        "include_unconfirmed",
        "kind_codes",
        "kind_findings",
        "margin",
        "plain",
        "predicted_rows",
        "route",
        "rows",
        "rules",
        "schedule_rows",
        "selection",
        "special",
    )

    def __init__(
        self,
        p: Proposal,
        table: Table,
        *,
        include_unconfirmed: bool = False,
        schedule: object | None = None,
        viability: float | None = None,
        volume_ml: float | None = None,
        dmso: float | None = None,
        rate: float | None = None,
        donor_age: float | None = None,
        margin: float = 0.0,
        full: bool = False,
    ) -> None:
        """Built from the kind's first proposal: its numbers are used only where a rule needs
        a value to tell whether it can fire at all (``rules.ONLY_FOR``)."""
        self.include_unconfirmed, self.margin = include_unconfirmed, margin
        self.donor_age = donor_age
        selection = self.selection = select(p, table, include_unconfirmed)
        # The course rule reads every comparable row, so a scheduled kind (or a full report)
        # measures them all with measure(); otherwise only the rows that set the bound count,
        # and those without weight bands or caps are kept as plain numbers.
        self.rows = selection.rows if (schedule is not None or full) else None
        self.plain = tuple(
            (s.dose.low, s.dose.high, s.dose.basis, EVIDENCE_RANK[s.evidence], i, s.id)
            for i, s in enumerate(selection.bound)
            if not s.has_label_rules
        )
        self.special = tuple(
            (s, EVIDENCE_RANK[s.evidence], i)
            for i, s in enumerate(selection.bound)
            if s.has_label_rules
        )
        self.route = _Extremes(envelopes(table, p, False, include_unconfirmed), p)
        self.any_route = _Extremes(envelopes(table, p, True, include_unconfirmed), p)
        first = measure(
            p, selection, selection.rows, include_unconfirmed=include_unconfirmed, margin=margin
        )
        ctx = self.context(p, first, viability, volume_ml, dmso, rate, schedule)
        self.rules = [
            (i, rule)
            for i, rule in enumerate(RULES)
            if rule not in BY_KIND and (rule not in ONLY_FOR or ONLY_FOR[rule](ctx))
        ]
        self.by_kind: list[Found] = sorted(
            (
                (SEVERITY_ORDER[f.severity], i, f)
                for i, rule in enumerate(RULES)
                if rule in BY_KIND and (f := rule(ctx)) is not None
            ),
            key=_order,
        )
        self.kind_findings = [f[2] for f in self.by_kind]
        self.kind_codes = [f.code for f in self.kind_findings]
        # rows dosed per kg of predicted body weight: the weight to compare them with matters
        self.predicted_rows = any(s.weight_basis == "predicted" for s in selection.bound)
        # the bound rows that report a schedule: what a schedule verdict rests on
        self.schedule_rows = [c.study.id for c in scheduled_rows(first.compared)]

    def context(
        self,
        p: Proposal,
        outcome: Outcome,
        viability: float | None,
        volume_ml: float | None,
        dmso: float | None,
        rate: float | None,
        schedule: object | None,
    ) -> RuleContext:
        per_patient, per_kg = per_patient_and_kg(
            p.low, p.high, p.basis, p.weight_kg, p.bsa_m2, volume_ml
        )
        dmso_g_per_kg = None if volume_ml is None else excipients(volume_ml, dmso, p.weight_kg)[2]
        minutes = None if volume_ml is None or rate is None else volume_ml / rate
        # positional, in RuleContext's field order (keywords cost 2% of a batch row); a slip
        # fails the equivalence property in tests/test_batch.py
        return RuleContext(
            p,
            per_patient,
            per_kg,
            outcome,
            self.route.of(p),
            self.any_route.of(p),
            viability,
            self.donor_age,
            schedule,
            self.include_unconfirmed,
            self.margin,
            dmso_g_per_kg,
            minutes,
        )

    def measure(self, p: Proposal) -> tuple[Outcome, list[str]]:
        """The outcome for this proposal's numbers, and the ids of the rows that set the
        bound, nearest first. A batch plan's outcome holds in ``compared`` only the rows with
        bands or caps: the only ones with notes, and notes are all the number-reading rules
        look at in it."""
        selection = self.selection
        if self.rows is not None:
            outcome = measure(
                p,
                selection,
                self.rows,
                include_unconfirmed=self.include_unconfirmed,
                margin=self.margin,
            )
            return outcome, [c.study.id for c in outcome.compared if c.sets_bound]
        if selection.level is None:
            return Outcome(
                "no_data",
                None,
                notes=list(selection.notes),
                emptied_by=selection.emptied_by,
                context=context_of(p, selection),
            ), []
        basis, weight, bsa, p_low, p_high = p.basis, p.weight_kg, p.bsa_m2, p.low, p.high
        area = p.area_cm2
        nearest: list[tuple[float, int, int, str]] = []
        low, high = math.inf, 0.0
        for row_low, row_high, row_basis, rank, order, study_id in self.plain:
            if row_basis != basis:  # as in_basis converts, to the last rounding
                to_total = cells_per_unit(row_basis, weight, bsa, area)
                from_total = cells_per_unit(basis, weight, bsa, area)
                assert to_total is not None and from_total is not None  # bound rows convert
                row_low = row_low * to_total / from_total
                row_high = row_high * to_total / from_total
            if row_low < low:
                low = row_low
            if row_high > high:
                high = row_high
            # log_distance's distance, written out (a call per row and bound row costs)
            if p_high > row_high:
                distance = math.log10(p_high / row_high)
            elif p_low < row_low:
                distance = math.log10(row_low / p_low)
            else:
                distance = 0.0
            nearest.append((distance, rank, order, study_id))
        compared = []
        for study, rank, order in self.special:
            converted = in_basis(study, basis, weight, bsa, area)
            assert converted is not None  # bound rows convert
            row_low, row_high, note = converted
            low, high = min(low, row_low), max(high, row_high)
            relation, distance = log_distance(p_low, p_high, row_low, row_high)
            compared.append(Compared(study, row_low, row_high, relation, True, distance, note))
            nearest.append((distance, rank, order, study.id))
        nearest.sort()
        verdict, fold = verdict_for(p_low, p_high, low, high, self.margin)
        outcome = Outcome(
            verdict,
            selection.level,
            low,
            high,
            len(nearest),
            selection.evidence,
            fold,
            compared,
            list(selection.notes),
        )
        return outcome, [near[3] for near in nearest]

    def findings(self, ctx: RuleContext) -> list[Finding]:
        """Every warning for this proposal, most severe first: the kind's, and those its
        numbers raise."""
        found = [
            (SEVERITY_ORDER[f.severity], i, f)
            for i, rule in self.rules
            if (f := rule(ctx)) is not None
        ]
        if not found:  # most rows: the kind's warnings alone, already in order
            return self.kind_findings
        return [f[2] for f in sorted(self.by_kind + found, key=_order)]

    def schedule_verdict(self, codes: list[str], schedule: object | None) -> ScheduleVerdict | None:
        """within / outside / no_data for the proposed schedule (None without one), against
        the bound rows that report a schedule."""
        if schedule is None:
            return None
        if not self.schedule_rows:
            return "no_data"
        return "outside" if SCHEDULE_CODES.intersection(codes) else "within"

    def run(
        self,
        p: Proposal,
        row: int = 0,
        viability: float | None = None,
        volume_ml: float | None = None,
        dmso: float | None = None,
        rate: float | None = None,
        schedule: object | None = None,
    ) -> dict[str, Any]:
        """The compact batch result for one row of this kind, its ``row`` number first."""
        outcome, match_ids = self.measure(p)
        ctx = self.context(p, outcome, viability, volume_ml, dmso, rate, schedule)
        found = self.findings(ctx)
        codes = list(self.kind_codes) if found is self.kind_findings else [f.code for f in found]
        low, high, total, per_kg = outcome.low, outcome.high, ctx.per_patient, ctx.per_kg
        return {
            "row": row,
            "ok": True,
            "verdict": outcome.verdict,
            "compared_at": outcome.level,
            "per_patient": None if total is None else {"low": total[0], "high": total[1]},
            "per_kg": None if per_kg is None else {"low": per_kg[0], "high": per_kg[1]},
            "reported": None
            if low is None or high is None
            else {
                "low": low,
                "high": high,
                "basis": p.basis,
                "studies": outcome.studies,
                "evidence": outcome.evidence,
            },
            "distance_fold": outcome.distance_fold,
            "match_ids": match_ids,
            "warning_codes": codes,
            "schedule_verdict": self.schedule_verdict(codes, schedule),
            "emptied_by": outcome.emptied_by,
        }


def _order(found: Found) -> tuple[int, int]:
    return found[0], found[1]


class _Extremes:
    """A kind's lowest and highest reported dose: fixed when every envelope is in the
    proposal's basis, else converted for each row's patient."""

    __slots__ = ("envelopes", "fixed", "value")

    def __init__(self, found: Envelopes, p: Proposal) -> None:
        self.envelopes = found
        self.fixed = all(basis == p.basis for basis, _, _ in found)
        self.value = extremes(found, p)

    def of(self, p: Proposal) -> tuple[float, float] | None:
        return self.value if self.fixed else extremes(self.envelopes, p)


def weight_for_predicted_rows(
    p: Proposal, height_cm: float | None, sex: Sex | None
) -> tuple[Proposal, Finding | None]:
    """The proposal to compare with rows dosed per kg of predicted body weight (the ARDS
    trials): the ARDSNet weight when height and sex are given, else the actual weight, said.
    Nothing to say without a weight (no row is then converted by one)."""
    if p.weight_kg is None:
        return p, None
    source = "ARDSNet predicted body weight; START (Wilson 2015, Matthay 2019)"
    if height_cm is not None and sex is not None:
        pbw = predicted_body_weight(height_cm, sex)
        text = (
            f"rows dosed per kg of predicted body weight: compared with "
            f"{format_quantity(pbw)} kg ({sex}, {format_quantity(height_cm)} cm; ARDSNet)"
        )
        return p._replace(weight_kg=pbw), Finding("PREDICTED_BODY_WEIGHT", "info", text, source)
    text = (
        "rows dosed per kg of predicted body weight: the actual weight was used "
        "(give --height and --sex to compare per kg of predicted body weight)"
    )
    return p, Finding("ACTUAL_WEIGHT_USED", "caution", text, source)
