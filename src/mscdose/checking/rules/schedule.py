"""Warning rules about a proposed schedule against the schedules of the matched rows: an
interval shorter than any reported, more doses, a larger course."""

from __future__ import annotations

from collections.abc import Iterable

from mscdose.checking.compare import Compared
from mscdose.checking.rules.context import Finding, RuleContext
from mscdose.text.display import format_dose, format_quantity


def _proposed_schedule(ctx: RuleContext) -> tuple[int, float | None] | None:
    """(doses, shortest interval in days) of the proposed schedule, if one was given."""
    s = ctx.schedule
    if s is None:
        return None
    # imported on first use to keep start-up fast (only a scheduled check needs it)
    from mscdose.schedule.model import Schedule

    if not isinstance(s, Schedule):
        return None
    if s.days:
        gaps = [b - a for a, b in zip(s.days, s.days[1:], strict=False)]
        return s.doses, float(min(gaps)) if gaps else None
    return s.doses, float(s.interval_days.low) if s.interval_days else None


def scheduled_rows(compared: Iterable[Compared]) -> list[Compared]:
    """The rows that set the bound and report a schedule with a number of doses: all that a
    schedule is measured against (other indications' schedules never count)."""
    return [
        c
        for c in compared
        if c.sets_bound
        and c.high is not None
        and c.study.schedule is not None
        and c.study.schedule.doses
    ]


def _scheduled_rows(ctx: RuleContext) -> list[tuple[float, int, float | None, str]]:
    """(row high in the proposal's basis, doses, shortest interval, id) of those rows."""
    out = []
    for c in scheduled_rows(ctx.outcome.compared):
        sched = c.study.schedule
        assert sched is not None and sched.doses is not None and c.high is not None
        gap = sched.interval_days.low if sched.interval_days else None
        out.append((c.high, sched.doses, gap, c.study.id))
    return out


def _ids(rows: list[tuple[float, int, float | None, str]]) -> str:
    ids = [r[3] for r in rows]
    return ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")


def short_interval(ctx: RuleContext) -> Finding | None:
    proposed = _proposed_schedule(ctx)
    if proposed is None or proposed[0] < 2 or proposed[1] is None:
        return None
    rows = [r for r in _scheduled_rows(ctx) if r[2] is not None and r[1] > 1]
    if not rows:
        return None
    shortest = min(r[2] for r in rows if r[2] is not None)
    if proposed[1] >= shortest:
        return None
    return Finding(
        "SHORT_INTERVAL",
        "caution",
        f"doses {format_quantity(proposed[1])} days apart: shorter than any reported "
        f"interval for these rows ({format_quantity(shortest)} days; {_ids(rows)})",
        "schedules of the matched rows",
    )


def more_doses_than_reported(ctx: RuleContext) -> Finding | None:
    proposed = _proposed_schedule(ctx)
    rows = _scheduled_rows(ctx)
    if proposed is None or not rows:
        return None
    most = max(r[1] for r in rows)
    if proposed[0] <= most:
        return None
    return Finding(
        "MORE_DOSES_THAN_REPORTED",
        "caution",
        f"{proposed[0]} doses: more than any reported schedule for these rows "
        f"({most}; {_ids(rows)})",
        "schedules of the matched rows",
    )


def course_above_reported(ctx: RuleContext) -> Finding | None:
    proposed = _proposed_schedule(ctx)
    if proposed is None:
        return None
    rows = _scheduled_rows(ctx)
    if not rows:
        return None
    p = ctx.proposal
    course = p.high * proposed[0]
    top = max(r[0] * r[1] for r in rows)
    if course <= top:
        return None
    doses = proposed[0]

    def message() -> str:
        def dose(n: float) -> str:
            return format_dose(n, n, p.basis, p.cells)

        return (
            f"the course ({doses} × {dose(p.high)} = {dose(course)}) is above the largest "
            f"reported course for these rows ({dose(top)}; {_ids(rows)})"
        )

    return Finding("COURSE_ABOVE_REPORTED", "caution", message, "schedules of the matched rows")


# the findings that put a schedule outside what was reported (schedule_verdict "outside")
SCHEDULE_CODES = frozenset({"SHORT_INTERVAL", "MORE_DOSES_THAN_REPORTED", "COURSE_ABOVE_REPORTED"})
