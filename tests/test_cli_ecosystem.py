"""The command line as its users' other tools behave (issue 19.1–19.4): usage lines that name
their arguments, summaries whole, option letters that mean one thing, the same patient
options everywhere, shell completion of routes, indications and sources, and ``-`` for
stdin wherever a file is read."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import typer

from mscdose.cli.app import command
from tests.conftest import run_cli

DATA = Path(__file__).parent / "data"
MSCDOSE = str(Path(sys.executable).with_name("mscdose"))


def _commands() -> dict[str, typer.core.TyperCommand]:
    """Every leaf command by its path ('check', 'table validate')."""
    found: dict[str, typer.core.TyperCommand] = {}

    def walk(cmd: object, path: str) -> None:
        subs = getattr(cmd, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, f"{path} {name}".strip())
        else:
            found[path] = cmd  # type: ignore[assignment]

    walk(command(), "")
    return found


COMMANDS = sorted(_commands())


@pytest.mark.parametrize("name", COMMANDS)
def test_usage_lines_name_their_arguments(name: str) -> None:
    usage = run_cli(*name.split(), "--help").stdout.splitlines()[0]
    assert "{" not in usage and "<" not in usage, usage
    for word in usage.split()[3 + name.count(" ") :]:
        bare = word.strip("[].")
        assert bare == "OPTIONS" or bare.isupper(), usage


@pytest.mark.parametrize("group", [[], ["table"]])
def test_command_summaries_are_whole_sentences(group: list[str]) -> None:
    text = run_cli(*group, "--help").stdout
    listing = text.split("Commands:", 1)[1].split("Examples:", 1)[0]
    assert "..." not in listing
    entries = re.findall(r"^  \S+\s+(.*(?:\n {6,}.*)*)", listing, flags=re.M)
    assert entries
    for entry in entries:
        assert " ".join(entry.split()).endswith("."), entry


def test_option_letters_mean_one_thing_everywhere() -> None:
    letters: dict[str, set[str]] = {}
    for cmd in _commands().values():
        for param in cmd.params:
            longs = [o for o in param.opts if o.startswith("--")]
            for short in (o for o in param.opts if re.fullmatch(r"-\w", o)):
                letters.setdefault(short, set()).update(longs)
    clashes = {k: v for k, v in letters.items() if len(v) > 1}
    assert not clashes, clashes
    assert letters["-s"] == {"--schedule"}


PATIENT = ("--weight", "--height", "--bsa", "--age", "--population")


def test_patient_options_are_the_same_on_every_command_that_takes_a_patient() -> None:
    seen: dict[str, tuple[tuple[str, ...], str | None]] = {}
    takers = []
    for name, cmd in _commands().items():
        params = {o: p for p in cmd.params for o in p.opts}
        if "--weight" not in params:
            continue
        takers.append(name)
        for option in PATIENT:
            assert option in params, (name, option)
            p = params[option]
            shape = (tuple(p.opts), getattr(p, "help", None))
            assert seen.setdefault(option, shape) == shape, (name, option)
    assert set(takers) == {"check", "convert", "regimen", "extract"}


# --- completion --------------------------------------------------------------------------------


def _complete(words: str, cword: int) -> list[str]:
    env = {**os.environ, "_MSCDOSE_COMPLETE": "complete_bash", "COMP_WORDS": words}
    env["COMP_CWORD"] = str(cword)
    out = subprocess.run([MSCDOSE], env=env, capture_output=True, text=True, timeout=30)
    return out.stdout.split()


def test_completion_of_routes_indications_and_sources() -> None:
    assert "intrathecal" in _complete("mscdose check 2e6 --route intrat", 4)
    assert "gvhd_acute_steroid_refractory" in _complete("mscdose studies -i gvhd_a", 3)
    assert "umbilical_cord" in _complete("mscdose ranges --source umb", 3)
    assert "ranges" in _complete("mscdose ra", 1)
    assert "--route" in _complete("mscdose check 2e6 --ro", 3)


def test_completion_installs() -> None:
    for shell in ("bash", "zsh", "fish"):
        out = subprocess.run(
            [MSCDOSE, "--show-completion", shell], capture_output=True, text=True, timeout=30
        )
        assert out.returncode == 0 and "_MSCDOSE_COMPLETE" in out.stdout, (shell, out.stderr)
    assert "--install-completion" in run_cli("--help").stdout


# --- '-' is stdin wherever a file is read ------------------------------------------------------


def test_extract_dash_and_piped() -> None:
    text = "MSCs were infused at 2 × 10⁶ cells/kg."
    for args in (
        ["extract", "-", "--json"],
        ["extract", "--json"],
        ["extract", "-f", "-", "--json"],
    ):
        result = run_cli(*args, stdin=text)
        assert result.json()["doses"][0]["low"] == 2e6


def test_piped_extract_from_a_real_pipe() -> None:
    out = subprocess.run(
        [MSCDOSE, "extract", "--json"], input="1e8 cells", capture_output=True, text=True
    )
    assert out.returncode == 0 and '"low": 100000000.0' in out.stdout


def test_table_validate_dash() -> None:
    good = (DATA / "good.yaml").read_text(encoding="utf-8")
    assert "valid (table test.1" in run_cli("table", "validate", "-", stdin=good).stdout
    bad = (DATA / "bad_rows.yaml").read_text(encoding="utf-8")
    result = run_cli("table", "validate", "-", stdin=bad, expect=2)
    assert result.stderr.startswith("<stdin>:")


def test_table_dash_reads_the_table_from_stdin() -> None:
    good = (DATA / "good.yaml").read_text(encoding="utf-8")
    studies = run_cli("studies", "--table-only", "--table", "-", "--json", stdin=good).json()
    assert studies["table"]["version"] == "test.1"
    report = run_cli("check", "2e6/kg", "-r", "iv", "-w", "20", "--table-only", "--table", "-",
                     "--json", stdin=good, expect=None).json()  # fmt: skip
    assert report["table"]["version"] == "test.1"
    assert run_cli("table", "cite", "--table", "-", stdin=good).stdout.count("test.1") == 1


def test_table_cite_json_matches_its_schema() -> None:
    from tests.test_cli_table import assert_matches_schema

    document = run_cli("table", "cite", "--json").json()
    assert_matches_schema(document, "cite")
    assert document["sha256"] in document["text"] and document["sha256"] in document["bibtex"]


def test_batch_reads_its_table_from_stdin_when_the_rows_are_a_file(tmp_path: Path) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("dose,route,indication\n2e6/kg,iv,gvhd\n", encoding="utf-8")
    good = (DATA / "good.yaml").read_text(encoding="utf-8")
    out = run_cli("batch", str(rows), "--table-only", "--table", "-", stdin=good,
                  expect=None).stdout  # fmt: skip
    assert json.loads(out.splitlines()[0])["table"]["version"] == "test.1"
    result = run_cli("batch", "-", "--table", "-", stdin="dose,route\n2e6/kg,iv\n", expect=2)
    assert "stdin cannot be both" in result.stderr
