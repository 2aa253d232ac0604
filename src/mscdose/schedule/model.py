"""The schedule grammar: text → :class:`Schedule` (how many doses, how far apart).

Accepted: ``once``, ``single``, ``weekly x4`` (``weekly ×4``, ``weekly for 4 weeks``),
``every 4 weeks x3``, ``q4w x3``, ``qw x4``, ``monthly x4``, ``every 3 days x4``,
``twice weekly for 4 weeks``, ``2 doses 1 week apart``, ``4 doses 3-5 days apart``,
``days 0,21``, ``day 0 and day 21``, ``at weeks 0, 2, 4``; the abbreviations
``qod``/``q.o.d.``, ``TIW``, ``BIW``, ``qd``, ``q1d`` (printed in words); and the
Chinese forms ``每周一次,连续4次``, ``每4周治疗一次,治疗3次``, ``每个月治疗一次,治疗4次``,
``间隔3-5天接受4次``, ``治疗2次,相隔1周``, ``单次``.

Refused with a hint: zero or negative counts and intervals, two intervals for one
schedule (``weekly x4 every 3 days``), unsorted or repeated days (``days 21,0``),
times a day (``bid``), and the forms that can be read two ways (``biweekly``, ``每隔3天``).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from datetime import date

from pydantic import model_validator

from mscdose.errors import ScheduleError
from mscdose.models import Frozen, Range

MAX_DOSES = 1000  # more administrations than any cell-therapy course: surely a slip
MAX_INTERVAL_DAYS = 3653  # ten years between doses
MAX_COURSE_DAYS = 36525  # a century from the first dose to the last
EXAMPLES = (
    "write e.g. 'once', 'weekly x4', 'every 4 weeks x3', 'twice weekly for 4 weeks', "
    "'4 doses 3-5 days apart' or 'days 0,21'"
)


class DayRange(Frozen):
    """A whole number of days, or a range of them (``low == high`` for a single value)."""

    low: int
    high: int

    @classmethod
    def point(cls, value: int) -> DayRange:
        return cls.model_construct(low=value, high=value)

    @property
    def is_point(self) -> bool:
        return self.low == self.high

    def __str__(self) -> str:
        return str(self.low) if self.is_point else f"{self.low}–{self.high}"


class Schedule(Frozen):
    """How a regimen is given: ``doses`` administrations, ``interval_days`` apart or on ``days``.

    ``interval_days`` is None for a single dose; for explicit ``days`` it spans the
    shortest to the longest gap. ``calendar_months`` marks ``monthly``/``every N months``
    (``interval_months`` each): calendar months from a start date, 28–31 days each without.

    >>> from mscdose.schedule.grammar import parse_schedule
    >>> s = parse_schedule("twice weekly for 4 weeks")
    >>> s.doses, s.interval_days.low, s.interval_days.high
    (8, 3, 4)
    >>> parse_schedule("每4周治疗一次,治疗3次").description
    'every 4 weeks, 3 doses'
    """

    text: str
    description: str
    doses: int
    interval_days: DayRange | None = None
    days: tuple[int, ...] | None = None
    calendar_months: bool = False
    interval_months: int | None = None
    min_interval_days: int | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Schedule:
        if self.doses < 1:
            raise ValueError("a schedule has at least one dose")
        if self.calendar_months != (self.interval_months is not None):
            raise ValueError("calendar_months and interval_months go together")
        if self.days is not None and len(self.days) != self.doses:
            raise ValueError("one day per dose")
        return self


def schedule_summary(schedule: Schedule) -> tuple[int, Range | None]:
    """``(doses, interval in days)`` for comparing with a table row's ``StudySchedule``.

    >>> from mscdose.schedule.grammar import parse_schedule
    >>> schedule_summary(parse_schedule("weekly x4"))
    (4, Range(low=7.0, high=7.0))
    """
    i = schedule.interval_days
    return schedule.doses, (
        Range.model_construct(low=float(i.low), high=float(i.high)) if i else None
    )


def parse_start_date(text: str) -> date:
    """A start date written ``YYYY-MM-DD``.

    >>> parse_start_date("2026-12-01")
    datetime.date(2026, 12, 1)
    """
    if not isinstance(text, str) or not re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", text):
        raise ScheduleError(
            f"cannot read the start date '{text}'",
            given=str(text),
            hint="write YYYY-MM-DD, e.g. 2026-12-01",
        )
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise ScheduleError(
            f"'{text.strip()}' is not a date on the calendar",
            given=text,
            hint="write YYYY-MM-DD, e.g. 2026-12-01",
        ) from exc


def add_months(start: date, months: int) -> date:
    """Calendar months later; a day the month lacks falls on its last day.

    >>> add_months(date(2028, 1, 31), 1)
    datetime.date(2028, 2, 29)
    """
    year, month0 = divmod(start.month - 1 + months, 12)
    year += start.year
    if year > dt.MAXYEAR:
        raise ScheduleError("the course runs past the year 9999", hint="check --start")
    return date(year, month0 + 1, min(start.day, calendar.monthrange(year, month0 + 1)[1]))
