"""`mscdose regimen` through the real entry point: tables, JSON, calendars, refusals."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import assert_one_line_error, run_cli


def test_regimen_people_output() -> None:
    r = run_cli(
        "regimen",
        "2e6/kg",
        "--schedule",
        "twice weekly for 4 weeks",
        "--weight",
        "20",
        "--start",
        "2026-12-01",
        "--route",
        "IV",
    )
    out = r.stdout
    assert "twice weekly for 4 weeks: 8 doses, 3 to 4 days apart" in out
    assert "intravenous" in out
    assert "2026-12-04 to 2026-12-05" in out
    assert "3.2 × 10⁸ cells (1.6 × 10⁷ cells/kg)" in out
    assert "21–28 days" in out
    assert "2 × 10⁶ cells/kg × 20 kg = 4 × 10⁷ cells" in out
    assert r.stderr == ""


def test_regimen_json_contract() -> None:
    doc = run_cli(
        "regimen",
        "2x10^6 cells/kg",
        "--schedule",
        "weekly x4",
        "--weight",
        "70",
        "--start",
        "2026-12-01",
        "--json",
    ).json()
    assert doc["schema_version"] == 1
    assert doc["dose"] == {"low": 2e6, "high": 2e6, "basis": "per_kg", "cells": "total"}
    assert doc["schedule"]["text"] == "weekly x4"
    assert doc["schedule"]["doses"] == 4
    assert doc["schedule"]["interval_days"] == {"low": 7, "high": 7}
    first = doc["administrations"][0]
    assert first["n"] == 1
    assert first["day"] == {"low": 0, "high": 0}
    assert first["date"] == {"low": "2026-12-01", "high": "2026-12-01"}
    assert first["cells"] == {"low": 1.4e8, "high": 1.4e8}
    assert first["cumulative_cells"] == {"low": 1.4e8, "high": 1.4e8}
    last = doc["administrations"][-1]
    assert last["n"] == 4 and last["date"]["low"] == "2026-12-22"
    assert last["cumulative_cells"] == doc["total_cells"] == {"low": 5.6e8, "high": 5.6e8}
    assert doc["total_per_kg"] == {"low": 8e6, "high": 8e6}
    assert doc["duration_days"] == {"low": 21, "high": 21}
    assert isinstance(doc["steps"], list)


def test_regimen_json_without_start_or_weight() -> None:
    doc = run_cli("regimen", "(1.0-1.5)x10^7", "-s", "4 doses 3-5 days apart", "--json").json()
    assert [a["date"] for a in doc["administrations"]] == [None] * 4
    assert doc["administrations"][3]["day"] == {"low": 9, "high": 15}
    assert doc["total_cells"] == {"low": 4e7, "high": 6e7}
    assert doc["duration_days"] == {"low": 9, "high": 15}


def test_per_kg_without_weight_carries_cells_per_kg() -> None:
    doc = run_cli("regimen", "2e6/kg", "-s", "BIW for 4 weeks", "--json").json()
    assert doc["total_cells"] is None
    assert doc["total_per_kg"] == {"low": 1.6e7, "high": 1.6e7}
    assert all(a["cells"] is None for a in doc["administrations"])
    people = run_cli("regimen", "2e6/kg", "-s", "BIW for 4 weeks").stdout
    assert "cumulative cells/kg" in people and "give --weight" in people


def test_varying_doses_in_one_argument_and_as_options() -> None:
    one = run_cli("regimen", "2e6/kg then 6e6/kg at day 21", "--weight", "70", "--json").json()
    two = run_cli(
        "regimen", "--dose", "2e6/kg", "--dose", "6e6/kg at day 21", "--weight", "70", "--json"
    ).json()
    assert one["administrations"] == two["administrations"]
    assert one["varying_doses"] is True
    assert [a["day"]["low"] for a in one["administrations"]] == [0, 21]
    assert one["total_cells"]["high"] == pytest.approx(5.6e8)
    three = run_cli(
        "regimen", "--dose", "1e8", "--dose", "2e8", "--dose", "3e8", "-s", "weekly x3", "--json"
    ).json()
    assert three["total_cells"] == {"low": 6e8, "high": 6e8}
    people = run_cli("regimen", "2e6/kg then 6e6/kg 3 weeks later").stdout
    assert "varies" in people and "6 × 10⁶ cells/kg" in people


def test_monthly_uses_calendar_months_from_start() -> None:
    doc = run_cli(
        "regimen", "1e8", "-s", "每个月治疗一次,治疗4次", "--start", "2028-01-31", "--json"
    ).json()
    assert [a["date"]["low"] for a in doc["administrations"]] == [
        "2028-01-31",
        "2028-02-29",
        "2028-03-31",
        "2028-04-30",
    ]
    assert doc["duration_days"] == {"low": 90, "high": 90}
    without = run_cli("regimen", "1e8", "-s", "monthly x4", "--json").json()
    assert without["duration_days"] == {"low": 84, "high": 93}


def test_ascii_output() -> None:
    out = run_cli(
        "regimen", "2e6/kg", "-s", "4 doses 3-5 days apart", "--weight", "70", "--ascii"
    ).stdout
    assert "1.4x10^8" in out and "9-15 days" in out
    assert "×" not in out and "⁸" not in out and "–" not in out


def test_route_is_resolved_and_echoed() -> None:
    doc = run_cli("regimen", "1e7", "-s", "once", "--route", "鞘内", "--json").json()
    assert doc["route"] == "intrathecal"
    assert run_cli("regimen", "1e7", "-s", "once", "--json").json()["route"] is None


def test_ics_file_reads_back(tmp_path: Path) -> None:
    from icalendar import Calendar

    path = tmp_path / "course.ics"
    r = run_cli(
        "regimen",
        "2e6/kg",
        "-s",
        "4 doses 3-5 days apart",
        "--weight",
        "70",
        "--start",
        "2026-12-30",
        "--ics",
        str(path),
    )
    assert "wrote 4 events" in r.stderr
    assert "1.4 × 10⁸" in r.stdout  # the table is still printed
    events = list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))
    assert len(events) == 4
    assert [e.decoded("dtstart") for e in events] == [
        dt.date(2026, 12, 30),
        dt.date(2027, 1, 2),
        dt.date(2027, 1, 5),
        dt.date(2027, 1, 8),
    ]
    assert "Window: 2027-01-08 to 2027-01-14" in str(events[3].get("description"))


def test_ics_with_json_and_to_stdout(tmp_path: Path) -> None:
    from icalendar import Calendar

    path = tmp_path / "c.ics"
    r = run_cli(
        "regimen", "1e8", "-s", "days 0,21", "--start", "2026-12-01", "--ics", str(path), "--json"
    )
    assert r.json()["schedule"]["doses"] == 2
    assert len(list(Calendar.from_ical(path.read_bytes()).walk("VEVENT"))) == 2
    out = run_cli("regimen", "1e8", "-s", "weekly x3", "--start", "2026-12-01", "--ics", "-")
    events = list(Calendar.from_ical(out.stdout.encode()).walk("VEVENT"))
    assert [e.decoded("dtstart") for e in events] == [
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 8),
        dt.date(2026, 12, 15),
    ]


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["2e6/kg", "-s", "weekly x4", "--ics", "x.ics"], ["--ics needs --start"]),
        (["2e6/kg", "-s", "weekly x4 every 3 days"], ["two intervals", "write one"]),
        (["2e6/kg", "-s", "days 21,0"], ["must rise"]),
        (["2e6/kg", "-s", "weekly x0"], ["no dose"]),
        (["2e6/kg", "-s", "every -3 days x2"], ["positive"]),
        (["2e6/kg", "-s", "bid x5"], ["within a day"]),
        (["2e6/kg"], ["no schedule", "--schedule"]),
        (["-s", "weekly x4"], ["no dose given"]),
        (["2e6/kg", "--dose", "1e8", "-s", "once"], ["DOSE or as --dose"]),
        (["2 × 106/kg", "-s", "weekly x4"], ["superscript"]),
        (["2e6/kg then 6e6/kg", "-s", "weekly x4"], ["2 doses given for 4"]),
        (["2e6/kg then 6e6/kg at day 21", "-s", "weekly x4"], ["has 4"]),
        (["2e6/kg", "-s", "weekly x4", "--start", "2026-02-30"], ["not a date", "YYYY-MM-DD"]),
        (["2e6/kg", "-s", "weekly x4", "--start", "next monday"], ["YYYY-MM-DD"]),
        (["2e6/kg", "-s", "weekly x4", "--weight", "793"], ["793 g"]),
        (["2e6/kg", "-s", "weekly x4", "--route", "nowhere"], ["route"]),
        (
            ["2e6/kg", "-s", "weekly x4", "--start", "2026-12-01", "--ics", "-", "--json"],
            ["both write to stdout"],
        ),
        (["1e8", "-s", "weekly x10", "--start", "9999-12-01"], ["9999"]),
        (["2e6/kg", "-s", "weekly x4", "--bogus"], ["--bogus"]),
    ],
)
def test_refusals_are_one_line(args: list[str], fragments: list[str]) -> None:
    r = run_cli("regimen", *args, expect=2)
    assert_one_line_error(r, *fragments)


def test_unwritable_ics_is_one_line(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "course.ics"
    r = run_cli(
        "regimen", "1e8", "-s", "once", "--start", "2026-12-01", "--ics", str(target), expect=2
    )
    assert_one_line_error(r, "cannot write the calendar")


def test_help_lists_regimen() -> None:
    assert "regimen" in run_cli("--help").stdout
    help_text = run_cli("regimen", "--help").stdout
    assert "--schedule" in help_text and "--ics" in help_text and "--start" in help_text
