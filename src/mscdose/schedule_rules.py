"""Warning rules about a proposed schedule against the schedules of the matched rows: an
interval shorter than any reported, more doses, a larger course."""

from __future__ import annotations

from mscdose.finding import Finding, RuleContext
from mscdose.numbers import format_dose, format_quantity


def _proposed_schedule(ctx: RuleContext) -> tuple[int, float | None] | None:
    """(doses, shortest interval in days) of the proposed schedule, if one was given."""
    s = ctx.schedule
    if s is None:
        return None
    from mscdose.schedule import Schedule

    if not isinstance(s, Schedule):
        return None
    if s.days:
        gaps = [b - a for a, b in zip(s.days, s.days[1:], strict=False)]
        return s.doses, float(min(gaps)) if gaps else None
    return s.doses, float(s.interval_days.low) if s.interval_days else None


def _scheduled_rows(ctx: RuleContext) -> list[tuple[float, int, float | None]]:
    """(row high in the proposal's basis, doses, shortest interval) of compared rows that
    carry a schedule."""
    out = []
    for c in ctx.outcome.compared:
        sched = c.study.schedule
        if c.high is not None and sched is not None and sched.doses:
            gap = sched.interval_days.low if sched.interval_days else None
            out.append((c.high, sched.doses, gap))
    return out


def short_interval(ctx: RuleContext) -> Finding | None:
    proposed = _proposed_schedule(ctx)
    if proposed is None or proposed[0] < 2 or proposed[1] is None:
        return None
    gaps = [gap for _, doses, gap in _scheduled_rows(ctx) if gap is not None and doses > 1]
    if not gaps or proposed[1] >= min(gaps):
        return None
    return Finding("SHORT_INTERVAL", "caution",
                   f"doses {format_quantity(proposed[1])} days apart: shorter than any reported "
                   f"interval for these rows ({format_quantity(min(gaps))} days; the GVHD labels "
                   "require at least 3 days)",
                   "schedules of the matched rows; Ryoncil and Temcell labels")


def more_doses_than_reported(ctx: RuleContext) -> Finding | None:
    proposed = _proposed_schedule(ctx)
    rows = _scheduled_rows(ctx)
    if proposed is None or not rows:
        return None
    most = max(doses for _, doses, _ in rows)
    if proposed[0] <= most:
        return None
    return Finding("MORE_DOSES_THAN_REPORTED", "info",
                   f"{proposed[0]} doses: more than any reported schedule for these rows ({most})",
                   "schedules of the matched rows")


def course_above_reported(ctx: RuleContext) -> Finding | None:
    proposed = _proposed_schedule(ctx)
    if proposed is None:
        return None
    rows = _scheduled_rows(ctx)
    if not rows:
        return None
    p = ctx.proposal
    course = p.high * proposed[0]
    top = max(high * doses for high, doses, _ in rows)
    if course <= top:
        return None
    doses = proposed[0]

    def message() -> str:
        def dose(n: float) -> str:
            return format_dose(n, n, p.basis, p.cells)
        return (f"the course ({doses} × {dose(p.high)} = {dose(course)}) is above the largest "
                f"reported course for these rows ({dose(top)})")

    return Finding("COURSE_ABOVE_REPORTED", "caution", message, "schedules of the matched rows")
