"""mscdose extract: the command, its JSON, its exit codes and its refusals."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from tests.conftest import assert_one_line_error, run_cli

ARTICLE = "据报道,每次(1.0-1.5)×10*7个MSC,经治疗6个月后运动功能明显改善。"


def test_json_follows_the_contract() -> None:
    run = run_cli(
        "extract", "--json", "MSCs were infused at a dose of 2 × 106/kg on day 1.", expect=1
    )
    assert run.stderr == ""
    assert run.json() == {
        "schema_version": 1,
        "doses": [
            {
                "text": "2 × 106/kg",
                "start": 31,
                "end": 41,
                "low": 2e6,
                "high": 2e6,
                "basis": "per_kg",
                "cells": "total",
                "ambiguous": True,
                "reason": "lost superscript: 106 read as 10^6",
                "qualifier": None,
                "typical": None,
            }
        ],
        "checks": None,
    }


def test_exit_0_when_every_dose_is_clean() -> None:
    run = run_cli("extract", "--json", "Ryoncil: 2 × 10⁶ MSC/kg; Alofisel 120 million cells")
    assert [(d["low"], d["basis"]) for d in run.json()["doses"]] == [
        (2e6, "per_kg"),
        (1.2e8, "per_patient"),
    ]


def test_exit_1_when_nothing_is_found() -> None:
    run = run_cli("extract", "--json", "n = 26 patients, 2015, 88% viable", expect=1)
    assert run.json() == {"schema_version": 1, "doses": [], "checks": None}
    run = run_cli("extract", "n = 26 patients", expect=1)
    assert "no doses found" in run.stdout


def test_arguments_are_joined_with_spaces() -> None:
    run = run_cli("extract", "--json", "dose", "2x10^6", "cells/kg")
    [dose] = run.json()["doses"]
    assert (dose["start"], dose["end"], dose["text"]) == (5, 20, "2x10^6 cells/kg")


def test_file_and_stdin(tmp_path: Path) -> None:
    path = tmp_path / "paper.txt"
    path.write_text("first line\n" + ARTICLE + "\n", encoding="utf-8")
    from_file = run_cli("extract", "--json", "--file", str(path), expect=1).json()
    from_stdin = run_cli(
        "extract", "--json", "--file", "-", stdin=path.read_text("utf-8"), expect=1
    ).json()
    assert from_file == from_stdin
    [dose] = from_file["doses"]
    assert dose["text"] == "(1.0-1.5)×10*7个MSC" and dose["ambiguous"]
    assert (dose["low"], dose["high"]) == (1e7, 1.5e7)


def test_a_byte_order_mark_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeff2x10^6 cells/kg".encode())
    [dose] = run_cli("extract", "--json", "-f", str(path)).json()["doses"]
    assert dose["start"] == 0


def test_missing_file_is_one_line() -> None:
    assert_one_line_error(
        run_cli("extract", "--file", "/nonexistent/paper.txt", expect=2),
        "no such file",
        "/nonexistent/paper.txt",
    )


def test_invalid_utf8_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes("每次2x106细胞/kg".encode("gbk"))
    assert_one_line_error(run_cli("extract", "--file", str(path), expect=2), "not UTF-8", "offset")


def test_invalid_utf8_on_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"2x10^6 \xff cells")))
    assert_one_line_error(run_cli("extract", "--file", "-", expect=2), "stdin is not UTF-8")


def test_undecodable_argument_is_one_line() -> None:
    assert_one_line_error(run_cli("extract", "2x10^6 \udcff", expect=2), "not valid UTF-8")


def test_no_text_or_both_is_one_line(tmp_path: Path) -> None:
    assert_one_line_error(run_cli("extract", expect=2), "no text to search")
    path = tmp_path / "a.txt"
    path.write_text("2x10^6", encoding="utf-8")
    assert_one_line_error(run_cli("extract", "x", "--file", str(path), expect=2), "not both")


def test_a_folder_is_one_line(tmp_path: Path) -> None:
    assert_one_line_error(run_cli("extract", "--file", str(tmp_path), expect=2), "folder")


def test_people_see_the_text_marked_and_the_reasons() -> None:
    run = run_cli(
        "extract", "Phase I: 0.5, 1.6 or 5x10^6/kg; the article writes 2x106细胞/kg.", expect=1
    )
    out = run.stdout
    assert "0.5[1], 1.6[2] or 5x10^6/kg[3]" in out
    assert "2x106细胞/kg[4]" in out
    assert "1.6 × 10⁶ cells/kg" in out
    assert "Confirm before use:" in out
    assert "[4] lost superscript: 106 read as 10^6" in out
    assert "4 doses found, 1 ambiguous." in out
    assert "\x1b[" not in out  # not a terminal: no colour


def test_ascii_output() -> None:
    run = run_cli("extract", "--ascii", "≥2.5 × 10⁷ nucleated cells/kg and 2 × 106/kg", expect=1)
    assert "2.5x10^7 cells/kg" in run.stdout and ">=" in run.stdout
    assert not any(c in run.stdout for c in "×⁰¹²³⁴⁵⁶⁷⁸⁹⚠≥")


def test_long_lines_are_shown_as_excerpts() -> None:
    text = "word " * 100 + "2 x 10^6 cells/kg" + " word" * 100
    run = run_cli("extract", text)
    assert "…" in run.stdout
    assert "2 x 10^6 cells/kg[1]" in run.stdout
    assert len(run.stdout) < len(text)


def test_many_lines_are_numbered(tmp_path: Path) -> None:
    path = tmp_path / "t.txt"
    path.write_text("nothing here\n\n3x107/人\n", encoding="utf-8")
    run = run_cli("extract", "--file", str(path), expect=1)
    assert "line 3:" in run.stdout and "line 1:" not in run.stdout


def test_help() -> None:
    run = run_cli("extract", "--help")
    assert "--file" in run.stdout and "ambiguous" in run.stdout
    assert "extract" in run_cli("--help").stdout


def test_a_dose_across_a_line_break_is_marked(tmp_path: Path) -> None:
    path = tmp_path / "wrapped.txt"
    path.write_text("A 20 kg child: 4 × 10⁷ per\n  infusion, then more\n", encoding="utf-8")
    run = run_cli("extract", "--file", str(path))
    assert "infusion[1]" in run.stdout


def test_extract_check_checks_each_dose_found() -> None:
    # Ryoncil's 2 × 10⁶/kg is within the GVHD rows; 2 × 10⁹/kg is 222-fold above their top (9 × 10⁶)
    doc = run_cli(
        "extract",
        "--json",
        "--check",
        "--route",
        "iv",
        "--indication",
        "gvhd",
        "--weight",
        "70",
        "given 2 × 10^6 cells/kg, then 2 x 10^9 cells/kg",
        expect=1,
    ).json()
    assert [c["verdict"] for c in doc["checks"]] == ["within", "above"]
    assert round(doc["checks"][1]["distance_fold"]) == 222
    assert_one_line_error(run_cli("extract", "--check", "2e6/kg", expect=2), "--route")


def test_assume_takes_the_likely_reading_and_says_so() -> None:
    doc = run_cli(
        "check",
        "2 × 106/kg",
        "--route",
        "iv",
        "--indication",
        "gvhd",
        "--weight",
        "70",
        "--assume",
        "--json",
    ).json()
    assert doc["assumed"] and doc["verdict"] == "within"
    assert doc["warnings"][0]["code"] == "ASSUMED_READING"
    conv = run_cli("convert", "2 × 106/kg", "--weight", "70", "--assume", "--json").json()
    assert conv["per_patient"]["low"] == 1.4e8 and conv["assumed"]
    # without --assume the refusal stands
    run_cli("convert", "2 × 106/kg", expect=2)


def test_ucum_reads_fhir_units_and_convert_gives_ucum_codes() -> None:
    conv = run_cli("convert", "10*6{cells}/kg", "--ucum", "--weight", "70", "--json").json()
    assert conv["per_patient"]["low"] == 7e7
    assert conv["ucum"] == {"per_patient": "{cells}", "per_kg": "{cells}/kg"}
    run_cli("convert", "10*6/kg", expect=2)  # without --ucum, 10*6 stays refused
