"""Schedules and regimens: the grammar, varying doses, the plan's arithmetic, dates, calendars."""

from __future__ import annotations

import contextlib
import datetime as dt
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mscdose.dose.conversion import make_patient
from mscdose.errors import MscdoseError, ScheduleError
from mscdose.models import Range
from mscdose.schedule.grammar import parse_schedule
from mscdose.schedule.ics import regimen_ics
from mscdose.schedule.model import (
    DayRange,
    add_months,
    parse_start_date,
    schedule_summary,
)
from mscdose.schedule.regimen import (
    DoseStep,
    parse_regimen_doses,
    plan,
    plan_regimen,
    regimen_schedule,
)
from mscdose.text.grammar import parse_dose

# text, doses, interval (low, high) or None, explicit days or None, calendar months
PARSED = [
    ("once", 1, None, None, False),
    ("single", 1, None, None, False),
    ("single dose", 1, None, None, False),
    ("one dose", 1, None, None, False),
    ("x1", 1, None, None, False),
    ("单次", 1, None, None, False),
    ("weekly x4", 4, (7, 7), None, False),
    ("weekly ×4", 4, (7, 7), None, False),
    ("Weekly X 4", 4, (7, 7), None, False),
    ("weekly for 4 weeks", 4, (7, 7), None, False),
    ("weekly x4 for 4 weeks", 4, (7, 7), None, False),
    ("once weekly x 4 doses", 4, (7, 7), None, False),
    ("4 infusions, once weekly", 4, (7, 7), None, False),
    ("every 4 weeks x3", 3, (28, 28), None, False),
    ("q4w x3", 3, (28, 28), None, False),
    ("qw x4", 4, (7, 7), None, False),
    ("every 2 weeks for 8 weeks", 4, (14, 14), None, False),
    ("monthly x4", 4, (28, 31), None, True),
    ("every 3 months x4", 4, (84, 93), None, True),
    ("x4 at 3-month intervals", 4, (84, 93), None, True),
    ("every 3 days x4", 4, (3, 3), None, False),
    ("every 2-3 days x5", 5, (2, 3), None, False),
    ("twice weekly for 4 weeks", 8, (3, 4), None, False),
    ("Twice a week for 4 weeks", 8, (3, 4), None, False),
    ("twice weekly for 4 weeks, at least 3 days apart", 8, (3, 4), None, False),
    ("2 doses 1 week apart", 2, (7, 7), None, False),
    ("two doses one week apart", 2, (7, 7), None, False),
    ("4 doses 3-5 days apart", 4, (3, 5), None, False),
    ("4 doses 3 to 5 days apart", 4, (3, 5), None, False),
    ("4 doses 3 – 5 days apart", 4, (3, 5), None, False),
    ("4 doses 1 month apart", 4, (28, 31), None, True),
    ("days 0,21", 2, (21, 21), [0, 21], False),
    ("day 0 and day 21", 2, (21, 21), [0, 21], False),
    ("d0, d21", 2, (21, 21), [0, 21], False),
    ("days 0, 7, 14 and 21", 4, (7, 7), [0, 7, 14, 21], False),
    ("days 1 and 4", 2, (3, 3), [1, 4], False),
    ("day 5", 1, None, [5], False),
    ("at weeks 0, 2, 4", 3, (14, 14), [0, 14, 28], False),
    ("q.o.d. x4", 4, (2, 2), None, False),
    ("qod x4", 4, (2, 2), None, False),
    ("QOD x4", 4, (2, 2), None, False),
    ("every other day for 2 weeks", 7, (2, 2), None, False),
    ("TIW for 2 weeks", 6, (2, 3), None, False),
    ("BIW for 4 weeks", 8, (3, 4), None, False),
    ("q1d x5", 5, (1, 1), None, False),
    ("daily x5", 5, (1, 1), None, False),
    ("qd x5", 5, (1, 1), None, False),
    ("daily for 5 days", 5, (1, 1), None, False),
    ("每周一次,连续4次", 4, (7, 7), None, False),
    ("每周1次，共4次", 4, (7, 7), None, False),
    ("每4周治疗一次,治疗3次", 3, (28, 28), None, False),
    ("每个月治疗一次,治疗4次", 4, (28, 31), None, True),
    ("间隔3-5天接受4次", 4, (3, 5), None, False),
    ("治疗2次,相隔1周", 2, (7, 7), None, False),
    ("两次(相隔45天)", 2, (45, 45), None, False),
    ("每周两次，共4周", 8, (3, 4), None, False),
    ("第0天和第21天", 2, (21, 21), [0, 21], False),
]


@pytest.mark.parametrize(
    ("text", "doses", "interval", "days", "months"), PARSED, ids=[row[0] for row in PARSED]
)
def test_parse_schedule(
    text: str, doses: int, interval: tuple[int, int] | None, days: list[int] | None, months: bool
) -> None:
    s = parse_schedule(text)
    assert s.text == " ".join(text.split())
    assert s.doses == doses
    got = (s.interval_days.low, s.interval_days.high) if s.interval_days else None
    assert got == interval
    assert s.days == (tuple(days) if days is not None else None)
    assert s.calendar_months is months


@pytest.mark.parametrize(
    ("text", "description"),
    [
        ("q.o.d. x4", "every other day, 4 doses"),
        ("TIW for 2 weeks", "three times weekly for 2 weeks: 6 doses, 2 to 3 days apart"),
        ("BIW for 4 weeks", "twice weekly for 4 weeks: 8 doses, 3 to 4 days apart"),
        ("q1d x5", "daily, 5 doses"),
        ("qw x4", "weekly, 4 doses"),
        ("q4w x3", "every 4 weeks, 3 doses"),
        ("monthly x4", "monthly (calendar months), 4 doses"),
        ("4 doses 3-5 days apart", "4 doses, 3 to 5 days apart"),
        ("days 0,21", "on days 0 and 21: 2 doses"),
        ("at weeks 0, 2, 4", "on weeks 0, 2 and 4: 3 doses"),
        ("单次", "once (a single dose)"),
        (
            "twice weekly for 4 weeks, ≥3 days apart",
            "twice weekly for 4 weeks: 8 doses, 3 to 4 days apart (at least 3 days apart)",
        ),
    ],
)
def test_schedules_are_described_in_words(text: str, description: str) -> None:
    assert parse_schedule(text).description == description


REFUSED = [
    ("weekly x4 every 3 days", "two intervals"),
    ("days 0,21 weekly", "two intervals"),
    ("4 doses 3-5 days apart weekly", "two intervals"),
    ("days 21,0", "must rise"),
    ("days 0,0,21", "must rise"),
    ("weekly x0", "no dose"),
    ("0 doses 3 days apart", "no dose"),
    ("every 0 days x3", "zero"),
    ("every 0 months x2", "zero"),
    ("weekly for 0 weeks", "no time"),
    ("0 times weekly for 4 weeks", "zero times"),
    ("x-2", "positive"),
    ("every -3 days x2", "positive"),
    ("weekly x -4", "positive"),
    ("every 3.5 days x4", "whole numbers"),
    ("weekly", "how many doses"),
    ("x4", "how far apart"),
    ("4 doses", "how far apart"),
    ("once x3", "single dose"),
    ("once weekly x4 once", "single dose"),
    ("weekly x4 x5", "number of doses twice"),
    ("weekly x4 for 6 weeks", "makes 6 doses, not 4"),
    ("q4w for 10 weeks", "whole number"),
    ("monthly for 8 weeks", "mixes months"),
    ("4 doses 3-5 days apart for 2 weeks", "count open"),
    ("4 doses 5-3 days apart", "backwards"),
    ("every 2-3 months x3", "range of months"),
    ("days 0,21 x3", "lists 2 days but says 3"),
    ("days 0,2,21, at least 3 days apart", "break"),
    ("daily x5, at least 3 days apart", "never"),
    ("TIW for 2 weeks, ≥3 days apart", "never"),
    ("bid x5", "within a day"),
    ("TID x3", "within a day"),
    ("q8h x3", "within a day"),
    ("3 times a day x2", "within a day"),
    ("每天2次", "per period"),
    ("biweekly x4", "twice a period or every other period"),
    ("bi-monthly x4", "twice a period or every other period"),
    ("每隔3天 x4", "every N or every N+1"),
    ("weekly x4 then weekly x4", "'then' joins two schedules"),
    ("daily x9999999", "too large"),
    ("daily x5000", "more than any course"),
    ("every 20 years x2", "cannot read"),
    ("every 4000 days x2", "ten years"),
    ("", "empty"),
    ("   ", "empty"),
    ("hello", "cannot read 'hello'"),
    ("weekly x4 on mondays", "cannot read"),
    ("day 3 or day 5", "cannot read"),
]


@pytest.mark.parametrize(("text", "fragment"), REFUSED, ids=[row[0] or "empty" for row in REFUSED])
def test_refused_schedules_say_what_to_write(text: str, fragment: str) -> None:
    with pytest.raises(ScheduleError) as info:
        parse_schedule(text)
    message = str(info.value)
    assert fragment in message
    assert ";" in message  # every refusal carries a hint after the message
    assert "\n" not in message


def test_schedule_summary_for_check() -> None:
    assert schedule_summary(parse_schedule("weekly x4")) == (4, Range(low=7, high=7))
    assert schedule_summary(parse_schedule("4 doses 3-5 days apart")) == (4, Range(low=3, high=5))
    assert schedule_summary(parse_schedule("once")) == (1, None)


def test_non_text_is_refused() -> None:
    with pytest.raises(ScheduleError):
        parse_schedule(None)  # type: ignore[arg-type]
    with pytest.raises(ScheduleError):
        parse_schedule(["weekly x4"])  # type: ignore[arg-type]
    with pytest.raises(ScheduleError):
        parse_regimen_doses(7)  # type: ignore[arg-type]


TOKENS = [
    "weekly",
    "x4",
    "×3",
    "every",
    "3",
    "0",
    "-",
    "days",
    "weeks",
    "months",
    "apart",
    "for",
    "doses",
    "day",
    "and",
    ",",
    "twice",
    "qod",
    "q4w",
    "TIW",
    "BIW",
    "once",
    "then",
    "monthly",
    "每周",
    "一次",
    "连续4次",
    "间隔",
    "3-5天",
    "次",
    "at least",
    "≥",
    "at weeks",
    "21",
    "99999999",
    "1.5",
    "第",
    "天",
    "(",
    ")",
    "then 6e6/kg",
    "at day",
    "later",
    "2e6/kg",
]


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(st.sampled_from(TOKENS), max_size=8).map(" ".join)))
def test_no_text_raises_anything_but_mscdose_errors(text: str) -> None:
    for parse in (parse_schedule, parse_regimen_doses):
        with contextlib.suppress(MscdoseError):
            parse(text)


# --- doses that change ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lows", "days"),
    [
        ("2e6/kg", [2e6], [None]),
        ("2e6/kg then 6e6/kg at day 21", [2e6, 6e6], [0, 21]),
        ("2e6/kg then 6e6/kg at week 3", [2e6, 6e6], [0, 21]),
        ("2e6/kg, then 6e6/kg three weeks later", [2e6, 6e6], [0, 21]),
        ("2e6/kg then 6e6/kg after 21 days", [2e6, 6e6], [0, 21]),
        ("2e6/kg then 6e6/kg a week later", [2e6, 6e6], [0, 7]),
        ("2e6/kg at day 1 then 6e6/kg at day 22", [2e6, 6e6], [1, 22]),
        ("1e6/kg then 1e6/kg 3 days later then 1e6/kg 4 days later", [1e6] * 3, [0, 3, 7]),
        ("2x10^6细胞/kg 然后 6x10^6细胞/kg 三周后", [2e6, 6e6], [0, 21]),
        ("2e6/kg then 6e6/kg", [2e6, 6e6], [None, None]),
        ("1e8 Then 2e8 day 14", [1e8, 2e8], [0, 14]),
    ],
)
def test_parse_regimen_doses(text: str, lows: list[float], days: list[int | None]) -> None:
    steps = parse_regimen_doses(text)
    assert [s.dose.low for s in steps] == lows
    assert [s.day for s in steps] == days


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2e6/kg then", "no dose beside it"),
        ("then 2e6/kg", "no dose beside it"),
        ("2e6/kg then 6e6/kg at day 21 then 1e6/kg", "say when dose 3"),
        ("2e6/kg at day 21 then 6e6/kg at day 7", "must come after"),
        ("2e6/kg 3 days later then 1e6/kg", "first dose cannot come 'later'"),
        ("2e6/kg then 6e6/kg 0 days later", "must come after"),
        ("2e6/kg then 6e6/kg at day 99999", "century"),
        ("2e6/kg then 6e6/kg many weeks later", "cannot read 'many'"),
        ("2 × 106/kg then 6e6/kg at day 21", "superscript"),
    ],
)
def test_refused_regimen_doses(text: str, fragment: str) -> None:
    with pytest.raises(MscdoseError) as info:
        parse_regimen_doses(text)
    assert fragment in str(info.value)


def test_doses_with_days_make_their_own_schedule() -> None:
    steps = parse_regimen_doses("2e6/kg then 6e6/kg at day 21")
    s = regimen_schedule(steps, None)
    assert s.days == (0, 21) and s.doses == 2
    agreeing = regimen_schedule(steps, parse_schedule("2 doses 3 weeks apart"))
    assert agreeing.days == (0, 21) and agreeing.text == "2 doses 3 weeks apart"
    assert regimen_schedule(steps, parse_schedule("days 0,21")).days == (0, 21)


@pytest.mark.parametrize(
    ("doses", "schedule", "fragment"),
    [
        ("2e6/kg then 6e6/kg at day 21", "weekly x4", "has 4"),
        ("2e6/kg then 6e6/kg at day 21", "days 0,14", "differ"),
        ("2e6/kg then 6e6/kg at day 21", "2 doses 1 week apart", "21 days apart"),
        ("2e6/kg then 6e6/kg", "weekly x4", "2 doses given for 4 administrations"),
        ("2e6/kg", None, "no schedule"),
    ],
)
def test_doses_and_schedule_must_agree(doses: str, schedule: str | None, fragment: str) -> None:
    with pytest.raises(ScheduleError) as info:
        regimen_schedule(parse_regimen_doses(doses), parse_schedule(schedule) if schedule else None)
    assert fragment in str(info.value)


# --- the plan's arithmetic --------------------------------------------------------------------


def test_label_course_per_kg_without_weight() -> None:
    """Ryoncil: 2 × 10⁶/kg twice weekly for 4 weeks = 8 doses, 1.6 × 10⁷/kg cumulative."""
    p = plan(parse_dose("2x10^6 cells/kg"), parse_schedule("twice weekly for 4 weeks"))
    assert len(p.administrations) == 8
    assert p.total_per_kg == Range.point(1.6e7)
    assert p.total_cells is None  # no weight: cells per patient cannot be known
    assert all(a.cells is None and a.cumulative_cells is None for a in p.administrations)
    assert [
        a.cumulative_per_kg.high for a in p.administrations if a.cumulative_per_kg
    ] == pytest.approx([2e6 * k for k in range(1, 9)])
    assert any("give --weight" in s for s in p.steps)
    assert "8 administrations × 2 × 10⁶ cells/kg = 1.6 × 10⁷ cells/kg in the course" in p.steps


def test_label_course_for_a_20_kg_child() -> None:
    """field-notes §3.4: 4 × 10⁷ per infusion, course of 8 = 3.2 × 10⁸ cells."""
    p = plan(
        parse_dose("2e6/kg"), parse_schedule("twice weekly for 4 weeks"), make_patient(weight_kg=20)
    )
    assert {a.cells for a in p.administrations} == {Range.point(4e7)}
    assert p.total_cells is not None and p.total_cells.high == pytest.approx(3.2e8)
    assert p.total_per_kg is not None and p.total_per_kg.high == pytest.approx(1.6e7)
    assert p.duration_days == DayRange(low=21, high=28)
    assert [a.day for a in p.administrations][:3] == [
        DayRange(low=0, high=0),
        DayRange(low=3, high=4),
        DayRange(low=6, high=8),
    ]
    assert "8 administrations × 4 × 10⁷ cells = 3.2 × 10⁸ cells in the course" in p.steps


def test_escalating_pair_from_the_source_article() -> None:
    p = plan_regimen(
        "2x10^6 cells/kg then 6x10^6 cells/kg 3 weeks later", None, make_patient(weight_kg=68)
    )
    assert p.varying_doses is True
    cells = [a.cells.high for a in p.administrations if a.cells]
    assert cells == pytest.approx([1.36e8, 4.08e8])
    assert p.total_cells is not None and p.total_cells.high == pytest.approx(5.44e8)
    assert p.total_per_kg is not None and p.total_per_kg.high == pytest.approx(8e6)
    assert [a.day.low for a in p.administrations] == [0, 21]
    assert p.duration_days == DayRange.point(21)


def test_ranges_carry_through_the_cumulative() -> None:
    """CP twins: (1.0–1.5) × 10⁷ intrathecal, 4 doses 3–5 days apart."""
    p = plan_regimen("(1.0-1.5)x10^7", "间隔3-5天接受4次")
    cumulative = [
        x
        for a in p.administrations
        if a.cumulative_cells
        for x in (a.cumulative_cells.low, a.cumulative_cells.high)
    ]
    assert cumulative == pytest.approx([1e7, 1.5e7, 2e7, 3e7, 3e7, 4.5e7, 4e7, 6e7])
    assert p.duration_days == DayRange(low=9, high=15)
    assert [a.day for a in p.administrations][-1] == DayRange(low=9, high=15)
    assert (
        "4 administrations × (1 × 10⁷ – 1.5 × 10⁷) cells = 4 × 10⁷ – 6 × 10⁷ cells "
        "in the course" in p.steps
    )


@pytest.mark.parametrize(
    ("schedule", "duration"),
    [
        ("weekly x4", (21, 21)),
        ("once", (0, 0)),
        ("4 doses 3-5 days apart", (9, 15)),
        ("every 4 weeks x3", (56, 56)),
        ("monthly x4", (84, 93)),
        ("days 0,21", (21, 21)),
        ("days 1 and 4", (3, 3)),
    ],
)
def test_duration(schedule: str, duration: tuple[int, int]) -> None:
    p = plan(parse_dose("1e8"), parse_schedule(schedule))
    assert (p.duration_days.low, p.duration_days.high) == duration


def test_one_dose_per_administration_or_one_for_all() -> None:
    doses = [parse_dose(t) for t in ("1e8", "2e8", "3e8")]
    p = plan(doses, parse_schedule("weekly x3"))
    assert [a.cumulative_cells.high for a in p.administrations if a.cumulative_cells] == [
        1e8,
        3e8,
        6e8,
    ]
    assert "1 × 10⁸ + 2 × 10⁸ + 3 × 10⁸ cells = 6 × 10⁸ cells in the course" in p.steps
    with pytest.raises(ScheduleError, match="2 doses given for 3"):
        plan(doses[:2], parse_schedule("weekly x3"))


def test_mixed_bases_without_weight_leave_the_totals_open() -> None:
    p = plan_regimen("2e6/kg then 1e8 at day 7", None)
    assert p.total_cells is None and p.total_per_kg is None
    first, second = p.administrations
    assert first.cells is None and first.cells_per_kg == Range.point(2e6)
    assert second.cells == Range.point(1e8) and second.cumulative_cells is None
    assert any("not every administration" in s for s in p.steps)


def test_per_m2_dose_uses_bsa() -> None:
    p = plan_regimen("1e8/m2", "weekly x2", make_patient(bsa_m2=1.5))
    assert p.total_cells == Range.point(3e8)


# --- dates --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "schedule", "dates"),
    [
        ("2028-01-31", "monthly x4", ["2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30"]),
        ("2027-01-31", "monthly x3", ["2027-01-31", "2027-02-28", "2027-03-31"]),
        ("2028-11-30", "every 3 months x2", ["2028-11-30", "2029-02-28"]),
        ("2028-12-31", "monthly x2", ["2028-12-31", "2029-01-31"]),
        ("2028-02-29", "every 12 months x2", ["2028-02-29", "2029-02-28"]),
        ("2026-12-01", "days 0,21", ["2026-12-01", "2026-12-22"]),
        ("2026-12-01", "days 1 and 4", ["2026-12-01", "2026-12-04"]),
        ("2028-02-26", "every 3 days x3", ["2028-02-26", "2028-02-29", "2028-03-03"]),
        ("2026-12-29", "weekly x2", ["2026-12-29", "2027-01-05"]),
    ],
)
def test_dates_across_month_ends_and_leap_years(
    start: str, schedule: str, dates: list[str]
) -> None:
    p = plan(parse_dose("1e8"), parse_schedule(schedule), start=parse_start_date(start))
    assert [str(a.date.low) for a in p.administrations if a.date] == dates
    assert all(a.date and a.date.low == a.date.high for a in p.administrations)
    assert p.duration_days.is_point


def test_calendar_months_report_their_days() -> None:
    p = plan(parse_dose("1e8"), parse_schedule("monthly x4"), start=dt.date(2028, 1, 31))
    assert [a.day.low for a in p.administrations] == [0, 29, 60, 90]
    assert any("3 calendar months from 2028-01-31 to 2028-04-30 = 90 days" in s for s in p.steps)


def test_ranged_days_give_date_windows() -> None:
    p = plan(
        parse_dose("1e8"), parse_schedule("4 doses 3-5 days apart"), start=dt.date(2026, 12, 30)
    )
    windows = [(str(a.date.low), str(a.date.high)) for a in p.administrations if a.date]
    assert windows == [
        ("2026-12-30", "2026-12-30"),
        ("2027-01-02", "2027-01-04"),
        ("2027-01-05", "2027-01-09"),
        ("2027-01-08", "2027-01-14"),
    ]


def test_add_months() -> None:
    assert add_months(dt.date(2028, 1, 31), 1) == dt.date(2028, 2, 29)
    assert add_months(dt.date(2028, 1, 31), 13) == dt.date(2029, 2, 28)
    assert add_months(dt.date(2028, 5, 15), 0) == dt.date(2028, 5, 15)
    with pytest.raises(ScheduleError, match="9999"):
        add_months(dt.date(9999, 12, 1), 1)


def test_a_course_past_year_9999_is_refused() -> None:
    with pytest.raises(ScheduleError, match="9999"):
        plan(parse_dose("1e8"), parse_schedule("weekly x10"), start=dt.date(9999, 12, 1))
    with pytest.raises(ScheduleError, match="9999"):
        plan(parse_dose("1e8"), parse_schedule("monthly x3"), start=dt.date(9999, 11, 1))


@pytest.mark.parametrize(
    "text", ["2026-13-01", "2026-02-30", "01/12/2026", "20261201", "", "tomorrow", "2026-12-1"]
)
def test_bad_start_dates(text: str) -> None:
    with pytest.raises(ScheduleError, match="YYYY-MM-DD"):
        parse_start_date(text)


# --- properties -------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    doses=st.integers(1, 60),
    low=st.integers(1, 30),
    extra=st.integers(0, 30),
    cells=st.floats(1e5, 1e9),
    spread=st.floats(1, 3),
    weight=st.one_of(st.none(), st.floats(0.5, 200)),
    start=st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))),
)
def test_cumulative_ends_at_the_total_and_days_rise(
    doses: int,
    low: int,
    extra: int,
    cells: float,
    spread: float,
    weight: float | None,
    start: dt.date | None,
) -> None:
    schedule = parse_schedule(f"{doses} doses {low}-{low + extra} days apart")
    # whole numbers: "333334-1e+06" would share the power of ten, (333334-1) × 10^6
    dose = parse_dose(f"{cells:.0f}-{cells * spread:.0f}/kg")
    p = plan(dose, schedule, make_patient(weight_kg=weight), start)
    last = p.administrations[-1]
    assert last.cumulative_per_kg == p.total_per_kg
    assert last.cumulative_cells == p.total_cells
    assert p.total_per_kg is not None
    assert p.total_per_kg.low == pytest.approx(doses * dose.low)
    assert p.total_per_kg.high == pytest.approx(doses * dose.high)
    assert p.duration_days == last.day
    for a, b in pairwise(p.administrations):
        assert a.day.low < b.day.low and a.day.high < b.day.high
        assert b.day.low <= b.day.high
        if a.date and b.date:
            assert a.date.low < b.date.low and a.date.high < b.date.high
        assert a.cumulative_per_kg and b.cumulative_per_kg
        assert b.cumulative_per_kg.low > a.cumulative_per_kg.low


@settings(max_examples=100, deadline=None)
@given(
    months=st.integers(1, 6),
    doses=st.integers(1, 24),
    start=st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)),
)
def test_calendar_months_keep_the_day_of_month(months: int, doses: int, start: dt.date) -> None:
    p = plan(parse_dose("1e8"), parse_schedule(f"every {months} months x{doses}"), start=start)
    dates = [a.date.low for a in p.administrations if a.date]
    assert len(dates) == doses
    for k, d in enumerate(dates):
        assert (d.year - start.year) * 12 + d.month - start.month == k * months
        assert d.day == start.day or (d.day < start.day and (d + dt.timedelta(days=1)).day == 1)


# --- calendar export --------------------------------------------------------------------------


def _events(data: bytes) -> list[object]:
    from icalendar import Calendar

    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_ics_reads_back_with_the_right_dates() -> None:
    p = plan_regimen(
        "2e6/kg",
        "twice weekly for 4 weeks",
        make_patient(weight_kg=20),
        "2026-12-01",
        route="intravenous",
    )
    events = _events(regimen_ics(p))
    assert len(events) == 8
    starts = [e.decoded("dtstart") for e in events]  # type: ignore[attr-defined]
    assert starts == [a.date.low for a in p.administrations if a.date]
    assert starts[1] == dt.date(2026, 12, 4)
    ends = [e.decoded("dtend") for e in events]  # type: ignore[attr-defined]
    assert all(end - begin == dt.timedelta(days=1) for begin, end in zip(starts, ends, strict=True))
    second = str(events[1].get("description"))  # type: ignore[attr-defined]
    assert "Window: 2026-12-04 to 2026-12-05" in second
    assert "4 × 10⁷ cells" in second and "Cumulative: 8 × 10⁷ cells" in second
    assert "Route: intravenous" in second
    assert "window to 2026-12-05" in str(events[1].get("summary"))  # type: ignore[attr-defined]
    assert "Window" not in str(events[0].get("description"))  # type: ignore[attr-defined]
    uids = {str(e.get("uid")) for e in events}  # type: ignore[attr-defined]
    assert len(uids) == 8


def test_ics_monthly_and_per_kg_without_weight() -> None:
    p = plan_regimen("2e6/kg", "monthly x4", None, "2028-01-31")
    events = _events(regimen_ics(p))
    assert [e.decoded("dtstart") for e in events] == [  # type: ignore[attr-defined]
        dt.date(2028, 1, 31),
        dt.date(2028, 2, 29),
        dt.date(2028, 3, 31),
        dt.date(2028, 4, 30),
    ]
    assert "Cumulative: 8 × 10⁶ cells/kg" in str(events[3].get("description"))  # type: ignore[attr-defined]


def test_ics_needs_a_start() -> None:
    with pytest.raises(ScheduleError, match="--start"):
        regimen_ics(plan_regimen("1e8", "weekly x2", None))


def test_dose_step_is_a_model() -> None:
    step = parse_regimen_doses("1e8 then 2e8 at day 7")[1]
    assert isinstance(step, DoseStep) and step.text == "2e8 at day 7"
