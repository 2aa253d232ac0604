"""Output streams as they are met (issue 16.11): a stdout that is not UTF-8, a closed one, and
a reader that goes away (`| head`) end as they should, never with a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

CP1252 = {**os.environ, "PYTHONIOENCODING": "cp1252"}
COMMANDS = [
    ["check", "2e6/kg", "--route", "iv", "--indication", "gvhd", "--weight", "70"],
    ["check", "2e6/kg", "--route", "静脉", "--indication", "移植物抗宿主病", "--weight", "70"],
    ["convert", "8.6亿", "--weight", "70"],
    ["extract", "每次1.2亿个细胞, 2 × 10⁶ MSC/kg"],
    ["indications"],
    ["routes"],
    ["studies", "--indication", "gvhd"],
    ["regimen", "2e6/kg", "--schedule", "每周一次,连续4次", "--weight", "20"],
    ["ranges", "--indication", "gvhd"],
    ["show", "ryoncil-label-sr-agvhd-pediatric"],
]


def _mscdose(
    args: list[str], env: dict[str, str] | None = None, **kwargs: object
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "mscdose", *args],
        capture_output=True,
        env=env or dict(os.environ),
        timeout=60,
        **kwargs,  # type: ignore[call-overload]
    )


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_a_cp1252_stdout_gets_what_it_can_hold(args: list[str]) -> None:
    r = _mscdose(args, CP1252)
    assert r.returncode in (0, 1), r.stderr.decode("cp1252", "replace")
    assert b"Traceback" not in r.stderr and b"internal error" not in r.stderr
    assert r.stdout.strip()
    r.stdout.decode("cp1252")  # what was written is cp1252


@pytest.mark.parametrize("args", COMMANDS[:4], ids=lambda a: " ".join(a[:2]))
def test_json_on_a_cp1252_stdout_stays_exact(args: list[str]) -> None:
    # a stdout that cannot show superscripts gets the display strings in ASCII, as --ascii does
    ascii = ["--ascii"] if args[0] in ("check", "convert") else []
    utf8 = _mscdose([*args, "--json", *ascii])
    legacy = _mscdose([*args, "--json"], CP1252)
    assert legacy.returncode == utf8.returncode, legacy.stderr
    assert json.loads(legacy.stdout.decode("cp1252")) == json.loads(utf8.stdout)


def test_batch_on_a_cp1252_stdout_writes_exact_json_lines(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text(
        "dose,route,indication,weight\n8.6亿,静脉,移植物抗宿主病,70\n2e6/kg,iv,gvhd 😀,70\n",
        encoding="utf-8",
    )
    for jobs in ("1", "2"):
        utf8 = _mscdose(["batch", str(rows), "-j", jobs])
        legacy = _mscdose(["batch", str(rows), "-j", jobs], CP1252)
        assert legacy.returncode == utf8.returncode == 1, legacy.stderr
        got = [json.loads(line) for line in legacy.stdout.decode("cp1252").splitlines()]
        assert got == [json.loads(line) for line in utf8.stdout.splitlines()]


@pytest.mark.skipif(os.name != "posix", reason="closes a descriptor through the shell")
@pytest.mark.parametrize(
    "args", [["convert", "2e6"], ["studies", "--json"], ["check", "2e9/kg", "--route", "iv"]]
)
def test_a_closed_stdout_prints_no_traceback(args: list[str]) -> None:
    command = " ".join([f"'{sys.executable}'", "-m", "mscdose", *(f"'{a}'" for a in args)])
    r = subprocess.run(["sh", "-c", f"{command} >&-"], capture_output=True, timeout=60)
    assert b"Traceback" not in r.stderr and b"internal error" not in r.stderr, r.stderr
    assert r.returncode in (0, 1), r.stderr


@pytest.mark.parametrize("args", [["batch", "ROWS"], ["batch", "ROWS", "-j", "2"], ["studies"]])
def test_a_reader_that_goes_away_ends_the_run_quietly_with_0(
    tmp_path: Path, args: list[str]
) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("dose,route\n" + "2e9/kg,iv\n" * 30_000, encoding="utf-8")
    args = [str(rows) if a == "ROWS" else a for a in args]
    process = subprocess.Popen(
        [sys.executable, "-m", "mscdose", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stderr is not None
    try:
        process.stdout.readline()
        process.stdout.close()  # what `| head -1` does
        err = process.stderr.read()
        assert process.wait(timeout=60) == 0, err
        assert b"Traceback" not in err and b"Exception ignored" not in err, err
        assert b"error" not in err, err
    finally:
        if process.poll() is None:  # never left running by a failed test
            process.kill()
            process.wait(timeout=30)
        process.stderr.close()
