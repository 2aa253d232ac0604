"""The reference-table loader: finding, safe parsing, validation with line numbers, lookups."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mscdose.documents import study_summary
from mscdose.errors import TableError, VocabularyError
from mscdose.table.load import (
    Table,
    cache_dir,
    find_table,
    load_table,
    parse_table,
    ranges,
    table_identity,
)
from mscdose.text import vocab

DATA = Path(__file__).parent / "data"
GOOD = DATA / "good.yaml"
BAD_ROWS = DATA / "bad_rows.yaml"
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No user table, and a private disk cache for each test."""
    monkeypatch.delenv("MSCDOSE_TABLE", raising=False)
    monkeypatch.setenv("MSCDOSE_CACHE_DIR", str(tmp_path / "cache"))


ROW = """\
table:
  version: "t.1"
regimens:
  - id: row-one
    provenance: P1
    indication: gvhd
    category: immune
    source: bone_marrow
    route: intravenous
    dose: "2x10^6/kg"
    population: adult
    evidence: trial
    confidence: confirmed
    citation:
      authors: "Author"
"""


def problems_of(text: str, tmp_path: Path) -> list[str]:
    path = tmp_path / "regimens.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(TableError) as info:
        load_table(path)
    assert info.value.problems, "a TableError lists its problems"
    return info.value.problems


# --- a valid table -----------------------------------------------------------------------------


def test_the_fixture_loads_with_canonical_names() -> None:
    table = load_table(GOOD)
    assert table.version == "test.1"
    assert table.date == "2026-11-25"  # an unquoted YAML date becomes text
    assert [r.id for r in table.rows] == [
        "label-gvhd-pediatric",
        "trial-aclf",
        "rct-liver-failure",
        "tesi-heart",
        "label-bands",
        "case-unconfirmed",
    ]
    label = table.by_id["label-gvhd-pediatric"]
    assert label.route == "intravenous"  # written "IV"
    assert label.dose.low == 2e6 and label.dose.basis == "per_kg"
    assert label.cap_per_kg == 3.34e6 and label.cap_total == 2e8  # "2e8" as text
    assert label.schedule is not None and label.schedule.interval_days is not None
    assert (label.schedule.interval_days.low, label.schedule.interval_days.high) == (3, 4)
    aclf = table.by_id["trial-aclf"]
    assert aclf.indication == vocab.resolve_indication("acute-on-chronic liver failure")
    assert (aclf.dose.low, aclf.dose.high, aclf.dose.basis) == (1e5, 5e5, "per_kg")
    assert [d.low for d in aclf.levels] == [1e5, 5e5]
    assert aclf.citation.pmid == "12345678"  # a bare number in YAML
    assert table.by_id["rct-liver-failure"].schedule is not None  # a plain string schedule
    bands = table.by_id["label-bands"].bands
    assert [(b.above_kg, b.up_to_kg, b.dose.low) for b in bands] == [
        (None, 60, 5e7),
        (60, 80, 7e7),
        (80, None, 9e7),
    ]
    assert table.sha256 == hashlib.sha256(GOOD.read_bytes()).hexdigest()


def test_the_bundled_table_validates() -> None:
    table = load_table()
    ids = [r.id for r in table.rows]
    assert len(ids) == len(set(ids))
    assert all(r.citation.authors.strip() for r in table.rows)
    for row in table.rows:
        assert row.route in vocab.ROUTES and row.indication in vocab.INDICATIONS
        assert row.dose.basis in vocab.ROUTES[row.route].bases
        assert row.dose.low <= row.dose.high


def test_the_bundled_table_is_found_installed_or_in_a_checkout() -> None:
    found = find_table()
    assert found.name == "regimens.yaml" and found.is_file()


def test_an_explicit_path_then_the_environment_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MSCDOSE_TABLE", str(GOOD))
    assert find_table() == GOOD
    assert load_table().version == "test.1"
    assert find_table(BAD_ROWS) == BAD_ROWS


def test_identity_is_cheap_and_needs_no_yaml() -> None:
    version, digest = table_identity(GOOD)
    assert version == "test.1"
    assert digest == hashlib.sha256(GOOD.read_bytes()).hexdigest()
    code = (
        "import sys; from mscdose.table.load import table_identity; "
        f"table_identity({str(GOOD)!r}); print('yaml' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_table_is_read_once_per_process() -> None:
    assert load_table(GOOD) is load_table(GOOD)


# --- every problem, with its line --------------------------------------------------------------


def expected_problems(path: Path) -> list[tuple[int, str]]:
    marks = re.compile(r"#\s*expect:\s*(.+)$")
    return [
        (n, m.group(1).strip())
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if (m := marks.search(line))
    ]


def test_every_row_problem_is_reported_at_once_with_its_line() -> None:
    with pytest.raises(TableError) as info:
        load_table(BAD_ROWS)
    problems = info.value.problems
    for line, fragment in expected_problems(BAD_ROWS):
        prefix = f"{BAD_ROWS}:{line}: "
        hits = [p for p in problems if p.startswith(prefix) and fragment.lower() in p.lower()]
        assert hits, (line, fragment, problems)
    assert all(re.match(rf"{re.escape(str(BAD_ROWS))}:\d+: \S", p) for p in problems)
    assert problems == sorted(problems, key=lambda p: int(p.split(":")[1]))
    assert "mscdose table validate" in str(info.value)


@pytest.mark.parametrize(
    ("old", "new", "line", "fragment"),
    [
        ('dose: "2x10^6/kg"', 'dose: "2x10^6/kg', 15, "invalid YAML"),  # where the quote ends
        ("population: adult", "population: adult\n  bad: [", 12, "invalid YAML"),
        ("population: adult", "population: 42", 11, "population"),
        ("provenance: P1", "provenance: [a, b]", 5, "provenance"),
        ('dose: "2x10^6/kg"', "dose:\n      low: 5e6\n      high: 1e6", 10, "above high"),
        ('dose: "2x10^6/kg"', 'dose: "5-1x10^6/kg"', 10, "backwards"),
        ('dose: "2x10^6/kg"', 'dose: "10*7"', 10, "10*7"),
        ('dose: "2x10^6/kg"', 'dose: "2X107"', 10, "superscript"),
        ('dose: "2x10^6/kg"', "dose: [1, 2]", 10, "dose must be"),
        ("route: intravenous", "route: intravenus", 9, "did you mean 'intravenous'"),
        ("indication: gvhd", "indication: gvdh", 6, "unknown indication"),
        ("source: bone_marrow", "source: spleen", 8, "unknown"),
        ("category: immune", "category: nonsense", 7, "unknown"),
        ('    citation:\n      authors: "Author"\n', "", 4, "missing citation"),
        ('authors: "Author"', 'authors: ""', 14, "no authors"),
        ('authors: "Author"', 'authors: "A"\n      pmcid: [1]', 16, "citation.pmcid"),
        ("provenance: P1", "provenance: !!python/object:os.system {}", 5, "!!python/object"),
        ("provenance: P1", "provenance: !!python/object/apply:os.system [ls]", 5, "not allowed"),
        ("confidence: confirmed", "confidence: sure", 13, "confidence"),
        ("evidence: trial", "evidence: trial\n    cap_total: abc", 13, "cap_total"),
        ("evidence: trial", "evidence: trial\n    cap_per_kg: -1", 13, "positive"),
        ("evidence: trial", "evidence: trial\n    n: 1.5", 13, "n:"),
        (
            "evidence: trial",
            "evidence: trial\n    schedule:\n      interval_days: x",
            14,
            "interval_days",
        ),
        ("evidence: trial", "evidence: trial\n    schedule: {doses: 2}", 13, "schedule.text"),
        ("id: row-one", "id: Row One", 4, "lowercase"),
        ("id: row-one", "id: row-one\n    idd: x", 5, "unknown field 'idd'"),
        ('dose: "2x10^6/kg"', 'dose: "2x10^6/cm2"', 10, "not used for route"),
        ("evidence: trial", "evidence: trial\n    levels:\n      - 1e99", 14, "levels[0]"),
        (  # a band doses per patient or per kg (per kg up to a weight, flat above), not per cm²
            "evidence: trial",
            'evidence: trial\n    bands:\n      - up_to_kg: 60\n        dose: "2x10^6/cm2"',
            15,
            "per patient or per kg",
        ),
        (
            "evidence: trial",
            "evidence: trial\n    bands:\n      - above_kg: 80\n        up_to_kg: 60\n"
            '        dose: "5e7"',
            14,
            "below up_to_kg",
        ),
        (  # the row's own dose is per kg: whether it compares would hang on the weight's band
            "evidence: trial",
            'evidence: trial\n    bands:\n      - up_to_kg: 60\n        dose: "5e7"',
            10,
            "gives its dose (the envelope of the bands) per patient, not per_kg",
        ),
    ],
)
def test_each_kind_of_problem_names_its_line(
    tmp_path: Path, old: str, new: str, line: int, fragment: str
) -> None:
    assert old in ROW
    problems = problems_of(ROW.replace(old, new, 1), tmp_path)
    where = f"{tmp_path / 'regimens.yaml'}:{line}: "
    assert any(p.startswith(where) and fragment in p for p in problems), problems


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "empty"),
        ("- a\n- b\n", "must be a mapping"),
        ('table:\n  version: "1"\n', "'regimens:' must be a list"),
        ("regimens: []\n", "missing 'table:'"),
        ("table:\n  date: x\nregimens: []\n", "table.version is missing"),
        ('table:\n  version: "1"\nregimens: []\nextra: 1\n', "unknown top-level key"),
        ('table:\n  version: "1"\n  verison: 2\nregimens: []\n', "did you mean 'version'"),
        ('table:\n  version: "1"\nregimens:\n  - just text\n', "must be a mapping"),
        ('table:\n  version: "1"\nregimens:\n  - &a [*a]\n', "must be a mapping"),
    ],
)
def test_the_shape_of_the_file(tmp_path: Path, text: str, fragment: str) -> None:
    problems = problems_of(text, tmp_path)
    assert any(fragment in p for p in problems), problems
    assert all(re.match(r".+:\d+: ", p) for p in problems)


def test_duplicate_ids_name_the_first(tmp_path: Path) -> None:
    text = ROW + ROW.split("regimens:\n", 1)[1]
    problems = problems_of(text, tmp_path)
    assert problems == [
        f"{tmp_path / 'regimens.yaml'}:16: duplicate id 'row-one' (first at line 4)"
    ]


def test_a_missing_or_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="no such file"):
        load_table(tmp_path / "nothing.yaml")
    with pytest.raises(TableError, match="folder"):
        load_table(tmp_path)
    with pytest.raises(TableError, match="no such file"):
        table_identity(tmp_path / "nothing.yaml")


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b'table:\n  version: "1"\n  description: "caf\xe9"\nregimens: []\n')
    with pytest.raises(TableError, match=r":3: not UTF-8"):
        load_table(path)


def test_a_broken_table_never_loads_partially(tmp_path: Path) -> None:
    text = ROW + ROW.split("regimens:\n", 1)[1].replace("row-one", "row-two").replace(
        "trial", "anecdote"
    )
    with pytest.raises(TableError):
        parse_table(text.encode(), tmp_path / "x.yaml")


def test_an_alias_bomb_is_cheap(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    text = "\n".join(lines) + '\ntable:\n  version: "1"\nregimens:\n  - *a8\n'
    problems = problems_of(text, tmp_path)
    assert any("unknown top-level key 'a0'" in p for p in problems)
    assert any("must be a mapping" in p for p in problems)


# --- finding rows ------------------------------------------------------------------------------


@pytest.fixture
def table() -> Table:
    return load_table(GOOD)


def ids(rows: list[object]) -> list[str]:
    return [r.id for r in rows]  # type: ignore[attr-defined]


def test_a_broader_indication_finds_narrower_rows(table: Table) -> None:
    assert ids(table.find(indication="liver failure")) == ["trial-aclf", "rct-liver-failure"]
    assert ids(table.find(indication="acute-on-chronic liver failure")) == ["trial-aclf"]
    assert set(ids(table.find(indication="gvhd"))) == {
        "label-gvhd-pediatric",
        "label-bands",
        "case-unconfirmed",
    }


def test_a_broader_route_finds_narrower_rows(table: Table) -> None:
    assert ids(table.find(route="intramyocardial")) == ["tesi-heart"]
    assert ids(table.find(route="transendocardial")) == ["tesi-heart"]
    assert len(table.find(route="IV")) == 5


def test_the_other_filters(table: Table) -> None:
    assert ids(table.find(source="adipose")) == ["case-unconfirmed"]
    assert ids(table.find(population="pediatric")) == ["label-gvhd-pediatric"]
    assert ids(table.find(evidence="label")) == ["label-gvhd-pediatric", "label-bands"]
    assert ids(table.find(evidence="rct, case-report")) == ["rct-liver-failure", "case-unconfirmed"]
    assert ids(table.find(confidence="unconfirmed")) == ["case-unconfirmed"]
    assert ids(table.find(search="OUTLIER misprinted")) == ["case-unconfirmed"]
    assert ids(table.find(search="liver failure")) == ["trial-aclf", "rct-liver-failure"]
    assert ids(table.find(search="chronic_liver")) == ["trial-aclf"]
    assert ids(table.find(route="intravenous", indication="gvhd", evidence="label")) == [
        "label-gvhd-pediatric",
        "label-bands",
    ]
    assert table.find(route="intrathecal") == []


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"route": "intravenus"}, "intravenous"),
        ({"indication": "no such disease at all"}, "unknown"),
        ({"evidence": "anecdote"}, "unknown evidence"),
        ({"confidence": "sure"}, "unknown confidence"),
    ],
)
def test_unknown_names_suggest(table: Table, kwargs: dict[str, str], fragment: str) -> None:
    with pytest.raises(VocabularyError, match=fragment):
        table.find(**kwargs)  # type: ignore[arg-type]


def test_get_suggests_near_ids(table: Table) -> None:
    assert table.get("tesi-heart").route == "transendocardial"
    with pytest.raises(VocabularyError, match="did you mean 'tesi-heart'"):
        table.get("tesi-hart")


# --- summaries ---------------------------------------------------------------------------------


def test_a_summary_has_the_contract_fields(table: Table) -> None:
    item = study_summary(table.by_id["trial-aclf"])
    for key in (
        "id",
        "indication",
        "route",
        "source",
        "donor",
        "dose",
        "schedule",
        "population",
        "n",
        "evidence",
        "confidence",
        "citation",
        "provenance",
    ):
        assert key in item
    assert item["dose"] == {"low": 1e5, "high": 5e5, "basis": "per_kg", "cells": "total"}
    assert item["citation"].startswith("Author A, Author B. A test trial")
    assert item["citation_detail"]["pmid"] == "12345678"
    json.dumps(item)


def test_ranges_keep_per_kg_and_per_patient_apart(table: Table) -> None:
    found = ranges(table.rows)
    keys = [(r["indication"], r["route"], r["basis"]) for r in found]
    assert len(keys) == len(set(keys))
    gvhd = [r for r in found if r["indication"] == "gvhd"]
    assert gvhd == [
        {
            "indication": "gvhd",
            "route": "intravenous",
            "basis": "per_patient",
            "low": 5e7,
            "high": 9e7,
            "studies": 1,
            "ids": ["label-bands"],
            "best_evidence": "label",
        }
    ]
    assert {r["basis"] for r in found} == {"per_kg", "per_patient"}
    with_all = [
        r for r in ranges(table.rows, include_unconfirmed=True) if r["indication"] == "gvhd"
    ]
    assert with_all[0]["high"] == 1e9 and with_all[0]["studies"] == 2


# --- the disk cache ----------------------------------------------------------------------------


def fresh_load(path: Path) -> Table:
    from mscdose.table.load import clear_cache

    clear_cache()
    return load_table(path)


def test_a_valid_table_is_cached_and_reused(tmp_path: Path) -> None:
    folder = cache_dir()
    assert folder is not None
    first = fresh_load(GOOD)
    files = list(folder.glob("table-*.json"))
    assert len(files) == 1
    second = fresh_load(GOOD)
    assert second is not first and second.rows == first.rows
    assert second.version == first.version and second.path == GOOD


def test_a_damaged_or_stale_cache_is_ignored(tmp_path: Path) -> None:
    folder = cache_dir()
    assert folder is not None
    first = fresh_load(GOOD)
    (cached,) = folder.glob("table-*.json")
    digest, body = cached.read_text().split("\n", 1)

    def signed(text: str) -> bytes:  # a body with its own, correct digest
        return (hashlib.sha256(text.encode()).hexdigest() + "\n" + text).encode()

    document = json.loads(body)
    older = signed(json.dumps({**document, "fingerprint": "older code", "rows": []}))
    # a number changed on disk: the digest no longer matches, so the row is not used
    flipped = (digest + "\n" + body.replace(str(first.rows[0].dose.low), "9e99", 1)).encode()
    assert flipped.decode() != digest + "\n" + body
    for damage in (
        b"{not json",
        b"[]",
        json.dumps({"sha256": first.sha256}).encode(),
        signed("{not json"),
        signed("[]"),
        older,
        flipped,
    ):
        cached.write_bytes(damage)
        assert fresh_load(GOOD).rows == first.rows


def test_rows_rebuilt_from_the_cache_equal_the_validated_ones() -> None:
    # the bundled table has every kind of nested field: bands, caps, schedules, citations
    validated = fresh_load(REPO / "regimens.yaml")
    rebuilt = fresh_load(REPO / "regimens.yaml")
    assert rebuilt is not validated and rebuilt.rows == validated.rows
    cellgram = next(r for r in rebuilt.rows if r.bands)
    assert type(cellgram.bands[0].dose).__name__ == "Dose"
    assert all(type(r.citation).__name__ == "Citation" for r in rebuilt.rows)


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("MSCDOSE_CACHE_DIR", "")
    assert cache_dir() is None
    assert fresh_load(GOOD).version == "test.1"


def test_an_invalid_table_is_never_cached(tmp_path: Path) -> None:
    with pytest.raises(TableError):
        fresh_load(BAD_ROWS)
    folder = cache_dir()
    assert folder is None or not list(folder.glob("table-*.json"))


def test_the_checked_in_table_is_the_one_in_the_repo() -> None:
    assert (REPO / "regimens.yaml").is_file()


def test_mangled_tables_fail_only_with_table_errors() -> None:
    """Whatever the file holds, the loader answers with a table or a TableError."""
    import random

    sources = [GOOD.read_text().splitlines(), BAD_ROWS.read_text().splitlines()]
    values = [
        "",
        "null",
        "[]",
        "{}",
        "1e400",
        "-1",
        "0",
        "true",
        "2024-01-01",
        "[1, {a: 2}]",
        "!!binary aGVsbG8=",
        "!!set {a, b}",
        "&x 1",
        "*x",
        ".nan",
        ".inf",
        "0x10",
        "'é'",
    ]
    rnd = random.Random(3)
    for _ in range(400):
        lines = list(rnd.choice(sources))
        for _ in range(rnd.randint(1, 4)):
            j = rnd.randrange(len(lines))
            roll = rnd.random()
            if roll < 0.3:
                del lines[j]
            elif roll < 0.5:
                lines.insert(j, rnd.choice(lines))
            elif ":" in lines[j]:
                lines[j] = lines[j][: lines[j].index(":") + 1] + " " + rnd.choice(values)
            else:
                lines[j] = lines[j][: rnd.randrange(len(lines[j]) + 1)]
        try:
            parse_table("\n".join(lines).encode(), Path("mangled.yaml"))
        except TableError as exc:
            assert all(p.startswith("mangled.yaml:") for p in exc.problems)


def test_the_cache_fingerprint_reads_every_validator_file() -> None:
    """A renamed module left out of the fingerprint would let a cache outlive the code that
    validated it (the files moved into subpackages once, and the names went stale)."""
    from mscdose.table import cache

    files = list(cache.validator_files())
    names = {f.relative_to(Path(cache.__file__).parent.parent).as_posix() for f in files}
    assert {"table/validate.py", "table/row.py", "text/terms.py", "text/grammar.py"} <= names
    assert all(f.is_file() for f in files)
