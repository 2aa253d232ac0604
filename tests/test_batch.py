"""`mscdose batch`: one line out per row in, in order, bad rows included; atomic output."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mscdose.batching.run import read_rows, run_batch
from mscdose.checking.plan import CheckPlan
from mscdose.table.load import load_table
from tests.conftest import run_cli
from tests.strategies import check_rows

CSV = (
    "dose,route,indication,weight,note\n"
    "2e6/kg,iv,gvhd,70,label dose\n"  # within
    "2x10^9/kg,iv,gvhd,70,slip\n"  # above
    "10*7,iv,gvhd,70,ucum\n"  # invalid dose
    "1,2\n"  # wrong column count
    "2e6/kg,iv,gvhd,793,no unit\n"  # implausible weight
    "1e7/mL,iv,gvhd,70,concentration\n"  # no data
    "2e6/kg,intravenus,gvhd,70,typo\n"  # unknown route
)


def _lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines()]


def test_csv_rows_are_conserved_in_order_with_bad_rows_reported() -> None:
    r = run_cli("batch", "-", stdin=CSV, expect=1)
    rows = _lines(r.stdout)
    assert [row["row"] for row in rows] == [1, 2, 3, 4, 5, 6, 7]
    assert [row["ok"] for row in rows] == [True, True, False, False, False, True, False]
    assert rows[0]["verdict"] == "within" and rows[1]["verdict"] == "above"
    assert rows[5]["verdict"] == "no_data"
    assert "UCUM" in str(rows[2]["error"]) and "5 columns" in str(rows[3]["error"])
    assert "793 g" in str(rows[4]["error"]) and "intravenous" in str(rows[6]["error"])
    assert "LIKELY_NOTATION_SLIP" in rows[1]["warning_codes"]  # type: ignore[operator]
    assert rows[0]["per_patient"] == {"low": 1.4e8, "high": 1.4e8}
    assert "7 rows: 1 within, 1 outside, 1 no data, 4 invalid" in r.stderr


def test_jsonl_from_a_file_with_unknown_keys_and_broken_lines(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    path.write_bytes(
        b'{"dose": "2e6/kg", "route": "IV", "indication": "GVHD", "weight": "70 kg", "x": 1}\n'
        b'{"dose": "2e6/kg", "route": \n'
        b"\xff\xfe not utf-8\n"
        b"[1, 2]\n"
        b'{"dose": "1e8", "route": "IV", "indication": "COPD"}\n'
    )
    r = run_cli("batch", str(path), expect=1)
    rows = _lines(r.stdout)
    assert [row["row"] for row in rows] == [1, 2, 3, 4, 5]
    assert [row["ok"] for row in rows] == [True, False, False, False, True]
    assert "UTF-8" in str(rows[2]["error"])
    assert rows[4]["verdict"] == "within"  # Weiss 2013: 1 × 10⁸ monthly × 4 for COPD


def test_all_within_exits_0_and_output_is_atomic(tmp_path: Path) -> None:
    src = tmp_path / "in.csv"
    src.write_text(
        "dose,route,indication,weight\n2e6/kg,iv,gvhd,70\n1e8,iv,copd,\n", encoding="utf-8"
    )
    out = tmp_path / "out.jsonl"
    r = run_cli("batch", str(src), "--output", str(out), expect=0)
    assert r.stdout == ""
    assert [row["verdict"] for row in _lines(out.read_text(encoding="utf-8"))] == ["within"] * 2
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".mscdose-")] == []


def test_output_that_cannot_be_written_is_a_one_line_refusal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from tests.conftest import assert_one_line_error

    src = tmp_path / "in.csv"
    src.write_text("dose,route\n2e6/kg,iv\n", encoding="utf-8")
    missing = tmp_path / "missing" / "out.jsonl"
    assert_one_line_error(
        run_cli("batch", str(src), "--output", str(missing), expect=None),
        "cannot write to",
        "missing",
    )
    assert_one_line_error(
        run_cli("batch", str(src), "--output", str(tmp_path), expect=None), "is a folder"
    )
    # workers' temporary folder cannot be made: the run stops with one line, and no output
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-tmp"))
    out = tmp_path / "out.jsonl"
    assert_one_line_error(
        run_cli("batch", str(src), "--output", str(out), "--jobs", "2", expect=None),
        "batch stopped",
        "TMPDIR",
    )
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".mscdose-")] == []


def _default_sigint() -> None:
    """In the child: Ctrl-C as a terminal sends it. A suite started with SIGINT ignored (a
    background job) would pass the ignoring on, and the child would never stop."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


@contextlib.contextmanager
def _killed_after(proc: subprocess.Popen[bytes], seconds: float) -> Iterator[None]:
    """A watchdog: a child that has not ended by then is killed, so a read never hangs."""
    timer = threading.Timer(seconds, proc.kill)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()


def test_interrupted_run_leaves_no_output_file(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    out = tmp_path / "out.jsonl"
    with (
        subprocess.Popen(
            [sys.executable, "-m", "mscdose", "batch", "-", "--output", str(out)],
            stdin=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=tmp_path,
            env={**os.environ, "NO_COLOR": "1"},
            preexec_fn=_default_sigint,
        ) as proc,
        _killed_after(proc, 60),
    ):
        assert proc.stdin is not None and proc.stderr is not None
        proc.stdin.write(b"dose,route\n2e6/kg,iv\n2e6/kg,iv\n")
        proc.stdin.flush()  # and left open: the run waits for more rows
        deadline = time.monotonic() + 30
        while not list(tmp_path.glob(".mscdose-*")) and time.monotonic() < deadline:
            time.sleep(0.02)  # the temporary output file exists: the run is under way
        assert list(tmp_path.glob(".mscdose-*"))
        proc.send_signal(signal.SIGINT)  # (stdin stays open: only the signal can end the run)
        assert proc.wait(timeout=60) == 130
        assert "interrupted" in proc.stderr.read().decode()
    assert list(tmp_path.iterdir()) == []


def test_unreadable_input_is_exit_2() -> None:
    r = run_cli("batch", "/no/such/file.csv", expect=2)
    assert "cannot read" in r.stderr
    r = run_cli("batch", "-", stdin="dose,weight\n2e6,70\n", expect=2)
    assert "dose and route" in r.stderr
    r = run_cli("batch", "-", "--format", "xml", stdin="", expect=2)
    assert "unknown format" in r.stderr


def test_full_gives_the_whole_check_document() -> None:
    r = run_cli("batch", "-", "--full", stdin="dose,route,indication,weight\n2e6/kg,iv,gvhd,70\n")
    row = _lines(r.stdout)[0]
    assert row["row"] == 1 and row["schema_version"] == 1 and row["matches"]


lines = st.lists(
    st.one_of(
        st.binary(max_size=40).filter(lambda b: b"\n" not in b and b"\r" not in b),
        st.sampled_from(
            [
                b'{"dose": "2e6/kg", "route": "iv", "weight": "70"}',
                b"{}",
                b"[]",
                b'{"dose": "10*7", "route": "iv"}',
                b'{"dose": "1e8", "route": "it"}',
            ]
        ),
    ),
    max_size=30,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(lines)
def test_any_jsonl_input_gives_one_output_line_per_nonblank_line(data: list[bytes]) -> None:
    out = io.StringIO()
    summary = run_batch(data, "jsonl", load_table(), out)
    nonblank = [d for d in data if d.strip()]
    produced = out.getvalue().splitlines()
    assert len(produced) == len(nonblank) == summary.rows
    assert [json.loads(p)["row"] for p in produced] == list(range(1, len(nonblank) + 1))


def test_read_rows_keeps_going_after_a_broken_csv_line() -> None:
    got = list(read_rows([b"dose,route", b'"2e6,iv', b"2e6,iv"], "csv"))
    assert got[0][0] == 1 and isinstance(got[0][1], str)
    assert got[1] == (2, {"dose": "2e6", "route": "iv"})


def test_parallel_output_is_identical_to_serial(monkeypatch: pytest.MonkeyPatch) -> None:
    import mscdose.batching.run

    monkeypatch.setattr(mscdose.batching.run, "CHUNK_LINES", 3)  # many chunks, some with bad lines
    data = [line.encode() for line in CSV.splitlines()] * 4 + [b"", b"\xff\xfe,iv"]
    serial, parallel = io.StringIO(), io.StringIO()
    a = run_batch(data, "csv", load_table(), serial)
    b = run_batch(data, "csv", load_table(), parallel, jobs=2)
    assert parallel.getvalue() == serial.getvalue()
    assert (
        (a.rows, a.within, a.outside, a.no_data, a.invalid)
        == (b.rows, b.within, b.outside, b.no_data, b.invalid)
        == (32, 4, 4, 4, 20)
    )
    # 4 × 7 rows, the 3 repeated header lines (read as bad rows) and the undecodable line


def test_spawned_workers_give_the_same_output(monkeypatch: pytest.MonkeyPatch) -> None:
    # off Linux, workers are spawned and read the table from its path
    import sys

    import mscdose.batching.run

    monkeypatch.setattr(mscdose.batching.run, "CHUNK_LINES", 3)
    data = [line.encode() for line in CSV.splitlines()] * 2
    serial, spawned = io.StringIO(), io.StringIO()
    run_batch(data, "csv", load_table(), serial)
    monkeypatch.setattr(sys, "platform", "darwin")
    run_batch(data, "csv", load_table(), spawned, jobs=2)
    assert spawned.getvalue() == serial.getvalue()


def test_workers_hand_back_through_files_that_are_then_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    import mscdose.batching.run

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(mscdose.batching.run, "CHUNK_LINES", 2)
    data = [line.encode() for line in CSV.splitlines()]
    run_batch(data, "csv", load_table(), io.StringIO(), jobs=2)

    class Broken(io.StringIO):  # the output fails half-way: the chunks' files still go
        def write(self, text: str) -> int:
            raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        run_batch(data, "csv", load_table(), Broken(), jobs=2)
    assert list(tmp_path.iterdir()) == []


def test_output_file_is_the_same_with_workers_and_without(tmp_path: Path) -> None:
    # workers' chunks go to --output as UTF-8 bytes: non-ASCII text must come through intact
    src = tmp_path / "in.csv"
    src.write_text(
        "dose,route,indication,weight\n"
        + "2e6/kg,静脉,gvhd,70\n" * 3
        + "2e6/kg,静脉注射液,gvhd,70\n"
        + "8.6亿,iv,copd,70\n",
        encoding="utf-8",
    )
    one, two = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    run_cli("batch", str(src), "--output", str(one), "--jobs", "1", expect=1)
    run_cli("batch", str(src), "--output", str(two), "--jobs", "2", expect=1)
    assert one.read_bytes() == two.read_bytes()
    assert "静脉注射液" in one.read_text(encoding="utf-8")  # the unknown route, quoted back
    assert len(one.read_text(encoding="utf-8").splitlines()) == 5


def test_jobs_option_end_to_end() -> None:
    one = run_cli("batch", "-", stdin=CSV, expect=1).stdout
    two = run_cli("batch", "-", "--jobs", "2", stdin=CSV, expect=1).stdout
    assert one == two and len(one.splitlines()) == 7


# batch's prepared plans against the full check, on rows of every kind the table has
_TABLE = load_table()
_PLANS: dict[tuple[object, ...], CheckPlan] = {}  # shared by examples: plans meet many rows


def _compact(document: dict[str, Any]) -> dict[str, Any]:
    """The compact batch fields, as the full check document gives them."""
    reported = document["reported"]
    return {
        "row": document["row"],
        "ok": True,
        "verdict": document["verdict"],
        "compared_at": document["compared_at"],
        "per_patient": document["proposed"]["per_patient"],
        "per_kg": document["proposed"]["per_kg"],
        "reported": reported
        and {k: reported[k] for k in ("low", "high", "basis", "studies", "evidence")},
        "distance_fold": document["distance_fold"],
        "match_ids": [m["id"] for m in document["matches"] if m["sets_bound"]],
        "warning_codes": [w["code"] for w in document["warnings"]],
        "schedule_verdict": document["schedule_verdict"],
        "emptied_by": document["emptied_by"],
    }


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(check_rows, st.booleans())
def test_prepared_plans_give_what_the_full_check_gives(
    row: dict[str, str], unconfirmed: bool
) -> None:
    from mscdose.batching.run import check_row, given_fields
    from mscdose.errors import MscdoseError

    row = given_fields(row)
    try:
        full = check_row(row, _TABLE, full=True, include_unconfirmed=unconfirmed)
    except MscdoseError as exc:
        with pytest.raises(type(exc)):
            check_row(row, _TABLE, include_unconfirmed=unconfirmed, plans=_PLANS)
        return
    fast = check_row(row, _TABLE, include_unconfirmed=unconfirmed, plans=_PLANS)
    assert fast == _compact(full)


@settings(max_examples=500)
@given(st.lists(st.sampled_from([*"ab ,;\"'\t\r\n\x00é"]), max_size=12).map("".join))
def test_csv_split_reads_a_line_as_the_csv_module_does(text: str) -> None:
    import csv

    from mscdose.batching.run import split_csv_line

    try:
        expected: list[str] | type[Exception] = next(csv.reader([text]), [])
    except csv.Error:
        expected = csv.Error
    if expected is csv.Error:
        with pytest.raises(csv.Error):
            split_csv_line(text)
    elif text.strip():  # read_rows skips blank lines before splitting
        assert split_csv_line(text) == expected


def test_workers_default_to_one_per_core_only_for_a_big_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os
    import sys

    from mscdose.cli.batch_cmd import AUTO_PARALLEL_BYTES, AUTO_PARALLEL_BYTES_SPAWNED, _workers

    small, big = tmp_path / "small.csv", tmp_path / "big.csv"
    small.write_bytes(b"dose,route\n2e6/kg,iv\n")
    with big.open("wb") as f:
        f.truncate(AUTO_PARALLEL_BYTES + 1)
    cores = os.cpu_count() or 1
    monkeypatch.setattr(sys, "platform", "linux")  # forked workers
    with small.open("rb") as s, big.open("rb") as b:
        assert _workers(None, s, str(small)) == 1
        assert _workers(None, b, str(big)) == cores
        assert _workers(1, b, str(big)) == 1  # asked for: kept
        assert _workers(0, s, str(small)) == cores
        assert _workers(None, b, "-") == 1  # stdin: its size is unknown in general
        monkeypatch.setattr(sys, "platform", "darwin")  # spawned workers cost more to start
        assert AUTO_PARALLEL_BYTES_SPAWNED > AUTO_PARALLEL_BYTES
        assert _workers(None, b, str(big)) == 1
        with big.open("wb") as f:
            f.truncate(AUTO_PARALLEL_BYTES_SPAWNED + 1)
        with big.open("rb") as bigger:
            assert _workers(None, bigger, str(big)) == cores


def test_stdout_gets_a_workers_chunk_one_line_per_write() -> None:
    # one large write can be cut short by Ctrl-C and tear a line; one line cannot
    from mscdose.cli.batch_cmd import _LineByLine

    writes: list[str] = []

    class Recorder(io.StringIO):
        def write(self, text: str) -> int:
            writes.append(text)
            return len(text)

    _LineByLine(Recorder()).write('{"row":1}\n{"row":2}\n{"row":3}\n')
    assert writes == ['{"row":1}\n', '{"row":2}\n', '{"row":3}\n']


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_ctrl_c_exits_130_with_only_complete_lines(jobs: str) -> None:
    import contextlib
    import os
    import signal
    import subprocess
    import sys
    import threading

    env = {**os.environ, "NO_COLOR": "1"}
    with (
        subprocess.Popen(
            [sys.executable, "-m", "mscdose", "batch", "-", "--jobs", jobs],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            preexec_fn=_default_sigint,
        ) as proc,
        _killed_after(proc, 60),
    ):
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        stdin = proc.stdin

        def feed() -> None:  # enough rows for workers to send results back; stdin stays
            with contextlib.suppress(OSError, ValueError):  # open: the run cannot end alone
                stdin.write(b"dose,route,indication,weight\n" + b"2e6/kg,iv,gvhd,70\n" * 20000)
                stdin.flush()  # (once interrupted, mscdose reads no more: the pipe breaks)

        feeder = threading.Thread(target=feed)
        feeder.start()
        first = proc.stdout.readline()  # rows are being written
        proc.send_signal(signal.SIGINT)
        out = proc.stdout.read()  # (not communicate(): it would skip what readline buffered)
        err = proc.stderr.read()
        assert proc.wait(timeout=60) == 130
        feeder.join(timeout=60)
    assert "interrupted" in err.decode()
    lines = (first + out).splitlines()
    assert lines and all(json.loads(line)["ok"] for line in lines)
