"""The schedule grammar's internals: normalize, rewrite Chinese and abbreviations into
English, take out each statement (interval, count, duration, days), then check they agree.

The public entry is :func:`parse_schedule`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from mscdose.errors import ScheduleError
from mscdose.schedule.model import (
    EXAMPLES,
    MAX_COURSE_DAYS,
    MAX_DOSES,
    MAX_INTERVAL_DAYS,
    DayRange,
    Schedule,
)
from mscdose.schedule.words import plural as _plural
from mscdose.schedule.words import refuse as _refuse
from mscdose.schedule.words import rewrite
from mscdose.schedule.words import unit as _unit
from mscdose.text.grammar import normalize

_UNIT_DAYS = {"day": 1, "week": 7, "month": 0}


def _int(text: str, what: str, original: str) -> int:
    if len(text) > 6:
        raise ScheduleError(
            f"'{original}': the {what} {text} is far too large", given=original, hint=EXAMPLES
        )
    return int(text)


@dataclass
class _Interval:
    """One statement of how far apart the doses are."""

    source: str
    words: str
    low: int = 0  # days (0 for calendar months)
    high: int = 0
    months: int | None = None
    period_days: int | None = None  # for 'for N weeks': doses = duration × per_period / period
    per_period: int = 1
    apart: bool = False
    at: int = 0  # where it was written, to name statements in the order given


@dataclass
class _Found:
    intervals: list[_Interval] = field(default_factory=list)
    counts: list[tuple[int, str]] = field(default_factory=list)
    durations: list[tuple[int, str, str]] = field(default_factory=list)  # n, unit, source
    minimums: list[tuple[int, str]] = field(default_factory=list)
    day_lists: list[tuple[list[int], str, int]] = field(default_factory=list)
    once: list[str] = field(default_factory=list)


_N = r"(\d+)"
_RANGE = r"(\d+)(?:\s*(?:-|to)\s*(\d+))?"
_UNITS = r"(days?|weeks?|months?|d|wks?)"
_DOSE_WORDS = r"(?:doses?|times|infusions?|injections?|administrations?|treatments?)"
_FILLER = re.compile(
    r"[,;:()/.&+]|\b(?:and|of|a|an|the|on|at|in|given|treatment|treatments|course|doses?|"
    r"total|consecutive|consecutively|infusions?|injections?|administrations?|each|"
    r"repeated|iv)\b|治疗|接受|给药|输注|注射|静脉|使用|连续|共|总共|疗程|时间|次"
)


def _scan(s: str, original: str) -> _Found:
    found = _Found()

    def take(pattern: str, handler: Callable[[re.Match[str]], None]) -> None:
        nonlocal s

        def repl(m: re.Match[str]) -> str:
            before = len(found.intervals)
            handler(m)
            for i in found.intervals[before:]:
                i.at = m.start()
            return ";" * len(m.group())  # same length: positions keep the text's order

        s = re.sub(pattern, repl, s)

    def apart(m: re.Match[str]) -> None:
        lo = _int(m.group(2), "interval", original)
        hi = _int(m.group(3), "interval", original) if m.group(3) else lo
        unit = _unit(m.group(4))
        if m.group(1):  # 'at least 3 days apart'
            if unit != "day" or m.group(3):
                raise _refuse(
                    original,
                    f"'{m.group().strip()}': write a minimum in days",
                    "write e.g. 'at least 3 days apart'",
                )
            found.minimums.append((lo, m.group().strip()))
            return
        span = f"{lo} to {_plural(hi, unit)}" if hi != lo else _plural(lo, unit)
        found.intervals.append(
            _months(m.group(), f"{span} apart", lo, hi, unit, original, apart=True)
        )

    take(
        r"(?:(at least|≥|>=|minimum(?: of)?|min\.?)\s*)?"
        + _RANGE
        + r"[\s-]*"
        + _UNITS
        + r"\s*(?:apart|between doses|between each(?: dose)?|intervals?)",
        apart,
    )
    take(r"\bat\s*(?:an?\s*)?intervals?\s*of\s*()" + _RANGE + r"\s*" + _UNITS + r"\b", apart)

    def per_week(m: re.Match[str]) -> None:
        n = _int(m.group(1), "count", original)
        if n == 0:
            raise _refuse(original, "zero times a week is no schedule")
        if n > 7:
            raise _refuse(
                original,
                f"'{m.group().strip()}' is more than one dose a day",
                "cell therapies are counted in days: write e.g. 'daily x5'",
            )
        words = {1: "weekly", 2: "twice weekly", 3: "three times weekly"}.get(
            n, f"{n} times weekly"
        )
        found.intervals.append(
            _Interval(m.group(), words, 7 // n, -(-7 // n), period_days=7, per_period=n)
        )

    take(r"\b" + _N + r"\s*times\s*(?:a|per|each|every)?\s*week(?:ly)?\b", per_week)
    if m := re.search(r"\b\d+\s*times\s*(?:a|per|each|every)?\s*(?:day|daily)\b", s):
        raise _refuse(
            original,
            f"'{m.group()}' means doses within a day",
            "cell therapies are counted in days: write e.g. 'daily x5'",
        )
    if m := re.search(r"\b\d+\s*times\s*(?:a|per|each|every)?\s*month(?:ly)?\b", s):
        raise _refuse(
            original,
            f"'{m.group()}' is not a schedule mscdose can plan",
            "write the interval: e.g. 'every 2 weeks x6'",
        )

    def every(m: re.Match[str]) -> None:
        lo = _int(m.group(1), "interval", original)
        hi = _int(m.group(2), "interval", original) if m.group(2) else lo
        unit = _unit(m.group(3))
        if lo == hi == 1:
            words = {"day": "daily", "week": "weekly", "month": "monthly"}[unit]
        else:
            words = (
                f"every {lo} to {_plural(hi, unit)}" if hi != lo else f"every {_plural(lo, unit)}"
            )
        found.intervals.append(_months(m.group(), words, lo, hi, unit, original))

    take(r"\bevery\s*" + _RANGE + r"\s*" + _UNITS + r"\b", every)

    def fixed(words: str, low: int, months: int | None = None) -> Callable[[re.Match[str]], None]:
        def handler(m: re.Match[str]) -> None:
            found.intervals.append(
                _Interval(m.group(), words, low, low, months=months, period_days=low or None)
            )

        return handler

    take(
        r"\b(?:every\s*(?:other|second)\s*day|alternate\s*days|every\s*2nd\s*day)\b",
        fixed("every other day", 2),
    )
    take(r"\b(?:every\s*(?:other|second)\s*week|fortnightly)\b", fixed("every 2 weeks", 14))
    take(
        r"\b(?:once\s*(?:a|per|every)\s*day|(?:once\s*)?daily|every\s*day|each\s*day)\b",
        fixed("daily", 1),
    )
    take(
        r"\b(?:once\s*(?:a|per|every)\s*week|(?:once\s*)?weekly|every\s*week|each\s*week)\b",
        fixed("weekly", 7),
    )
    take(
        r"\b(?:once\s*(?:a|per|every)\s*month|(?:once\s*)?monthly|every\s*month|each\s*month)\b",
        fixed("monthly", 0, months=1),
    )
    take(
        r"\b(?:once|single(?:\s*(?:dose|administration|infusion|injection))?)\b",
        lambda m: found.once.append(m.group()),
    )

    def duration(m: re.Match[str]) -> None:
        found.durations.append(
            (_int(m.group(1), "duration", original), _unit(m.group(2)), m.group().strip())
        )

    take(r"\b(?:for|over|during|x)\s*" + _N + r"\s*(?:consecutive\s*)?" + _UNITS + r"\b", duration)

    def count(m: re.Match[str]) -> None:
        found.counts.append(
            (_int(next(g for g in m.groups() if g), "count", original), m.group().strip())
        )

    take(r"(?<![a-z])x\s*" + _N + r"(?:\s*" + _DOSE_WORDS + r")?", count)
    take(
        r"\b(?:(?:for|a\s*total\s*of|total(?:\s*of)?)\s*)?" + _N + r"\s*" + _DOSE_WORDS + r"\b",
        count,
    )

    def day_list(scale: int) -> Callable[[re.Match[str]], None]:
        def handler(m: re.Match[str]) -> None:
            found.day_lists.append(
                (
                    [_int(d, "day", original) * scale for d in re.findall(r"\d+", m.group())],
                    m.group().strip(),
                    m.start(),
                )
            )

        return handler

    sep = r"(?:\s*(?:,|and|&)\s*|\s+)"
    take(r"(?:\b(?:on|at)\s*)?\bdays?\s*\+?\d+(?:" + sep + r"(?:days?\s*)?\+?\d+)*", day_list(1))
    take(r"(?:\b(?:on|at)\s*)?\bweeks?\s*\d+(?:" + sep + r"(?:weeks?\s*)?\d+)*", day_list(7))

    left = " ".join(_FILLER.sub(" ", s).split())
    if left:
        raise _refuse(original, f"cannot read '{left}'")
    return found


def _months(
    source: str, words: str, lo: int, hi: int, unit: str, original: str, *, apart: bool = False
) -> _Interval:
    if unit == "month":
        if hi != lo:
            raise _refuse(
                original,
                f"'{source.strip()}': a range of months is not a calendar interval",
                "write it in days ('every 28-62 days') or as one number",
            )
        return _Interval(source, words, months=lo, apart=apart)
    k = _UNIT_DAYS[unit]
    return _Interval(
        source, words, lo * k, hi * k, period_days=lo * k if lo == hi else None, apart=apart
    )


def read_schedule(text: str) -> Schedule:
    """The grammar behind :func:`parse_schedule`."""
    if not isinstance(text, str):
        raise ScheduleError("a schedule must be text", given=repr(text), hint=EXAMPLES)
    original = " ".join(text.split())
    if not original:
        raise ScheduleError("the schedule is empty", given=text, hint=EXAMPLES)
    if len(original) > 300:
        raise ScheduleError(
            f"the schedule '{original[:40]}…' is too long to be one schedule",
            given=original[:300],
            hint=EXAMPLES,
        )
    s = normalize(text).replace("≥", " ≥ ")
    s = re.sub(r"(\d)\s*-\s*(\d)", r"\1-\2", s)
    if re.search(r"\bthen\b|然后|再", s):
        raise _refuse(
            original,
            "'then' joins two schedules",
            "mscdose plans one schedule at a time: plan each part on its own",
        )
    if re.search(r"(?<![\d.])-\s*\d", s):
        raise _refuse(original, "counts and intervals must be positive whole numbers")
    if m := re.search(r"(?<!\d)\d*\.\d+", s):
        raise _refuse(
            original,
            f"'{m.group()}': counts and intervals are whole numbers",
            "write whole days, e.g. 'every 3 days x4' or '4 doses 3-4 days apart'",
        )
    s = rewrite(s, original)
    return _build(_scan(s, original), original)


def _build(f: _Found, original: str) -> Schedule:
    if len(f.counts) > 1:
        a, b = f.counts[0][1], f.counts[1][1]
        raise _refuse(
            original,
            f"gives the number of doses twice ('{a}' and '{b}')",
            "write it once, e.g. 'weekly x4'",
        )
    if len(f.durations) > 1:
        raise _refuse(
            original, "gives the duration twice", "write it once, e.g. 'weekly for 4 weeks'"
        )
    statements = [
        text
        for _, text in sorted(
            [(i.at, i.source.strip()) for i in f.intervals] + [(d[2], d[1]) for d in f.day_lists]
        )
    ]
    if len(statements) > 1:
        raise _refuse(
            original,
            f"gives two intervals, '{statements[0]}' and '{statements[1]}'",
            "write one, e.g. 'weekly x4' or 'every 3 days x4'",
        )
    count = f.counts[0][0] if f.counts else None
    if count is not None and count < 1:
        raise _refuse(original, f"'{f.counts[0][1]}' is no dose at all", "write at least x1")
    if f.once:
        if statements or f.durations or f.minimums or (count is not None and count != 1):
            raise _refuse(
                original,
                f"'{f.once[0]}' is a single dose, but the schedule also repeats it",
                "write 'once' alone, or e.g. 'weekly x4'",
            )
        return Schedule.model_construct(text=original, description="once (a single dose)", doses=1)
    if f.day_lists:
        return _from_days(f, original, count)
    if not f.intervals:
        if count == 1 and not f.durations:
            return Schedule.model_construct(
                text=original, description="once (a single dose)", doses=1
            )
        if count is not None:
            raise _refuse(
                original,
                f"says how many doses ({count}) but not how far apart",
                "write e.g. 'weekly x4' or '4 doses 3-5 days apart'",
            )
        raise _refuse(original, "has no interval and no number of doses")
    return _from_interval(f.intervals[0], f, original, count)


def _from_days(f: _Found, original: str, count: int | None) -> Schedule:
    days, source, _ = f.day_lists[0]
    if f.durations:
        raise _refuse(
            original,
            f"lists the days ('{source}') and a duration too",
            "write the days alone, e.g. 'days 0,21'",
        )
    if any(b <= a for a, b in pairwise(days)):
        raise _refuse(
            original,
            f"the days in '{source}' must rise, each once",
            "write them in order without repeats, e.g. 'days 0,21'",
        )
    if count is not None and count != len(days):
        raise _refuse(
            original,
            f"lists {len(days)} days but says {count} doses",
            "write the days alone, e.g. 'days 0,21'",
        )
    gaps = [b - a for a, b in pairwise(days)]
    if days[-1] - days[0] > MAX_COURSE_DAYS:
        raise _refuse(original, "the course runs longer than a century", "check the days")
    minimum = _minimum(f, original)
    if minimum is not None and gaps and min(gaps) < minimum:
        raise _refuse(
            original,
            f"days {min(gaps)} apart break 'at least {minimum} days apart'",
            "move the days apart or drop the minimum",
        )
    scale = 7 if source.lstrip("onat ").startswith("week") else 1
    shown = [str(d // scale) for d in days]
    listed = f"{', '.join(shown[:-1])} and {shown[-1]}" if len(shown) > 1 else shown[0]
    word = ("week" if scale == 7 else "day") + ("s" if len(days) > 1 else "")
    return Schedule.model_construct(
        text=original,
        description=f"on {word} {listed}: {_plural(len(days), 'dose')}",
        doses=len(days),
        days=tuple(days),
        min_interval_days=minimum,
        interval_days=DayRange.model_construct(low=min(gaps), high=max(gaps)) if gaps else None,
    )


def _minimum(f: _Found, original: str) -> int | None:
    if len(f.minimums) > 1:
        raise _refuse(original, "gives the minimum interval twice", "write it once")
    if not f.minimums:
        return None
    if f.minimums[0][0] < 1:
        raise _refuse(
            original,
            "a minimum of 0 days apart is no minimum",
            "write e.g. 'at least 3 days apart'",
        )
    return f.minimums[0][0]


def _from_interval(i: _Interval, f: _Found, original: str, count: int | None) -> Schedule:
    if (i.months if i.months is not None else min(i.low, i.high)) < 1:
        raise _refuse(
            original,
            f"'{i.source.strip()}' is an interval of zero",
            "write e.g. 'daily x5', 'every 3 days x4' or 'monthly x4'",
        )
    if i.low > i.high:
        raise _refuse(
            original,
            f"'{i.source.strip()}' runs backwards",
            "write the shorter interval first, e.g. '3-5 days apart'",
        )
    if max(i.high, 31 * (i.months or 0)) > MAX_INTERVAL_DAYS:
        raise _refuse(
            original,
            f"'{i.source.strip()}' is more than ten years between doses",
            "check the interval",
        )
    doses = count
    for_words = ""
    if f.durations:
        n, unit, source = f.durations[0]
        from_duration = _doses_in(i, n, unit, source, original)
        if doses is not None and doses != from_duration:
            raise _refuse(
                original,
                f"'{source}' makes {from_duration} doses, not {doses}",
                "write the count or the duration, not both",
            )
        doses = from_duration
        for_words = f" for {_plural(n, unit)}"
    if doses is None:
        raise _refuse(
            original, f"says '{i.words}' but not how many doses", f"write e.g. '{i.words} x4'"
        )
    if doses < 1:
        raise _refuse(original, "makes no dose at all", "write at least x1")
    if doses > MAX_DOSES:
        raise _refuse(
            original, f"{doses} doses is more than any course ({MAX_DOSES})", "check the count"
        )
    low, high = (28 * i.months, 31 * i.months) if i.months else (i.low, i.high)
    if (doses - 1) * high > MAX_COURSE_DAYS:
        raise _refuse(original, "the course runs longer than a century", "check the count")
    minimum = _minimum(f, original)
    if minimum is not None:
        if minimum > high or (i.per_period > 1 and minimum * i.per_period > 7):
            raise _refuse(
                original,
                f"'{i.words}' is never 'at least {minimum} days apart'",
                "drop one of them",
            )
        if minimum > low and i.months is None:
            low = minimum
    if for_words:
        span = f"{low} to {high} days" if low != high else _plural(low, "day")
        description = f"{i.words}{for_words}: {_plural(doses, 'dose')}"
        if i.per_period > 1 or low != high:
            description += f", {span} apart"
    elif i.apart:
        description = f"{_plural(doses, 'dose')}, {i.words}"
    else:
        description = f"{i.words}, {_plural(doses, 'dose')}"
        if i.per_period > 1:
            description += f", {low} to {high} days apart"
    if i.months:
        description = description.replace(i.words, f"{i.words} (calendar months)", 1)
    if minimum is not None:
        description += f" (at least {_plural(minimum, 'day')} apart)"
    return Schedule.model_construct(
        text=original,
        description=description,
        doses=doses,
        interval_days=DayRange.model_construct(low=low, high=high),
        calendar_months=i.months is not None,
        interval_months=i.months,
        min_interval_days=minimum,
    )


def _doses_in(i: _Interval, n: int, unit: str, source: str, original: str) -> int:
    """Doses in 'for N weeks': weekly for 4 weeks = 4, twice weekly for 4 weeks = 8."""
    if i.apart:
        raise _refuse(
            original,
            f"'{i.source.strip()}' with '{source}' leaves the count open",
            f"write the number of doses, e.g. '4 doses {i.words}'",
        )
    if n < 1:
        raise _refuse(original, f"'{source}' is no time at all", "write e.g. 'for 4 weeks'")
    if i.months is not None or unit == "month":
        if i.months is None or unit != "month":
            raise _refuse(
                original,
                f"'{i.words}' {source} mixes months with days or weeks",
                f"write the number of doses, e.g. '{i.words} x4'",
            )
        total, step = n, i.months
    else:
        if i.period_days is None:
            raise _refuse(
                original,
                f"'{i.words}' {source} leaves the count open",
                f"write the number of doses, e.g. '{i.words} x4'",
            )
        total, step = n * _UNIT_DAYS[unit] * i.per_period, i.period_days
    if total % step:
        raise _refuse(
            original,
            f"'{i.words}' does not fit a whole number of times in '{source}'",
            f"write the number of doses, e.g. '{i.words} x4'",
        )
    return total // step


def parse_schedule(text: str) -> Schedule:
    """Read a schedule; anything unreadable or self-contradicting is a ScheduleError.

    >>> parse_schedule("4 doses 3-5 days apart").interval_days
    DayRange(low=3, high=5)
    >>> parse_schedule("q.o.d. x4").description
    'every other day, 4 doses'
    >>> parse_schedule("days 0,21").days
    (0, 21)
    """
    if not isinstance(text, str):
        raise ScheduleError("a schedule must be text", given=repr(text), hint=EXAMPLES)
    return _cached(text)


@lru_cache(maxsize=1024)
def _cached(text: str) -> Schedule:  # batch rows repeat a few schedules many times
    return read_schedule(text)
