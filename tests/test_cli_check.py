"""`mscdose check` through the entry point: exit codes, JSON contract, refusals, people's output."""

from __future__ import annotations

import pytest

from tests.conftest import assert_one_line_error, run_cli


def test_within_exits_0_with_the_verdict_in_words() -> None:
    r = run_cli(
        "check",
        "2x10^6 cells/kg",
        "--route",
        "iv",
        "--indication",
        "gvhd",
        "--weight",
        "70",
        expect=0,
    )
    assert "WITHIN the reported range" in r.stdout
    assert "1.4 × 10⁸ cells" in r.stdout  # per administration
    assert "ryoncil-label-sr-agvhd-pediatric" in r.stdout  # nearest studies, with citations
    assert "IV_LUNG_FIRST_PASS" in r.stdout
    assert "log scale" in r.stdout  # the chart


def test_outside_and_no_data_exit_1() -> None:
    r = run_cli("check", "2e9/kg", "-r", "iv", "-i", "gvhd", "-w", "70", expect=1)
    assert "ABOVE" in r.stdout and "LIKELY_NOTATION_SLIP" in r.stdout
    doc = run_cli("check", "1e7/mL", "-r", "iv", "--json", expect=1).json()
    assert doc["verdict"] == "no_data" and doc["compared_at"] is None


def test_json_is_the_contract_and_validates_against_its_schema() -> None:
    import jsonschema

    doc = run_cli(
        "check", "2e6/kg", "-r", "静脉", "-i", "移植物抗宿主病", "-w", "70", "--json"
    ).json()
    schema = run_cli("schema", "check").json()
    jsonschema.validate(doc, schema)
    assert doc["schema_version"] == 1
    assert doc["verdict"] == "within" and doc["compared_at"] == "indication_route"
    assert doc["proposed"]["route"] == "intravenous" and doc["proposed"]["indication"] == "gvhd"
    assert doc["reported"]["basis"] == "per_kg" and doc["reported"]["studies"] >= 5
    assert doc["distance_fold"] == 1.0
    first = doc["matches"][0]
    assert {
        "id",
        "indication",
        "route",
        "source",
        "dose",
        "schedule",
        "population",
        "n",
        "evidence",
        "citation",
        "relation",
    } <= set(first)
    assert all({"code", "severity", "message"} <= set(w) for w in doc["warnings"])


def test_explain_prints_each_step() -> None:
    r = run_cli(
        "check", "1x10^7/kg", "-r", "intratracheal", "-i", "BPD", "-w", "793 g", "--explain"
    )
    assert "1 × 10⁷ cells/kg × 0.793 kg = 7.93 × 10⁶ cells" in r.stdout
    assert "reported range" in r.stdout


def test_ascii_output_has_no_superscripts() -> None:
    r = run_cli("check", "2e6/kg", "-r", "iv", "-i", "gvhd", "-w", "70", "--ascii", "--explain")
    assert "2x10^6 cells/kg" in r.stdout
    assert not set("⁰¹²³⁴⁵⁶⁷⁸⁹×") & set(r.stdout)


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["2e6/kg", "-r", "iv", "-i", "graft versus host"], "did you mean"),
        (["2e6/kg", "-r", "intravenus"], "did you mean 'intravenous'"),
        (["2X107", "-r", "iv"], "superscript lost"),
        (["2e6/kg", "-i", "gvhd"], "Missing option '--route'"),
        (["2e6/kg", "-r", "iv", "--schedule", "weekly x0"], "schedule"),
        (["2e6/kg", "-r", "iv", "--weight", "793"], "did you mean 793 g?"),
    ],
)
def test_refusals_are_one_line_exit_2(args: list[str], fragment: str) -> None:
    assert_one_line_error(run_cli("check", *args, expect=2), fragment)


def test_broken_table_is_invalid_input(tmp_path: object) -> None:
    from pathlib import Path

    bad = Path(str(tmp_path)) / "bad.yaml"
    bad.write_text("table: [\n", encoding="utf-8")
    r = run_cli("check", "2e6/kg", "-r", "iv", "--table", str(bad), expect=2)
    assert "bad.yaml:" in r.stderr and "Traceback" not in r.stderr


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

words = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["2e6/kg", "1e8", "IV", "gvhd", "70", "793 g", "10*7", "-1", "nan", "", "鞘内", "1e400"]
    ),
)


@settings(max_examples=120, deadline=None)
@given(words, words, words, words)
def test_check_never_crashes_whatever_it_is_given(
    dose: str, route: str, indication: str, weight: str
) -> None:
    r = run_cli(
        "check",
        dose,
        "--route",
        route,
        "--indication",
        indication,
        "--weight",
        weight,
        "--json",
        expect=None,
    )
    assert r.code in (0, 1, 2), r.stderr
    if r.code == 2:
        assert r.stdout == "" and len(r.stderr.strip().splitlines()) == 1
    else:
        assert r.json()["schema_version"] == 1


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["2e6/kg", "-r", "iv", "-i", "gvhd", "-w", "70", "--json"], 0),
        (["2e9/kg", "-r", "iv", "-i", "gvhd", "-w", "70", "--json"], 1),
        (["10*7", "-r", "iv"], 2),
    ],
)
def test_the_console_command_exits_with_mains_code_and_flushed_output(
    args: list[str], code: int
) -> None:
    # `python -m mscdose` runs what the installed `mscdose` runs (cli.run: main, then a
    # frozen heap at exit): the code and every byte of output must come through
    import json
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "mscdose", "check", *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == code
    if code == 2:
        assert done.stdout == "" and done.stderr.startswith("mscdose: error: ")
    else:
        assert json.loads(done.stdout)["verdict"] == ("within" if code == 0 else "above")
