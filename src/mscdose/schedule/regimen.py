"""A regimen: doses on a schedule → each administration's day, date, cells and running total.

``plan`` does the arithmetic on parsed values; ``plan_regimen`` reads the texts a person
types (``2e6/kg then 6e6/kg at day 21``, ``twice weekly for 4 weeks``) and calls it;
:func:`mscdose.schedule.ics.regimen_ics` writes the administrations as an iCalendar file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from itertools import pairwise
from typing import Literal

from mscdose.dose.conversion import convert
from mscdose.errors import ScheduleError
from mscdose.models import SCHEMA_VERSION, Conversion, Count, Dose, Frozen, Patient, Range, Vial
from mscdose.schedule.grammar import parse_schedule
from mscdose.schedule.model import (
    MAX_COURSE_DAYS,
    DayRange,
    Schedule,
    add_months,
    parse_start_date,
)
from mscdose.text.display import format_range, format_span, unit_label
from mscdose.text.grammar import parse_dose
from mscdose.text.numerals import chinese_value, english_value


class DateRange(Frozen):
    """The dates an administration may fall on (``low == high`` for a fixed date)."""

    low: dt.date
    high: dt.date


class DoseStep(Frozen):
    """One part of ``2e6/kg then 6e6/kg at day 21``: the dose and, if said, its day."""

    text: str
    dose: Dose
    day: int | None = None


class Administration(Frozen):
    """The n-th administration. ``cells`` is per patient; None when it needs a missing input
    (a per-kg dose without a weight: then ``cells_per_kg`` carries the arithmetic)."""

    n: int
    day: DayRange
    date: DateRange | None
    dose: Dose
    cells: Range | None
    cells_per_kg: Range | None
    cumulative_cells: Range | None
    cumulative_per_kg: Range | None
    vials: Count | None = None


class RegimenPlan(Frozen):
    """Every administration of a course, with cumulative cells, totals and duration."""

    schema_version: Literal[1] = SCHEMA_VERSION
    input: str
    dose: Dose
    varying_doses: bool
    schedule: Schedule
    patient: Patient
    route: str | None = None
    start: dt.date | None = None
    administrations: list[Administration]
    total_cells: Range | None
    total_per_kg: Range | None
    duration_days: DayRange
    steps: list[str]
    total_vials: Count | None = None


# --- doses that change from one administration to the next -----------------------------------

_THEN = re.compile(r"\s*,?\s*\b(?:then|followed\s+by)\b\s*|\s*[,，]?\s*然后\s*", re.IGNORECASE)
_NUMBER = r"(\d{1,5}|[a-z]+|[一二两三四五六七八九十]+)"
_TIMING = [
    ("abs", 1, re.compile(r"(?:^|[\s,，]+)(?:(?:at|on)\s+)?(?:day|d)\s*\+?(\d{1,6})\s*$", re.I)),
    ("abs", 7, re.compile(r"(?:^|[\s,，]+)(?:(?:at|on)\s+)?(?:week|wk)\s*(\d{1,6})\s*$", re.I)),
    ("rel", 0, re.compile(r"[\s,，]*" + _NUMBER + r"\s+(days?|weeks?)\s+later\s*$", re.I)),
    ("rel", 0, re.compile(r"[\s,，]*(?:after|in)\s+" + _NUMBER + r"\s+(days?|weeks?)\s*$", re.I)),
    ("abs", 1, re.compile(r"[\s,，]*第\s*(\d{1,6}|[一二两三四五六七八九十]+)\s*[天日]\s*$")),
    (
        "rel",
        0,
        re.compile(
            r"[\s,，]*(\d{1,6}|[一二两三四五六七八九十]+)\s*(天|日|周|星期)\s*"
            r"(?:后|之后|以后)\s*$"
        ),
    ),
]


def _count(word: str, part: str) -> int:
    w = word.lower()
    if w.isdigit():
        return int(w)
    value = 1 if w == "a" else english_value(w) if w.isascii() else chinese_value(w)
    if value is not None:
        return value
    raise ScheduleError(
        f"cannot read '{word}' as a number of days or weeks in '{part}'",
        given=part,
        hint="write e.g. '6e6/kg at day 21' or '6e6/kg 3 weeks later'",
    )


def parse_regimen_doses(text: str) -> list[DoseStep]:
    """Split ``A then B at day N`` into doses, each read by the strict ``parse_dose``.

    A later dose says when it comes: ``at day 21``, ``at week 3``, ``3 weeks later``,
    ``after 21 days`` (``三周后``, ``第21天``). The first dose is on day 0 unless it says.

    >>> [(s.dose.low, s.day) for s in parse_regimen_doses("2e6/kg then 6e6/kg at day 21")]
    [(2000000.0, 0), (6000000.0, 21)]
    >>> [s.day for s in parse_regimen_doses("2e6/kg")]
    [None]
    """
    if not isinstance(text, str):
        raise ScheduleError("a dose must be text", given=repr(text))
    if len(text) > 2000:
        raise ScheduleError(
            "the doses are too long to read",
            given=text[:200],
            hint="write e.g. '2e6/kg then 6e6/kg at day 21'",
        )
    parts = _THEN.split(text)
    if len(parts) > 1 and any(not p.strip() for p in parts):
        raise ScheduleError(
            f"'{' '.join(text.split())}': a 'then' with no dose beside it",
            given=text,
            hint="write e.g. '2e6/kg then 6e6/kg at day 21'",
        )
    timings: list[tuple[str, int] | None] = []
    doses: list[Dose] = []
    for part in parts:
        timing: tuple[str, int] | None = None
        for kind, scale, pattern in _TIMING:
            if m := pattern.search(part):
                n = _count(m.group(1), part)
                if scale == 0:
                    unit = m.group(2).lower()
                    scale = 7 if unit.startswith(("week", "周", "星期")) else 1
                timing = (kind, n * scale)
                part = part[: m.start()]
                break
        timings.append(timing)
        doses.append(parse_dose(part))
    days = _resolve_days(timings, text)
    return [
        DoseStep.model_construct(text=" ".join(p.split()), dose=d, day=day)
        for p, d, day in zip(parts, doses, days, strict=True)
    ]


def _resolve_days(timings: list[tuple[str, int] | None], text: str) -> list[int | None]:
    if all(t is None for t in timings):
        return [None] * len(timings)
    shown = " ".join(text.split())
    days: list[int | None] = []
    previous: int | None = None
    for i, timing in enumerate(timings):
        if timing is None:
            if i:
                raise ScheduleError(
                    f"'{shown}': say when dose {i + 1} is given",
                    given=text,
                    hint="write e.g. '2e6/kg then 6e6/kg at day 21'",
                )
            day = 0
        elif timing[0] == "rel":
            if previous is None:
                raise ScheduleError(
                    f"'{shown}': the first dose cannot come 'later'",
                    given=text,
                    hint="write e.g. '2e6/kg then 6e6/kg 3 weeks later'",
                )
            day = previous + timing[1]
        else:
            day = timing[1]
        if previous is not None and day <= previous:
            raise ScheduleError(
                f"'{shown}': dose {i + 1} (day {day}) must come after dose {i} (day {previous})",
                given=text,
                hint="give the days in order, e.g. 'at day 0 … then … at day 21'",
            )
        if day > MAX_COURSE_DAYS:
            raise ScheduleError(
                f"'{shown}': day {day} is more than a century away",
                given=text,
                hint="check the day",
            )
        days.append(day)
        previous = day
    return days


def regimen_schedule(steps: Sequence[DoseStep], schedule: Schedule | None) -> Schedule:
    """The schedule the doses follow: from their days, from ``schedule``, or both if they agree."""
    days = [s.day for s in steps]
    if days[0] is None:
        if schedule is None:
            raise ScheduleError(
                "no schedule: say how often the dose is given",
                hint="give --schedule, e.g. 'once', 'weekly x4' or '4 doses 3-5 days apart'",
            )
        if len(steps) not in (1, schedule.doses):
            raise ScheduleError(
                f"{len(steps)} doses given for {schedule.doses} administrations "
                f"('{schedule.text}')",
                hint="give one dose for every administration, or one dose per administration",
            )
        return schedule
    known = [d for d in days if d is not None]
    derived = parse_schedule("days " + ",".join(map(str, known)))
    if schedule is None:
        return derived
    offsets = [d - known[0] for d in known]
    if schedule.doses != len(known):
        raise ScheduleError(
            f"the doses give {len(known)} administrations but the schedule "
            f"'{schedule.text}' has {schedule.doses}",
            hint="drop --schedule when the doses say their days",
        )
    if schedule.days is not None and [d - schedule.days[0] for d in schedule.days] != offsets:
        raise ScheduleError(
            f"the doses' days ({', '.join(map(str, known))}) differ from the "
            f"schedule '{schedule.text}'",
            hint="drop --schedule when the doses say their days",
        )
    if schedule.interval_days is not None and schedule.days is None:
        lo, hi = schedule.interval_days.low, schedule.interval_days.high
        for a, b in pairwise(known):
            if not lo <= b - a <= hi:
                raise ScheduleError(
                    f"the doses are {b - a} days apart but the schedule "
                    f"'{schedule.text}' says {schedule.interval_days} days",
                    hint="drop --schedule when the doses say their days",
                )
    return derived.model_copy(update={"text": schedule.text})


# --- the plan -------------------------------------------------------------------------------


def _later(start: dt.date, days: int) -> dt.date:
    try:
        return start + dt.timedelta(days=days)
    except OverflowError as exc:
        raise ScheduleError("the course runs past the year 9999", hint="check --start") from exc


def _days(schedule: Schedule, start: dt.date | None) -> list[DayRange]:
    if schedule.days is not None:
        return [DayRange.point(d - schedule.days[0]) for d in schedule.days]
    if schedule.calendar_months and schedule.interval_months and start is not None:
        return [
            DayRange.point((add_months(start, k * schedule.interval_months) - start).days)
            for k in range(schedule.doses)
        ]
    i = schedule.interval_days or DayRange.point(0)
    return [DayRange.model_construct(low=k * i.low, high=k * i.high) for k in range(schedule.doses)]


def _add(a: Range | None, b: Range | None) -> Range | None:
    return (
        None
        if a is None or b is None
        else Range.model_construct(low=a.low + b.low, high=a.high + b.high)
    )


def plan(
    doses: Dose | Sequence[Dose],
    schedule: Schedule,
    patient: Patient | None = None,
    start: dt.date | None = None,
    *,
    route: str | None = None,
    text: str | None = None,
    vial: Vial | None = None,
    ascii: bool = False,
) -> RegimenPlan:
    """Each administration's day, date, cells and cumulative cells; the course's totals.

    >>> from mscdose.dose.conversion import make_patient
    >>> p = plan(parse_dose("2e6/kg"), parse_schedule("twice weekly for 4 weeks"),
    ...          make_patient(weight_kg=20))
    >>> p.total_cells.high, p.total_per_kg.high, p.duration_days
    (320000000.0, 16000000.0, DayRange(low=21, high=28))
    """
    patient = patient or Patient.model_construct()
    given = [doses] if isinstance(doses, Dose) else list(doses)
    if len(given) not in (1, schedule.doses):
        raise ScheduleError(
            f"{len(given)} doses given for {schedule.doses} administrations",
            hint="give one dose for all, or one per administration",
        )
    per_admin = given * schedule.doses if len(given) == 1 else given
    conversions: dict[Dose, Conversion] = {}
    steps: list[str] = []
    for d in per_admin:
        if d not in conversions:
            conversions[d] = convert(d, patient, vial=vial, ascii=ascii)
            steps.extend(s for s in conversions[d].steps if s not in steps)
    days = _days(schedule, start)
    administrations: list[Administration] = []
    total: Range | None = Range.point(0.0)
    total_kg: Range | None = Range.point(0.0)
    for n, (d, day) in enumerate(zip(per_admin, days, strict=True), start=1):
        c = conversions[d]
        total, total_kg = _add(total, c.per_patient), _add(total_kg, c.per_kg)
        when = None
        if start is not None:
            when = DateRange.model_construct(
                low=_later(start, day.low), high=_later(start, day.high)
            )
        administrations.append(
            Administration.model_construct(
                n=n,
                day=day,
                date=when,
                dose=d,
                cells=c.per_patient,
                cells_per_kg=c.per_kg,
                cumulative_cells=total,
                cumulative_per_kg=total_kg,
                vials=None if c.vials is None else c.vials.count,
            )
        )
    steps += _total_steps(administrations, ascii)
    vials = _total_vials(administrations, steps, ascii) if vial is not None else None
    steps += _duration_steps(schedule, days, start, ascii)
    return RegimenPlan.model_construct(
        input=text if text is not None else conversions[per_admin[0]].display,
        dose=per_admin[0],
        varying_doses=len(set(per_admin)) > 1,
        schedule=schedule,
        patient=patient,
        route=route,
        start=start,
        administrations=administrations,
        total_cells=total,
        total_per_kg=total_kg,
        duration_days=days[-1],
        steps=steps,
        total_vials=vials,
    )


def _total_vials(items: list[Administration], steps: list[str], ascii: bool) -> Count | None:
    """The course's vials: each administration opens its own (what is left in a thawed vial is
    not carried to the next)."""
    counts = [a.vials for a in items]
    if any(c is None for c in counts):
        return None
    low = sum(c.low for c in counts if c is not None)
    high = sum(c.high for c in counts if c is not None)
    times = "x" if ascii else "×"
    total = format_span(low, high, ascii=ascii)
    if len(set(counts)) == 1 and counts[0] is not None:
        each = counts[0]
        one = format_span(each.low, each.high, ascii=ascii)
        one = one if each.low == each.high else f"({one})"
        steps.append(
            f"{len(counts)} administration{'s' if len(counts) > 1 else ''} {times} {one} "
            f"vials = {total} vials in the course (each administration opens its own)"
        )
    else:
        steps.append(f"the administrations open {total} vials in all (each opens its own)")
    return Count.model_construct(low=low, high=high)


def _total_steps(items: list[Administration], ascii: bool) -> list[str]:
    steps: list[str] = []
    cells = items[0].dose.cells
    for field, basis in (("cells", "per_patient"), ("cells_per_kg", "per_kg")):
        values: list[Range | None] = [getattr(a, field) for a in items]
        unit = unit_label(basis, cells, ascii=ascii)
        known = [v for v in values if v is not None]
        if len(known) < len(values):
            if known:
                steps.append(
                    f"course total in {unit}: not every administration can be "
                    "expressed so (give --weight)"
                )
            continue
        final = items[-1].cumulative_cells if field == "cells" else items[-1].cumulative_per_kg
        assert final is not None
        result = f"{format_range(final.low, final.high, ascii=ascii)} {unit} in the course"

        def term(r: Range) -> str:
            text = format_range(r.low, r.high, ascii=ascii)
            return text if r.is_point else f"({text})"

        if len(set(known)) == 1:
            one = term(known[0])
            times = "x" if ascii else "×"
            steps.append(
                f"{len(known)} administration{'s' if len(known) > 1 else ''} {times} "
                f"{one} {unit} = {result}"
            )
        elif len(known) <= 6:
            terms = " + ".join(term(v) for v in known)
            steps.append(f"{terms} {unit} = {result}")
        else:
            steps.append(f"the {len(known)} administrations add up to {result}")
    return steps


def _duration_steps(
    schedule: Schedule, days: list[DayRange], start: dt.date | None, ascii: bool
) -> list[str]:
    last = days[-1]
    steps: list[str] = []
    dash, times = ("-", "x") if ascii else ("–", "×")

    def show(r: DayRange) -> str:
        return format_span(r.low, r.high, ascii=ascii)

    if schedule.days is not None and schedule.days[0] != 0:
        steps.append(
            f"the schedule's day {schedule.days[0]} is the first administration "
            "(day 0 here); days count from it"
        )
    if schedule.doses == 1:
        return steps
    gaps = schedule.doses - 1
    if schedule.calendar_months and start is not None:
        end = _later(start, last.low)
        months = gaps * (schedule.interval_months or 1)
        lacks = " (a day a month lacks falls on its last day)" if start.day > 28 else ""
        steps.append(
            f"{months} calendar month{'s' if months > 1 else ''} from {start} to "
            f"{end} = {last.low} days{lacks}"
        )
    elif schedule.days is None and schedule.interval_days is not None:
        i = schedule.interval_days
        note = (
            f" (months of 28{dash}31 days; give --start for calendar months)"
            if schedule.calendar_months
            else ""
        )
        steps.append(
            f"{gaps} interval{'s' if gaps > 1 else ''} {times} {show(i)} days = "
            f"{show(last)} days from "
            f"the first administration to the last{note}"
        )
    else:
        steps.append(f"the last administration is {show(last)} days after the first")
    if not last.is_point and start is not None:
        steps.append(
            f"a day range such as {show(days[1])} is a window: the administration "
            "falls on one of its days"
        )
    return steps


def plan_regimen(
    dose: str | Sequence[str],
    schedule: str | None,
    patient: Patient | None = None,
    start: dt.date | str | None = None,
    *,
    route: str | None = None,
    vial: Vial | None = None,
    ascii: bool = False,
) -> RegimenPlan:
    """Read the texts a person types and plan the course (what ``mscdose regimen`` does).

    >>> p = plan_regimen("2e6/kg then 6e6/kg at day 21", None, start="2026-12-01")
    >>> [str(a.date.low) for a in p.administrations], p.total_per_kg.high
    (['2026-12-01', '2026-12-22'], 8000000.0)
    """
    texts = [dose] if isinstance(dose, str) else list(dose)
    if not texts:
        raise ScheduleError("no dose given", hint="give a dose, e.g. '2e6/kg'")
    joined = " then ".join(texts)
    steps = parse_regimen_doses(joined)
    chosen = regimen_schedule(steps, parse_schedule(schedule) if schedule is not None else None)
    when = parse_start_date(start) if isinstance(start, str) else start
    return plan(
        [s.dose for s in steps],
        chosen,
        patient,
        when,
        route=route,
        text=" ".join(joined.split()),
        vial=vial,
        ascii=ascii,
    )
