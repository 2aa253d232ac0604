"""The table commands as a user runs them: validate, studies, show, ranges, routes,
indications and schema; broken tables via --table and MSCDOSE_TABLE; the installed wheel."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import assert_one_line_error, run_cli

DATA = Path(__file__).parent / "data"
GOOD = str(DATA / "good.yaml")
BAD_ROWS = str(DATA / "bad_rows.yaml")
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("MSCDOSE_TABLE", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("MSCDOSE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "100")


# --- JSON documents against `mscdose schema` -------------------------------------------------


def assert_matches_schema(document: Any, command: str) -> None:
    import jsonschema

    schema = run_cli("schema", command).json()
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(document)
    assert document["schema_version"] == 1


def test_a_wrong_document_fails_its_schema() -> None:
    import jsonschema

    schema = run_cli("schema", "ranges").json()
    for wrong in ({"schema_version": 1}, {"schema_version": 2, "table": {}, "ranges": []}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(wrong, schema)


# --- table validate ----------------------------------------------------------------------------


def test_validate_a_good_table() -> None:
    result = run_cli("table", "validate", GOOD)
    assert result.stdout.startswith(f"{GOOD}: valid (table test.1, 6 rows, sha256 ")
    assert _warnings(result.stderr) == []


def _warnings(stderr: str) -> list[str]:
    """The warnings other than a missing quote (these fixtures carry no quotes)."""
    return [line for line in stderr.strip().splitlines() if line and ": no quote:" not in line]


def test_validate_the_bundled_table() -> None:
    result = run_cli("table", "validate", str(REPO / "regimens.yaml"))
    assert ": valid (table " in result.stdout


def test_validate_lists_every_problem_one_per_line() -> None:
    result = run_cli("table", "validate", BAD_ROWS, expect=2)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) >= 14
    assert all(re.match(rf"{re.escape(BAD_ROWS)}:\d+: \S", line) for line in lines), lines
    assert "Traceback" not in result.stderr


BROKEN = {
    "bad_yaml": ('table:\n  version: "1"\nregimens:\n  - id: [x\n', "invalid YAML"),
    "wrong_type": ("n: 3", "n: many"),
    "inverted": ('dose: "2x10^6/kg"', "dose: {low: 5e6, high: 1e6, basis: per_kg}"),
    "duplicate_id": ("", ""),
    "unknown_route": ("route: intravenous", "route: intravenus"),
    "missing_citation": ('    citation:\n      authors: "A"\n', ""),
    "python_tag": ("provenance: P", 'provenance: !!python/object/apply:os.system ["echo hi"]'),
    "bad_dose": ('dose: "2x10^6/kg"', 'dose: "2 x 107/kg"'),
}
ROW = """\
table:
  version: "t.1"
regimens:
  - id: row-one
    provenance: P
    indication: gvhd
    category: immune
    source: bone_marrow
    route: intravenous
    dose: "2x10^6/kg"
    population: adult
    n: 3
    evidence: trial
    confidence: confirmed
    citation:
      authors: "A"
"""
LINES = {
    "bad_yaml": 4,
    "wrong_type": 12,
    "inverted": 10,
    "duplicate_id": 17,
    "unknown_route": 9,
    "missing_citation": 4,
    "python_tag": 5,
    "bad_dose": 10,
}


def broken_table(kind: str, folder: Path) -> str:
    old, new = BROKEN[kind]
    if kind == "bad_yaml":
        text = old
    elif kind == "duplicate_id":
        text = ROW + ROW.split("regimens:\n", 1)[1]
    else:
        assert old in ROW
        text = ROW.replace(old, new, 1)
    path = folder / f"{kind}.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_each_broken_table_is_exit_2_with_its_line(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = broken_table(kind, tmp_path)
    where = f"{path}:{LINES[kind]}: "
    validated = run_cli("table", "validate", path, expect=2)
    assert any(line.startswith(where) for line in validated.stderr.splitlines()), validated
    for args in (("studies",), ("ranges",), ("show", "row-one"), ("studies", "--json")):
        assert_one_line_error(run_cli(*args, "--table-only", "--table", path, expect=2), where)
    monkeypatch.setenv("MSCDOSE_TABLE", path)
    assert_one_line_error(run_cli("studies", "--json", expect=2), where)


def test_a_missing_table_file(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.yaml")
    assert_one_line_error(
        run_cli("studies", "--table-only", "--table", missing, expect=2), "no such file"
    )
    result = run_cli("table", "validate", missing, expect=2)
    assert result.stderr.strip() == f"{missing}: no such file"


def test_many_problems_point_to_validate() -> None:
    assert_one_line_error(
        run_cli("ranges", "--table-only", "--table", BAD_ROWS, expect=2),
        "more problems",
        "mscdose table validate",
    )


# --- studies and show --------------------------------------------------------------------------


def test_studies_json_follows_its_schema() -> None:
    document = run_cli("studies", "--json", "--table-only", "--table", GOOD).json()
    assert_matches_schema(document, "studies")
    assert len(document["studies"]) == 6
    first = document["studies"][0]
    assert first["id"] == "label-gvhd-pediatric"
    assert first["dose"] == {"low": 2e6, "high": 2e6, "basis": "per_kg", "cells": "total"}
    assert first["citation"].startswith("Test Pharma (prescribing information)")
    assert document["table"]["version"] == "test.1"


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--indication", "liver failure"), ["trial-aclf", "rct-liver-failure"]),
        (("--route", "intramyocardial"), ["tesi-heart"]),
        (
            ("--route", "IV", "--indication", "gvhd", "--evidence", "label"),
            ["label-gvhd-pediatric", "label-bands"],
        ),
        (("--source", "adipose"), ["case-unconfirmed"]),
        (("--population", "pediatric"), ["label-gvhd-pediatric"]),
        (("--confidence", "probable,unconfirmed"), ["trial-aclf", "case-unconfirmed"]),
        (("--search", "outlier"), ["case-unconfirmed"]),
        (("--route", "intrathecal"), []),
    ],
)
def test_studies_filters(args: tuple[str, ...], expected: list[str]) -> None:
    document = run_cli("studies", *args, "--json", "--table-only", "--table", GOOD).json()
    assert [s["id"] for s in document["studies"]] == expected


def test_studies_for_people_show_citations() -> None:
    out = run_cli(
        "studies", "--table-only", "--table", GOOD, "--indication", "liver failure"
    ).stdout
    assert "trial-aclf" in out and "rct-liver-failure" in out
    assert "Author A, Author B. A test trial. Journal of Tests. 2012; PMID 12345678" in out
    assert "1 × 10⁵ – 5 × 10⁵ cells/kg" in out
    assert "2 studies (table test.1)" in out
    ascii_out = run_cli("studies", "--table-only", "--table", GOOD, "--ascii").stdout
    assert ascii_out.isascii() and "1x10^5 - 5x10^5 cells/kg" in ascii_out
    assert (
        "No study"
        in run_cli("studies", "--table-only", "--table", GOOD, "--route", "intrathecal").stdout
    )


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("studies", "--route", "intravenus"), "did you mean 'intravenous'"),
        (("studies", "--evidence", "anecdote"), "unknown evidence"),
        (("ranges", "--indication", "zzzz qqqq"), "unknown indication"),
        (("show", "tesi-hart"), "did you mean 'tesi-heart'"),
    ],
)
def test_unknown_names_are_one_line_errors(args: tuple[str, ...], fragment: str) -> None:
    assert_one_line_error(run_cli(*args, "--table-only", "--table", GOOD, expect=2), fragment)


def test_show_one_study() -> None:
    document = run_cli("show", "label-bands", "--json", "--table-only", "--table", GOOD).json()
    assert_matches_schema(document, "show")
    assert [b["dose"]["low"] for b in document["study"]["bands"]] == [5e7, 7e7, 9e7]
    out = run_cli("show", "label-gvhd-pediatric", "--table-only", "--table", GOOD).stdout
    for fragment in (
        "gvhd_acute_steroid_refractory (steroid-refractory acute GVHD, children)",
        "twice weekly for 4 weeks",
        "8 doses",
        "3-4 days apart",
        "3.34 × 10⁶ cells/kg",
        "pediatric, n=55",
        "label, confirmed",
        "NCT00000001",
        "2024-12",
    ):
        assert fragment in out, (fragment, out)
    bands = run_cli("show", "label-bands", "--table-only", "--table", GOOD).stdout
    assert "> 60 kg and ≤ 80 kg: 7 × 10⁷ cells" in bands


# --- ranges and the chart ----------------------------------------------------------------------


def test_ranges_json_follows_its_schema() -> None:
    document = run_cli("ranges", "--json", "--table-only", "--table", GOOD).json()
    assert_matches_schema(document, "ranges")
    keys = [(r["indication"], r["route"], r["basis"]) for r in document["ranges"]]
    assert len(keys) == len(set(keys))
    assert document["include_unconfirmed"] is False
    assert "case-unconfirmed" not in {i for r in document["ranges"] for i in r["ids"]}
    widened = run_cli(
        "ranges", "--json", "--include-unconfirmed", "--table-only", "--table", GOOD
    ).json()
    gvhd = [r for r in widened["ranges"] if r["indication"] == "gvhd"]
    assert gvhd[0]["high"] == 1e9


def test_ranges_filter_broader_to_narrower() -> None:
    document = run_cli(
        "ranges", "--json", "--indication", "liver failure", "--table-only", "--table", GOOD
    ).json()
    assert {r["indication"] for r in document["ranges"]} == {
        "acute_on_chronic_liver_failure",
        "liver_failure",
    }


def test_the_chart_has_bars_and_a_log_axis_per_basis() -> None:
    out = run_cli("ranges", "--table-only", "--table", GOOD).stdout
    assert "cells/kg — per kg of body weight" in out
    assert "cells — per patient (per administration)" in out
    assert out.count("┬") >= 4
    for tick in ("10⁵", "10⁶", "10⁷", "10⁸", "10⁹"):
        assert tick in out
    assert "━" in out and "●" in out
    bars = [line for line in out.splitlines() if "· intravenous" in line]
    assert any("1 × 10⁵ – 5 × 10⁵ (1)" in line for line in bars)
    assert "1 unconfirmed row sets no bound" in out


def test_the_chart_in_ascii() -> None:
    out = run_cli("ranges", "--ascii", "--table-only", "--table", GOOD).stdout
    assert out.isascii()
    assert "10^6" in out and "+-" in out and "=" in out
    assert "acute_on_chronic" in out and "/ intravenous" in out


def test_the_chart_fits_a_narrow_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    out = run_cli("ranges", "--table-only", "--table", GOOD).stdout
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "· intravenous" in out  # the route is kept, the indication shortened


def test_no_ranges() -> None:
    out = run_cli("ranges", "--route", "intrathecal", "--table-only", "--table", GOOD).stdout
    assert "No reported doses match." in out


# --- vocabularies ------------------------------------------------------------------------------


def test_routes() -> None:
    document = run_cli("routes", "--json").json()
    assert_matches_schema(document, "routes")
    by_name = {r["name"]: r for r in document["routes"]}
    assert "intravenous" in by_name and by_name["intravenous"]["systemic"] is True
    assert "transendocardial" in by_name["intramyocardial"]["narrower"]
    assert any(r["notes"] for r in document["routes"])
    out = run_cli("routes").stdout
    assert "intravenous" in out and "aliases: IV" in out
    assert "• " in out and "[" in out  # notes carry their sources
    assert "includes transendocardial" in out
    assert "- " in run_cli("routes", "--ascii").stdout


def test_indications() -> None:
    document = run_cli("indications", "--json").json()
    assert_matches_schema(document, "indications")
    by_name = {t["name"]: t for t in document["indications"]}
    assert "acute_on_chronic_liver_failure" in by_name["liver_failure"]["narrower"]
    out = run_cli("indications").stdout
    assert "acute_on_chronic_liver_failure (acute-on-chronic liver failure)" in out
    assert "a kind of liver_failure" in out and "aliases: ACLF" in out


# --- schema ------------------------------------------------------------------------------------


def test_schema_lists_and_refuses() -> None:
    names = run_cli("schema").stdout.split()
    assert {"studies", "show", "ranges", "routes", "indications"} <= set(names)
    assert_one_line_error(run_cli("schema", "rnages", expect=2), "did you mean 'ranges'")


def test_convert_json_follows_its_schema() -> None:
    document = run_cli("convert", "2x10^6/kg", "--weight", "70", "--json").json()
    assert_matches_schema(document, "convert")


def test_the_bundled_table_through_the_cli() -> None:
    document = run_cli("studies", "--json").json()
    assert_matches_schema(document, "studies")
    assert_matches_schema(run_cli("ranges", "--json").json(), "ranges")


# --- the installed wheel -----------------------------------------------------------------------


def test_the_wheel_carries_the_table_and_works_from_another_folder(tmp_path: Path) -> None:
    """Build the wheel, install it (without dependencies: this interpreter has them) into a
    folder of its own, and run it from elsewhere: it must find the table inside itself."""
    dist, site, elsewhere = tmp_path / "dist", tmp_path / "site", tmp_path / "elsewhere"
    elsewhere.mkdir()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--wheel",
            "--no-isolation",
            "--outdir",
            str(dist),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("mscdose-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "mscdose/data/regimens.yaml" in names
        assert archive.read("mscdose/data/regimens.yaml") == (REPO / "regimens.yaml").read_bytes()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            "--target",
            str(site),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = {k: v for k, v in os.environ.items() if k != "MSCDOSE_TABLE"}
    env.update(PYTHONPATH=str(site), MSCDOSE_CACHE_DIR=str(tmp_path / "cache"))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, *args],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )

    where = run("-c", "import mscdose.table.load as t; print(t.__file__); print(t.find_table())")
    module, table = where.stdout.split()
    assert module.startswith(str(site)) and table.startswith(str(site / "mscdose" / "data"))
    studies = run("-m", "mscdose", "studies", "--json")
    assert studies.returncode == 0, studies.stderr
    assert json.loads(studies.stdout)["schema_version"] == 1
    script = site / "bin" / "mscdose"
    if script.is_file():
        version = subprocess.run(
            [str(script), "--version"],
            cwd=elsewhere,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        assert "(table " in version.stdout


# --- table validate: rows that stand a power of ten apart -------------------------------------

_ROW = """  - id: {id}
    provenance: test
    indication: acute myocardial infarction
    category: cardiac
    source: bone_marrow
    route: intracoronary
    dose: "{dose}"
    population: adult
    evidence: {evidence}
    confidence: {confidence}
    citation:
      authors: "Test"
"""


def _cellgram_table(tmp_path: Path, misprint_confidence: str) -> Path:
    """Cellgram-AMI's bands (5, 7 × 10⁷) beside the 9 × 10⁹ a 2025 review printed for 9 × 10⁷
    (field notes 3.6)."""
    rows = [
        ("band-60", "5e7", "label", "confirmed"),
        ("band-80", "7e7", "label", "confirmed"),
        ("review-misprint", "9e9", "review", misprint_confidence),
    ]
    text = (
        'table:\n  version: "t"\n  date: 2026-11-25\n  description: "lint"\nregimens:\n'
        + "".join(_ROW.format(id=i, dose=d, evidence=e, confidence=c) for i, d, e, c in rows)
    )
    path = tmp_path / "cellgram.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_validate_warns_of_a_row_a_power_of_ten_apart(tmp_path: Path) -> None:
    path = _cellgram_table(tmp_path, "probable")
    result = run_cli("table", "validate", str(path))  # still valid: exit 0
    assert result.stdout.startswith(f"{path}: valid")
    warnings = _warnings(result.stderr)
    assert len(warnings) == 1
    # 9e9 / 7e7 = 128.6, the misprinted row on line 30 of the file (3 rows × 12 lines + header)
    assert warnings[0].startswith(
        f"{path}:30: warning: review-misprint: 9 × 10⁹ cells is "
        "129× above every other intracoronary row"
    )
    assert "nearest: band-80, 7 × 10⁷ cells" in warnings[0]


def test_validate_leaves_unconfirmed_rows_out(tmp_path: Path) -> None:
    result = run_cli("table", "validate", str(_cellgram_table(tmp_path, "unconfirmed")))
    assert _warnings(result.stderr) == []


def test_table_init_writes_a_valid_starter_table(tmp_path: Path) -> None:
    path = tmp_path / "local.yaml"
    run_cli("table", "init", str(path))
    result = run_cli("table", "validate", str(path))
    assert "valid" in result.stdout and result.stderr == ""  # its row carries its words
    assert_one_line_error(run_cli("table", "init", str(path), expect=2), "--force")
    run_cli("table", "init", str(path), "--force")


def test_table_validate_warns_of_a_missing_or_disagreeing_quote(tmp_path: Path) -> None:
    path = tmp_path / "local.yaml"
    run_cli("table", "init", str(path))
    text = path.read_text(encoding="utf-8")
    # the quote says 2 x 10^6/kg; a dose of 5 x 10^6/kg does not stand in it
    path.write_text(text.replace('dose: "2x10^6/kg"', 'dose: "5x10^6/kg"'), encoding="utf-8")
    result = run_cli("table", "validate", str(path))
    assert (
        "warning: clinic-protocol-gvhd: the quote does not read as the row's dose" in result.stderr
    )
    # a lost superscript reads only after a repair, and the row must say so
    path.write_text(
        text.replace('"2 x 10^6 MSC/kg twice', '"2 x 106 MSC/kg twice'), encoding="utf-8"
    )
    result = run_cli("table", "validate", str(path))
    assert "say so in quote_repair" in result.stderr
    without = "\n".join(line for line in text.splitlines() if "quote:" not in line)
    path.write_text(without + "\n", encoding="utf-8")
    assert "no quote" in run_cli("table", "validate", str(path)).stderr


def test_studies_search_finds_the_vocabulary_words_too() -> None:
    # '鞘内' is the Chinese alias of intrathecal; 'first pass' is in the intravenous route's notes
    rows = run_cli("studies", "--search", "鞘内", "--json").json()["studies"]
    assert rows and {r["route"] for r in rows} == {"intrathecal"}
    rows = run_cli("studies", "--search", "lung first pass", "--json").json()["studies"]
    assert rows and {r["route"] for r in rows} == {"intravenous"}


def _mscdose(*args: str) -> subprocess.CompletedProcess[str]:
    """In a process of its own: a local table's terms are added for the process that reads it."""
    env = {**os.environ, "NO_COLOR": "1", "MSCDOSE_CACHE_DIR": ""}
    return subprocess.run([sys.executable, "-m", "mscdose", *args], capture_output=True,
                          text=True, env=env, timeout=60, check=False)  # fmt: skip


def test_a_local_table_may_define_its_own_indications_and_routes(tmp_path: Path) -> None:
    local = str(Path(__file__).parent / "data" / "local-vocabulary.yaml")
    assert _mscdose("table", "validate", local).returncode == 0
    done = _mscdose("check", "1e7", "--route", "submucosal", "--indication", "OLP",
                    "--table", local, "--json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["proposed"]["indication"] == "lichen_planus_oral"
    # a spelling the vocabularies give another term is a problem on its line, not a new alias
    bad = tmp_path / "bad.yaml"
    text = Path(local).read_text(encoding="utf-8")
    bad.write_text(text.replace('aliases: ["submucosal"]', 'aliases: ["IV"]'), encoding="utf-8")
    result = _mscdose("table", "validate", str(bad))
    assert result.returncode == 2
    assert f"{bad}:14: 'IV' already means intravenous" in result.stderr
