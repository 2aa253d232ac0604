"""`mscdose batch` input: the header decides nothing silently, a record is a record whatever
its newlines, every line gets its answer, delimiters and output formats (issues 16.2, 16.3,
16.6, 19.5, 19.6, 19.8)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mscdose.batching.run import read_rows, run_batch
from mscdose.table.load import load_table
from tests.conftest import assert_one_line_error, run_cli


def _rows(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


# --- 16.2 the header ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "column", "meant"),
    [
        ("dose,route,indicaton,weight", "indicaton", "indication"),
        ("dose,route,indication,weigth", "weigth", "weight"),
        ("dose,routes,indication", "routes", "route"),
        ("Dose,Route,Viabilty", "viabilty", "viability"),
    ],
)
def test_a_column_close_to_a_known_name_stops_the_run(header: str, column: str, meant: str) -> None:
    r = run_cli("batch", "-", stdin=f"{header}\n2e6/kg,iv,gvhd,70\n", expect=2)
    assert_one_line_error(r, f"'{column}'", f"'{meant}'")


def test_a_duplicated_known_column_stops_the_run() -> None:
    r = run_cli(
        "batch", "-", stdin="dose,route,indication,indication\n2e6/kg,iv,gvhd,copd\n", expect=2
    )
    assert_one_line_error(r, "indication", "twice")


def test_other_unknown_columns_pass_even_twice() -> None:
    text = "patient_id,dose,route,note,note,date,indication\n7,2e6/kg,iv,a,b,2026-01-01,gvhd\n"
    r = run_cli("batch", "-", stdin=text)
    (row,) = _rows(r.stdout)
    assert row["verdict"] == "within"


# --- 16.3 records and their numbers ------------------------------------------------------------

QUOTED = (
    "dose,route,indication,note\n"
    '2e6/kg,iv,gvhd,"first line\nsecond line"\n'
    "\n"
    '1e8,iv,copd,"a ""quoted"" word, and a comma"\n'
    "\n"
    "\n"
    '10*7,iv,gvhd,"one\n\ntwo\nthree"\n'
    "2e6/kg,iv,gvhd,last\n"
)


def test_a_quoted_newline_does_not_split_a_record() -> None:
    r = run_cli("batch", "-", stdin=QUOTED, expect=1)
    rows = _rows(r.stdout)
    assert [row["row"] for row in rows] == [1, 2, 3, 4]
    assert [row["ok"] for row in rows] == [True, True, False, True]
    assert "4 rows" in r.stderr


def test_read_rows_gives_the_quoted_newline_to_its_field() -> None:
    got = list(read_rows(QUOTED.encode().splitlines(keepends=True), "csv"))
    assert got[0] == (
        1,
        {"dose": "2e6/kg", "route": "iv", "indication": "gvhd", "note": "first line\nsecond line"},
    )
    assert [n for n, _ in got] == [1, 2, 3, 4]


def test_an_unclosed_quote_swallows_no_more_than_its_own_line() -> None:
    lines = [b"dose,route\n", b'"2e6,iv\n'] + [b"2e6,iv\n"] * 200
    got = list(read_rows(lines, "csv"))
    assert len(got) == 201 and isinstance(got[0][1], str)
    assert [n for n, _ in got] == list(range(1, 202))


@pytest.mark.parametrize("chunk", [1, 2, 3, 5])
def test_serial_and_parallel_number_records_alike(
    monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    import mscdose.batching.run

    monkeypatch.setattr(mscdose.batching.run, "CHUNK_LINES", chunk)
    data = QUOTED.encode().splitlines(keepends=True)
    data = data[:1] + data[1:] * 3 + [b"\n", b"  \n", b"2e6/kg,iv,gvhd,end\n"]
    serial, parallel = io.StringIO(), io.StringIO()
    a = run_batch(data, "csv", load_table(), serial)
    b = run_batch(data, "csv", load_table(), parallel, jobs=2)
    assert parallel.getvalue() == serial.getvalue()
    assert [row["row"] for row in _rows(serial.getvalue())] == list(range(1, 14))
    assert a.rows == b.rows == 13


def test_blank_lines_do_not_shift_row_numbers_with_workers(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text("\n\ndose,route\n\n2e6,iv\n\n\n1e8,iv\n\n1e8,iv\n1e8,iv\n\n", encoding="utf-8")
    for jobs in ("1", "2"):
        r = run_cli("batch", str(path), "--jobs", jobs, expect=None)
        assert [row["row"] for row in _rows(r.stdout)] == [1, 2, 3, 4], jobs


# --- 16.6 every line its answer ----------------------------------------------------------------


def test_a_hostile_json_line_gets_its_own_error_and_the_run_goes_on(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    nested = b"[" * 100_000 + b"]" * 100_000
    path.write_bytes(
        b'{"dose": "2e6/kg", "route": "iv", "indication": "gvhd", "weight": 70}\n'
        + nested
        + b"\n"
        + b'{"dose": "2e6/kg", "route": "iv", "indication": "\\ud800"}\n'
        + b'{"dose": "\\udfff2e6", "route": "iv"}\n'
        + b'{"dose\\ud800": "2e6", "route": "iv"}\n'
        + b'{"dose": "1e8", "route": "iv", "indication": "copd"}\n'
    )
    for jobs in ("1", "2"):
        r = run_cli("batch", str(path), "--jobs", jobs, expect=1)
        rows = _rows(r.stdout)
        assert [row["row"] for row in rows] == [1, 2, 3, 4, 5, 6]
        assert [row["ok"] for row in rows] == [True, False, False, False, False, True]
        assert "nested" in str(rows[1]["error"])
        assert "surrogate" in str(rows[2]["error"])


# --- 19.6 delimiters ---------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [";", "\t", ","])
def test_the_delimiter_is_detected(delimiter: str) -> None:
    text = f"dose{delimiter}route{delimiter}indication{delimiter}weight\n"
    text += f"2e6/kg{delimiter}iv{delimiter}gvhd{delimiter}70\n"
    text += f'"2e6/kg"{delimiter}iv{delimiter}gvhd{delimiter}"70"\n'
    r = run_cli("batch", "-", stdin=text)
    assert [row["verdict"] for row in _rows(r.stdout)] == ["within", "within"]


def test_the_delimiter_can_be_given() -> None:
    text = "dose|route|indication|weight\n2e6/kg|iv|gvhd|70\n"
    r = run_cli("batch", "-", "--delimiter", "|", stdin=text)
    assert _rows(r.stdout)[0]["verdict"] == "within"
    assert_one_line_error(
        run_cli("batch", "-", "--delimiter", "ab", stdin=text, expect=2), "--delimiter"
    )


# --- 19.8 suggestions once per distinct value ---------------------------------------------------


def test_suggestions_for_a_misspelt_indication_are_computed_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from mscdose.batching import run
    from mscdose.text import vocab

    calls = []
    real = vocab.resolve_indication

    def counted(text: str) -> str:
        calls.append(text)
        return real(text)

    run._names.cache_clear()
    run._REFUSED.clear()
    monkeypatch.setattr(vocab, "resolve_indication", counted)
    lines = [b"dose,route,indication,weight"] + [b"2e6/kg,iv,gvhd-typoo,70"] * 50
    out = io.StringIO()
    summary = run_batch(lines, "csv", load_table(), out)
    assert summary.invalid == 50
    assert calls.count("gvhd-typoo") == 1
    errors = {row["error"] for row in _rows(out.getvalue())}
    assert len(errors) == 1
    run._names.cache_clear()


# --- 19.5 CSV output ---------------------------------------------------------------------------

RESULT_COLUMNS = [
    "verdict",
    "compared_at",
    "reported_low",
    "reported_high",
    "distance_fold",
    "warning_codes",
    "schedule_verdict",
    "error",
]


def test_csv_output_passes_the_input_columns_through_then_the_results() -> None:
    text = (
        "id,dose,route,indication,weight,note\n"
        'a,2e6/kg,iv,gvhd,70,"with, comma"\n'
        "b,2x10^9/kg,iv,gvhd,70,\n"
        "c,10*7,iv,gvhd,70,bad\n"
    )
    r = run_cli("batch", "-", "--output-format", "csv", stdin=text, expect=1)
    got = list(csv.reader(io.StringIO(r.stdout)))
    assert got[0] == ["id", "dose", "route", "indication", "weight", "note", *RESULT_COLUMNS]
    assert got[1][:6] == ["a", "2e6/kg", "iv", "gvhd", "70", "with, comma"]
    first = dict(zip(got[0], got[1], strict=True))
    assert first["verdict"] == "within" and first["compared_at"] == "indication_route"
    assert float(first["reported_low"]) == 4e5 and float(first["reported_high"]) == 9e6
    assert float(first["distance_fold"]) == 1.0 and "IV_LUNG_FIRST_PASS" in first["warning_codes"]
    third = dict(zip(got[0], got[3], strict=True))
    assert third["verdict"] == "" and "UCUM" in third["error"]
    assert len(got) == 4


def test_csv_output_of_jsonl_input_and_in_a_file(tmp_path: Path) -> None:
    source = tmp_path / "rows.jsonl"
    source.write_text('{"dose": "2e6/kg", "route": "iv", "indication": "gvhd", "weight": 70}\n')
    out = tmp_path / "out.csv"
    run_cli("batch", str(source), "--output-format", "csv", "--output", str(out), "--jobs", "2")
    got = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert got[0][:5] == ["dose", "route", "indication", "source", "weight"]
    assert dict(zip(got[0], got[1], strict=True))["verdict"] == "within"


def test_csv_output_is_the_same_with_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    import mscdose.batching.run

    monkeypatch.setattr(mscdose.batching.run, "CHUNK_LINES", 2)
    data = QUOTED.encode().splitlines(keepends=True)
    serial, parallel = io.StringIO(), io.StringIO()
    run_batch(data, "csv", load_table(), serial, output_format="csv")
    run_batch(data, "csv", load_table(), parallel, jobs=2, output_format="csv")
    assert parallel.getvalue() == serial.getvalue()
    got = list(csv.reader(io.StringIO(serial.getvalue())))
    assert got[1][3] == "first line\nsecond line" and len(got) == 5


def test_an_unknown_output_format_or_full_with_csv_is_refused() -> None:
    text = "dose,route\n2e6,iv\n"
    assert_one_line_error(
        run_cli("batch", "-", "--output-format", "xml", stdin=text, expect=2), "xml"
    )
    assert_one_line_error(
        run_cli("batch", "-", "--output-format", "csv", "--full", stdin=text, expect=2), "--full"
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.binary(max_size=40),
            st.sampled_from(
                [b"[" * 5000, b'{"dose": "\\ud800", "route": "iv"}', b'{"dose": 1e999}', b"{}"]
            ),
        ).map(lambda b: b.replace(b"\n", b" ").replace(b"\r", b" ")),
        max_size=8,
    )
)
def test_every_json_line_gets_its_output_line(lines: list[bytes]) -> None:
    data = [line + b"\n" for line in lines]
    out = io.StringIO()
    summary = run_batch(data, "jsonl", load_table(), out)
    produced = out.getvalue().splitlines()
    expected = sum(1 for line in data if line.strip())
    assert len(produced) == summary.rows == expected
    assert [json.loads(p)["row"] for p in produced] == list(range(1, expected + 1))


def test_a_json_key_close_to_a_known_name_is_that_rows_error() -> None:
    text = (
        '{"dose": "2e6/kg", "route": "iv", "indicaton": "gvhd", "weight": 70}\n'
        '{"dose": "2e6/kg", "route": "iv", "indication": "gvhd", "weight": 70, "id": 7}\n'
    )
    r = run_cli("batch", "-", "--format", "jsonl", stdin=text, expect=1)
    first, second = _rows(r.stdout)
    assert first["ok"] is False and "'indicaton'" in str(first["error"])
    assert "'indication'" in str(first["error"])
    assert second["verdict"] == "within"
