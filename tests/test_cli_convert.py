"""`mscdose convert` through the real entry point: output, JSON contract, refusals."""

from __future__ import annotations

import math

import pytest

from tests.conftest import assert_one_line_error, run_cli


def test_convert_people_output() -> None:
    r = run_cli("convert", "2x10^6 cells/kg", "--weight", "70kg")
    assert "1.4 × 10⁸ cells" in r.stdout
    assert "2 × 10⁶ cells/kg × 70 kg = 1.4 × 10⁸ cells" in r.stdout


def test_convert_json_contract() -> None:
    doc = run_cli("convert", "2x10^6 cells/kg", "--weight", "70", "--json").json()
    assert doc["schema_version"] == 1
    assert doc["input"] == "2x10^6 cells/kg"
    assert doc["dose"] == {"low": 2e6, "high": 2e6, "basis": "per_kg", "cells": "total"}
    assert doc["patient"]["weight_kg"] == 70.0
    assert doc["patient"]["height_cm"] is None and doc["patient"]["bsa_m2"] is None
    assert doc["per_patient"] == {"low": 1.4e8, "high": 1.4e8}
    assert doc["per_kg"] == {"low": 2e6, "high": 2e6}
    assert doc["per_m2"] is None and doc["viable_per_patient"] is None
    assert doc["steps"] == ["2 × 10⁶ cells/kg × 70 kg = 1.4 × 10⁸ cells"]


@pytest.mark.parametrize(
    ("args", "field", "low", "high"),
    [
        (["1x10^7/kg", "--weight", "793 g"], "per_patient", 7.93e6, 7.93e6),
        (["8.6亿"], "per_patient", 8.6e8, 8.6e8),
        (["(1.0-1.5)×10^7"], "per_patient", 1e7, 1.5e7),
        (["3x10^7 per patient", "--weight", "60"], "per_kg", 5e5, 5e5),
        (["5 x 10^7 cells", "--viability", "85%"], "viable_per_patient", 4.25e7, 4.25e7),
        (["1e7 cells/mL", "--volume", "2 mL"], "per_patient", 2e7, 2e7),
        (["2e6/kg", "--weight", "154 lb"], "per_patient", 2e6 * 69.85322498, 2e6 * 69.85322498),
    ],
)
def test_convert_examples(args: list[str], field: str, low: float, high: float) -> None:
    doc = run_cli("convert", *args, "--json").json()
    assert math.isclose(doc[field]["low"], low) and math.isclose(doc[field]["high"], high)


def test_convert_per_m2_mosteller() -> None:
    doc = run_cli("convert", "2e6/kg", "--weight", "70", "--height", "170cm", "--json").json()
    assert math.isclose(doc["per_m2"]["low"], 1.4e8 / math.sqrt(170 * 70 / 3600))


def test_ascii_output() -> None:
    r = run_cli("convert", "2e6/kg", "--weight", "70", "--ascii")
    assert "1.4x10^8 cells" in r.stdout and "×" not in r.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["10*7"], "UCUM"),
        (["2 × 106/kg"], "superscript lost"),
        (["2X107"], "2x10^7"),
        (["3x107/人"], "3×10⁷"),
        (["1,5"], "decimal comma"),
        ([".5"], "leading zero"),
        (["0"], "more than zero"),
        (["2e6/kg", "--weight", "793"], "did you mean 793 g?"),
        (["2e6/kg", "--weight", "70 cm"], "not a weight"),
        (["2e6/kg", "--viability", "1"], "1% or 100%"),
        (["2e6/kg", "--bogus"], "No such option"),
        ([], "Missing argument"),
    ],
)
def test_refusals_are_one_line_exit_2(args: list[str], fragment: str) -> None:
    assert_one_line_error(run_cli("convert", *args, expect=2), fragment)


def test_version_and_module_entry() -> None:
    r = run_cli("--version")
    assert r.stdout.startswith("mscdose ") and "sha256" in r.stdout


def test_debug_shows_the_traceback_with_the_same_exit_code() -> None:
    r = run_cli("convert", "10*7", "--debug", expect=2)
    assert "Traceback" in r.stderr and "AmbiguousNotationError" in r.stderr


def test_internal_error_is_exit_70_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import mscdose.dose.conversion

    def boom(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr(mscdose.dose.conversion, "convert", boom)
    r = run_cli("convert", "2e6", expect=70)
    assert r.stdout == "" and "report" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_version_survives_a_broken_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MSCDOSE_TABLE", "/no/such/regimens.yaml")
    r = run_cli("--version")
    assert r.stdout.startswith("mscdose ") and "table unavailable" in r.stdout
