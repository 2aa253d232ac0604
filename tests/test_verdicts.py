"""What a verdict rests on (cli-contract, check: "What the verdict rests on"): the question
asked decides the rows, never another indication's or route's; ambiguous abbreviations are
refused; a schedule gets a verdict of its own; the margin says when it decides; the people's
view opens with the verdict and the dangers; every output names the table and the tool.

Most cases use tests/data/verdict-table.yaml, whose rows carry the bundled table's doses, so
that they hold however the bundled table grows."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mscdose import check, load_table
from mscdose.errors import VocabularyError
from mscdose.text import vocab
from tests.conftest import run_cli

FIXTURE = str(Path(__file__).parent / "data" / "verdict-table.yaml")
TABLE = load_table(FIXTURE)


def test_an_indication_without_rows_is_no_data_never_another_indications_verdict() -> None:
    # sepsis has no row in the fixture; COPD's 1 x 10^8 IV would have made 1 x 10^8 "within"
    report = check("1e8", "iv", indication="septic shock", table=TABLE)
    assert report.verdict == "no_data"
    assert report.compared_at is None and report.reported is None
    assert report.distance_fold is None
    assert report.context is not None and report.context.level == "route"
    assert report.context.low == report.context.high == 1e8  # COPD's dose, as context only
    assert all(not m.sets_bound for m in report.matches)


def test_no_data_exits_1_and_says_so_plainly() -> None:
    result = run_cli(
        "check",
        "1e8",
        "--route",
        "iv",
        "--indication",
        "septic shock",
        "--table-only",
        "--table",
        FIXTURE,
        expect=1,
    )
    assert "NO DATA" in result.stdout and "could not be checked" in result.stdout
    assert "for context only, never the verdict" in result.stdout
    doc = run_cli(
        "check",
        "1e8",
        "--route",
        "iv",
        "--indication",
        "septic shock",
        "--table-only",
        "--table",
        FIXTURE,
        "--json",
        expect=1,
    ).json()
    assert doc["verdict"] == "no_data" and doc["compared_at"] is None
    assert doc["context"]["level"] == "route"


def test_a_route_with_no_rows_is_no_data_for_any_indication() -> None:
    # no intranasal row anywhere: never borrow a verdict from another route
    report = check("2e6/kg", "intranasal", weight_kg=70, table=TABLE)
    assert report.verdict == "no_data"
    assert report.context is not None and report.context.level == "all"


def test_without_an_indication_the_question_is_the_route_and_the_headline_says_so() -> None:
    report = check("1e8", "iv", table=TABLE)
    assert report.verdict == "within" and report.compared_at == "route"
    out = run_cli("check", "1e8", "--route", "iv", "--table-only", "--table", FIXTURE).stdout
    assert "any indication" in out


def test_broader_terms_count_with_a_note() -> None:
    # steroid-refractory aGVHD rows answer a question about aGVHD in general? No: they are
    # narrower, and count. A question about SR-aGVHD counts its own rows.
    report = check("2e6/kg", "iv", indication="acute GVHD", weight_kg=20, table=TABLE)
    assert report.verdict == "within" and report.compared_at == "indication_route"
    assert [m.id for m in report.matches if m.sets_bound] == ["gvhd-label"]


def test_a_source_that_empties_the_match_is_named() -> None:
    # the fixture's GVHD row is marrow-derived: adipose cells leave no row
    report = check("2e6/kg", "iv", indication="gvhd", source="adipose", weight_kg=70, table=TABLE)
    assert report.verdict == "no_data"
    assert report.emptied_by == "source"
    assert report.context is not None and report.context.level == "indication_route"
    assert report.context.low == report.context.high == 2e6


def test_a_population_that_empties_the_match_is_named() -> None:
    # Chang 2014's rows are preterm infants: an adult question about BPD has no data
    report = check(
        "1e7/kg", "intratracheal", indication="bpd", weight_kg=70, population="adult", table=TABLE
    )
    assert report.verdict == "no_data" and report.emptied_by == "population"


@pytest.mark.parametrize(
    ("route", "readings"),
    [
        ("IT", ("intrathecal", "intratracheal")),
        ("IA", ("intra-articular", "intra-arterial")),
        ("IC", ("intracoronary", "intracerebral", "intracavernous")),
        ("IO", ("intraosseous", "intraocular")),
    ],
)
def test_ambiguous_abbreviations_are_refused_with_every_reading(
    route: str, readings: tuple[str, ...]
) -> None:
    result = run_cli(
        "check",
        "1e7/kg",
        "--weight",
        "793 g",
        "--route",
        route,
        "--indication",
        "bpd",
        "--table-only",
        "--table",
        FIXTURE,
        expect=2,
    )
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert all(reading in result.stderr for reading in readings)
    with pytest.raises(VocabularyError):
        check("1e7/kg", route, indication="bpd", weight_kg=0.793, table=TABLE)


def test_full_names_still_work() -> None:
    # Chang 2014: 1 x 10^7/kg intratracheal for a 793 g infant
    report = check("1e7/kg", "intratracheal", indication="bpd", weight_kg=0.793, table=TABLE)
    assert report.verdict == "within"


def test_the_schedule_a_study_used_is_within() -> None:
    # the lupus row's own schedule, days 0 and 7
    report = check("1e6/kg", "iv", indication="sle", weight_kg=60, schedule="days 0,7", table=TABLE)
    assert report.schedule_verdict == "within"
    assert report.schedule_rows == ["sle-days-0-7"]
    assert not {w.code for w in report.warnings} & {"SHORT_INTERVAL", "MORE_DOSES_THAN_REPORTED"}


def test_a_shorter_interval_than_reported_is_outside_and_exits_1() -> None:
    # 3 days apart against the lupus row's 7
    report = check("1e6/kg", "iv", indication="sle", weight_kg=60, schedule="days 0,3", table=TABLE)
    assert report.verdict == "within" and report.schedule_verdict == "outside"
    run_cli(
        "check",
        "1e6/kg",
        "--route",
        "iv",
        "--indication",
        "sle",
        "--weight",
        "60",
        "--schedule",
        "days 0,3",
        "--table-only",
        "--table",
        FIXTURE,
        expect=1,
    )


def test_more_doses_than_reported_is_outside() -> None:
    # Ryoncil: 8 doses; 12 is more than any report
    report = check(
        "2e6/kg",
        "iv",
        indication="sr-agvhd",
        weight_kg=20,
        schedule="twice weekly for 6 weeks",
        table=TABLE,
    )
    assert report.schedule_verdict == "outside"
    message = next(w.message for w in report.warnings if w.code == "MORE_DOSES_THAN_REPORTED")
    assert "gvhd-label" in message  # cites the matched row, not "the GVHD labels"


def test_a_schedule_no_matched_row_reports_is_no_data() -> None:
    report = check(
        "1e7/kg",
        "intratracheal",
        indication="bpd",
        weight_kg=0.793,
        schedule="weekly x2",
        table=TABLE,
    )
    assert report.schedule_verdict == "no_data" and report.schedule_rows == []


def test_without_a_schedule_there_is_no_schedule_verdict() -> None:
    assert check("1e8", "iv", indication="copd", table=TABLE).schedule_verdict is None


def test_the_margin_says_when_it_decides() -> None:
    # 2.3 x 10^6/kg is 15% above Ryoncil's 2 x 10^6/kg: within only with a 20% margin
    report = check("2.3e6/kg", "iv", indication="sr-agvhd", weight_kg=20, margin=0.2, table=TABLE)
    assert report.verdict == "within" and report.within_only_with_margin
    out = run_cli(
        "check",
        "2.3e6/kg",
        "--route",
        "iv",
        "--indication",
        "sr-agvhd",
        "--weight",
        "20",
        "--margin",
        "20%",
        "--table-only",
        "--table",
        FIXTURE,
    ).stdout
    assert "WITHIN ONLY WITH THE 20% MARGIN" in " ".join(out.split())
    inside = check("2e6/kg", "iv", indication="sr-agvhd", weight_kg=20, margin=0.2, table=TABLE)
    assert inside.verdict == "within" and not inside.within_only_with_margin
    # the low end widens too: 2 x 10^6 / 1.2 = 1.67 x 10^6, so 1.7 x 10^6 is in, 1.6 x 10^6 not
    low = check("1.7e6/kg", "iv", indication="sr-agvhd", weight_kg=20, margin=0.2, table=TABLE)
    assert low.verdict == "within" and low.within_only_with_margin
    lower = check("1.6e6/kg", "iv", indication="sr-agvhd", weight_kg=20, margin=0.2, table=TABLE)
    assert lower.verdict == "below"


def test_safety_first_at_80_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    # 2 x 10^9/kg is a thousandfold Ryoncil's dose: the dangers come before the chart
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    out = run_cli(
        "check",
        "2x10^9 cells/kg",
        "--route",
        "iv",
        "--indication",
        "gvhd",
        "--weight",
        "70",
        "--table-only",
        "--table",
        FIXTURE,
        expect=1,
    ).stdout
    first = "\n".join(out.splitlines()[:15])
    assert "ABOVE" in first
    dangers = [line for line in out.splitlines() if "DANGER" in line]
    assert dangers and all(line in first for line in dangers)
    assert "IV_LUNG_FIRST_PASS" in out and "intravenous MSC are first held" not in out
    assert out.count("not a prescribing device") == 1
    shown = run_cli(
        "check",
        "2x10^9 cells/kg",
        "--route",
        "iv",
        "--indication",
        "gvhd",
        "--weight",
        "70",
        "--table-only",
        "--table",
        FIXTURE,
        "--all",
        expect=1,
    ).stdout
    assert "intravenous MSC are first held" in " ".join(shown.split())


def test_a_concentration_with_its_volume_is_the_cells_given() -> None:
    # Alofisel: 120 x 10^6 cells in 24 mL (5 x 10^6/mL), checked against the bundled label
    report = check("5e6/mL", "intralesional", indication="perianal fistula", volume_ml=24)
    assert report.verdict == "within"
    assert report.reported is not None and report.reported.basis == "per_patient"


def test_a_cap_below_a_labels_minimum_is_said_and_never_inverted() -> None:
    # Stemirac: 0.5-2 x 10^8 cells, at most 3.34 x 10^6/kg; at 10 kg the cap is 3.34 x 10^7
    report = check("3e6/kg", "iv", indication="spinal cord injury", weight_kg=10)
    assert report.reported is not None
    assert report.reported.low <= report.reported.high
    assert "CAP_BELOW_LABEL_MINIMUM" in {w.code for w in report.warnings}


def test_outputs_say_what_they_rest_on(tmp_path: Path) -> None:
    import mscdose

    table = load_table(FIXTURE)
    doc = run_cli(
        "check",
        "1e8",
        "--route",
        "iv",
        "--indication",
        "copd",
        "--weight",
        "70",
        "--table-only",
        "--table",
        FIXTURE,
        "--json",
    ).json()
    assert doc["table"] == {"version": "test-1", "sha256": table.sha256}
    assert doc["mscdose"] == mscdose.__version__
    assert doc["patient"]["weight_kg"] == 70.0
    rows = tmp_path / "rows.csv"
    rows.write_text("dose,route,indication\n1e8,iv,copd\nbad,iv,copd\n", encoding="utf-8")
    out = run_cli(
        "batch", str(rows), "--table-only", "--table", FIXTURE, expect=1
    ).stdout.splitlines()
    import json

    for line in out:
        row = json.loads(line)
        assert row["table"] == {"version": "test-1", "sha256": table.sha256}
        assert row["mscdose"] == mscdose.__version__


# --- properties over the bundled table -------------------------------------------------------

BUNDLED = load_table()
INDICATIONS = sorted(set(vocab.INDICATIONS) - {"all_indications"})
ROUTES = sorted(vocab.ROUTES)


def _answerable(indication: str, route: str) -> set[str]:
    """The indications whose rows may answer a question about ``indication``."""
    return set(vocab.narrower("indication", indication)) | set(
        vocab.broader_chain("indication", indication)
    )


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(INDICATIONS),
    st.sampled_from(ROUTES),
    st.floats(min_value=1e3, max_value=1e10),
    st.sampled_from(["", "/kg"]),
)
def test_an_indication_with_no_rows_of_its_own_is_no_data(
    indication: str, route: str, value: float, basis: str
) -> None:
    own = _answerable(indication, route)
    routes = set(vocab.narrower("route", route)) | set(vocab.broader_chain("route", route))
    has_rows = any(r.indication in own and r.route in routes for r in BUNDLED.rows)
    report = check(f"{value:.3g}{basis}", route, indication=indication, weight_kg=70)
    if not has_rows:
        assert report.verdict == "no_data"
    # the verdict never rests on another indication's rows
    assert report.compared_at in ("indication_route", "indication_broader", None)
    assert all(m.indication in own for m in report.matches if m.sets_bound)


def test_ards_rows_are_compared_per_kg_of_predicted_body_weight() -> None:
    # START phase 1: up to 10 x 10^6 cells/kg PBW. A man of 170 cm who weighs 90 kg has a PBW of
    # 50 + 0.91 x (170 - 152.4) = 66.0 kg: the top dose is 6.6 x 10^8 cells, and 8 x 10^8 is above
    report = check(
        "8e8", "iv", indication="ards", weight_kg=90, height_cm=170, sex="male", table=TABLE
    )
    assert report.verdict == "above"
    assert "PREDICTED_BODY_WEIGHT" in {w.code for w in report.warnings}
    # by his actual 90 kg the top would be 9 x 10^8 and the same dose would look within
    actual = check("8e8", "iv", indication="ards", weight_kg=90, table=TABLE)
    assert actual.verdict == "within"
    assert "ACTUAL_WEIGHT_USED" in {w.code for w in actual.warnings}


def test_a_local_table_is_laid_over_the_bundled_one(tmp_path: Path) -> None:
    """--table adds local rows to the bundled ones (a row with a bundled id replaces it, and
    every local row says so); --table-only uses the local table alone."""
    bundled = load_table()
    local = tmp_path / "clinic.yaml"
    local.write_text(Path(FIXTURE).read_text(encoding="utf-8"), encoding="utf-8")
    laid = run_cli("studies", "--json", "--table", str(local)).json()["studies"]
    ids = [s["id"] for s in laid]
    assert len(ids) == len(bundled.rows) + len(TABLE.rows)  # the fixture's ids are its own
    assert {s["id"] for s in laid if s["local"]} == {r.id for r in TABLE.rows}
    alone = run_cli("studies", "--json", "--table-only", "--table", str(local)).json()["studies"]
    assert [s["id"] for s in alone] == [r.id for r in TABLE.rows]
    # a local row with a bundled id replaces the bundled row
    first = bundled.rows[0].id
    local.write_text(
        Path(FIXTURE).read_text(encoding="utf-8").replace("id: copd-trial", f"id: {first}"),
        encoding="utf-8",
    )
    laid = run_cli("studies", "--json", "--table", str(local)).json()["studies"]
    mine = [s for s in laid if s["id"] == first]
    assert len(mine) == 1 and mine[0]["local"] and mine[0]["indication"] == "copd"


def test_per_cm2_rows_are_compared_with_the_cells_given_for_an_area() -> None:
    # Cartistem: 2.5 × 10⁶ cells per cm² of defect; a 4 cm² defect takes 1 × 10⁷ cells
    report = check("1e7", "intra-articular", indication="cartilage defect", area_cm2=4)
    assert report.verdict == "within"
    assert "cartistem-label-cartilage-defect" in {m.id for m in report.matches if m.sets_bound}
    # without the area the per-cm² rows cannot be compared, and say what to give
    bare = check("1e7", "intra-articular", indication="cartilage defect")
    notes = {m.note for m in bare.matches if m.relation == "not_comparable"}
    assert any(note and "--area" in note for note in notes)
    # and a per-cm² proposal meets flat rows through the area too: 2.5 × 10⁶/cm² × 4 cm²
    per_area = check("2.5e6/cm2", "intra-articular", indication="cartilage defect", area_cm2=4)
    assert per_area.verdict == "within"


def test_a_weight_band_may_switch_from_per_kg_to_a_flat_dose() -> None:
    # 2 × 10⁶/kg up to 50 kg: a 20 kg child gets 4 × 10⁷ cells; above 50 kg, 1 × 10⁸ flat
    assert (
        check("4e7", "iv", indication="aplastic anemia", weight_kg=20, table=TABLE).verdict
        == "within"
    )
    assert (
        check("1e8", "iv", indication="aplastic anemia", weight_kg=20, table=TABLE).verdict
        == "above"
    )  # the adult's flat dose is 2.5 × the child's band
    assert (
        check("1e8", "iv", indication="aplastic anemia", weight_kg=70, table=TABLE).verdict
        == "within"
    )
    assert (
        check("2e6/kg", "iv", indication="aplastic anemia", weight_kg=70, table=TABLE).verdict
        == "above"
    )  # 1.4 × 10⁸ cells against the flat 1 × 10⁸
