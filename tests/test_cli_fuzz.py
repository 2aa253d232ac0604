"""Hostile command lines (issue 16.12): every command's options fuzzed in-process, bounded in
examples and time. Whatever is typed, the exit code is 0, 1, 2 or 130 (never 70, a bug) and
no run lasts over 5 s."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import run_cli

HOSTILE = [
    "",
    " ",
    "-",
    "--",
    "0",
    "-1",
    "1e400",
    "-1e400",
    "nan",
    "inf",
    "1e-320",
    "9" * 400,
    "x" * 5000,
    "\x00",
    "\udcff",
    "\u202e",
    "(((((((((",
    "%",
    "100%",
    "85",
    "0.5",
    "1,5",
    "10*7",
    "2 × 106/kg",
    "2e6/kg",
    "1e8",
    "8.6亿",
    "1-2 x10^6/kg",
    "70",
    "70 kg",
    "793",
    "170cm",
    "34y",
    "1e9 kg",
    "0 kg",
    "-70 kg",
    "3 mL",
    "4 mL/min",
    "iv",
    "IT",
    "intravenus",
    "gvhd",
    "静脉",
    "bone_marrow",
    "adult",
    "preterm",
    "weekly x4",
    "weekly x100000",
    "every 0 days x4",
    "days 0,1e9",
    "monthly x4",
    "2026-02-30",
    "2026-12-01",
    "9999-12-31",
    "label",
    "confirmed",
    "csv",
    "jsonl",
    ";",
    "tab",
    "ryoncil-label-sr-agvhd-pediatric",
    "check",
    "batch",
    "72e6 cells",
    "6.68e6 cells/mL",
    "/dev/null",
    "/",
    "/nonexistent/file",
]
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12))
SKIP = {"--help", "-h"}


def _commands() -> dict[str, list[tuple[list[str], bool, bool]]]:
    """command path → its parameters as (option strings, is a flag, is an argument)."""
    from mscdose.cli.app import command

    found: dict[str, list[tuple[list[str], bool, bool]]] = {}

    def walk(group: Any, prefix: tuple[str, ...] = ()) -> None:
        for name, cmd in group.commands.items():
            if hasattr(cmd, "commands"):
                walk(cmd, (*prefix, name))
                continue
            found[" ".join((*prefix, name))] = [
                (list(p.opts), bool(getattr(p, "is_flag", False)), p.param_type_name == "argument")
                for p in cmd.params
            ]

    walk(command())
    return found


COMMANDS = _commands()


def _files(folder: Path) -> dict[str, str]:
    rows = folder / "rows.csv"
    if not rows.exists():
        rows.write_text(
            "dose,route,indication,weight\n2e6/kg,iv,gvhd,70\n10*7,iv,x,\n", encoding="utf-8"
        )
    return {"ROWS": str(rows), "OUT": str(folder / "out.file"), "DIR": str(folder)}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@pytest.mark.parametrize("name", sorted(COMMANDS))
@settings(
    # a few per command in CI; MSCDOSE_FUZZ_EXAMPLES=500 for a longer hunt
    max_examples=int(os.environ.get("MSCDOSE_FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize="MSCDOSE_FUZZ_EXAMPLES" not in os.environ,
)
@given(data=st.data())
def test_no_command_line_crashes_or_hangs(name: str, folder: Path, data: st.DataObject) -> None:
    files = _files(folder)
    files_or_values = st.one_of(VALUES, st.sampled_from(sorted(files)).map(files.__getitem__))
    args = name.split()
    for opts, flag, argument in COMMANDS[name]:
        if not data.draw(st.booleans(), label=f"use {opts[0]}"):
            continue
        if flag:
            args.append(opts[0])
        elif argument:
            args.append(data.draw(files_or_values, label=opts[0]))
        else:
            args += [data.draw(st.sampled_from(opts)), data.draw(files_or_values, label=opts[0])]
    if data.draw(st.booleans(), label="shuffle"):
        args = args[:1] + data.draw(st.permutations(args[1:]))
    args = [a for a in args if a not in SKIP]
    stdin = data.draw(st.sampled_from(["", "dose,route\n2e6,iv\n", '{"dose": "\\ud800"}\n']))
    started = time.perf_counter()
    result = run_cli(*args, stdin=stdin, expect=None)
    elapsed = time.perf_counter() - started
    assert result.code in (0, 1, 2, 130), (args, result.code, result.stderr[-2000:])
    assert "Traceback" not in result.stderr, (args, result.stderr[-2000:])
    assert elapsed < 5, (args, f"{elapsed:.1f} s")
