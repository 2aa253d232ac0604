"""The reference table holds the fact base's numbers.

Every expected number below is typed from msc-dose-facts.md (not read from the YAML), so a
slip in regimens.yaml shows up here. The table is read with yaml.safe_load and the dose grammar
only: these tests do not depend on mscdose.table.load.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from mscdose.models import Dose, Range
from mscdose.table.row import Study
from mscdose.text import vocab
from mscdose.text.grammar import parse_dose

TABLE = Path(__file__).resolve().parent.parent / "regimens.yaml"


def _interval(value: Any) -> Range:
    if isinstance(value, str):
        low, _, high = value.partition("-")
        return Range(low=float(low), high=float(high or low))
    return Range.point(float(value))


def _study(raw: dict[str, Any]) -> Study:
    row = dict(raw)
    row["dose"] = parse_dose(row["dose"])
    row["levels"] = [parse_dose(level) for level in row.get("levels", [])]
    row["bands"] = [{**band, "dose": parse_dose(band["dose"])} for band in row.get("bands", [])]
    for cap in ("cap_per_kg", "cap_total"):
        if cap in row:
            row[cap] = float(row[cap])
    schedule = row.get("schedule")
    if isinstance(schedule, dict) and schedule.get("interval_days") is not None:
        row["schedule"] = {**schedule, "interval_days": _interval(schedule["interval_days"])}
    return Study(**row)


@lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    with TABLE.open(encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    assert isinstance(data, dict)
    return data


@lru_cache(maxsize=1)
def rows() -> tuple[Study, ...]:
    return tuple(_study(raw) for raw in _document()["regimens"])


def _rows(provenance: str, route: str | None = None, basis: str | None = None) -> list[Study]:
    return [
        r
        for r in rows()
        if r.provenance == provenance
        and (route is None or r.route == route)
        and (basis is None or r.dose.basis == basis)
    ]


def _span(found: list[Study]) -> tuple[float, float]:
    doses: list[Dose] = [d for r in found for d in (r.dose, *r.levels)]
    return min(d.low for d in doses), max(d.high for d in doses)


# (fact code, route, low, high, basis): the dose per administration in msc-dose-facts.md 1a-1f
DOSE_FACTS = [
    ("D02", "intraosseous", 4.5e3, 4.5e3, "per_patient"),  # femoral head, progenitor count
    ("D03", "intramuscular", 8.6e8, 8.6e8, "per_patient"),  # diabetic limb
    ("D04", "transendocardial", 2e7, 2e8, "per_patient"),  # POSEIDON 20/100/200 M
    ("D05", "intralesional", 1.2e8, 1.2e8, "per_patient"),  # ADMIRE-CD
    ("D06", "intra_articular", 1e8, 1e8, "per_patient"),  # Jo 2014 knee OA
    ("D07", "intramyocardial", 1e8, 1e8, "per_patient"),  # ischaemic cardiomyopathy
    ("D08", "intravenous", 1e6, 1e7, "per_kg"),  # usual IV range
    ("D09", "intravenous", 1e7, 1e7, "per_kg"),  # co-transplant, highest IV
    ("D10", "intravenous", 3e4, 1.53e6, "per_kg"),  # Ning 2008: 0.3-15.3x10^5/kg
    ("D11", "intravenous", 2e6, 8e6, "per_kg"),  # Kebriaei 2009; Prasad 2011
    ("D12", "intravenous", 5e6, 5e6, "per_kg"),
    ("D13", "intravenous", 2e6, 2e6, "per_kg"),  # Osiris phase 3
    ("D14", "intrathecal", 1e7, 1.5e7, "per_patient"),  # CP twins (1.0-1.5)x10^7
    ("D17", "intrathecal", 2e7, 2e7, "per_patient"),
    ("D17", "intraparenchymal", 2e7, 2e7, "per_patient"),
    ("D20", "intrathecal", 6.32e7, 6.32e7, "per_patient"),  # Karussis, mean 63.2x10^6
    ("D21", "intravenous", 1.6e6, 1.6e6, "per_kg"),  # candidate Connick 2012
    ("D24", "intratracheal", 1e7, 2e7, "per_kg"),  # Chang 2014 BPD
    ("D25", "intravenous", 1e8, 1e8, "per_patient"),  # Weiss 2013 COPD
    ("D27", "intramuscular", 2e6, 2e6, "per_kg"),  # Gupta 2013 CLI
    ("D30", "intravenous", 5e5, 5e6, "per_kg"),  # Hare 2009 0.5/1.6/5
    ("D33", "intravenous", 3e7, 5e7, "per_patient"),  # Kharaziha, peripheral vein
    ("D33", "portal_vein", 3e7, 5e7, "per_patient"),  # ... or portal vein
    ("D34", "hepatic_artery", 1e8, 1e8, "per_patient"),  # Peng 2011
    ("D35", "intravenous", 5e5, 5e5, "per_kg"),  # Shi 2012 HBV-ACLF
    ("D36", "hepatic_artery", 3e7, 3e7, "per_patient"),  # Chengdu 2015
    ("D37", "intravenous", 1e6, 5e6, "per_kg"),  # Lazarus 2005
    ("D40", "intravenous", 4e5, 9e6, "per_kg"),  # Le Blanc 2008, range 0.4-9
    ("D41", "intravenous", 2e6, 2e6, "per_kg"),  # Kurtzberg 2014
    ("D43", "intravenous", 2e6, 2e6, "per_kg"),  # Forbes 2014
    ("D44", "intravenous", 1e6, 1e6, "per_kg"),  # Sun 2010 SLE
    ("D45", "intravenous", 4e7, 4e7, "per_patient"),  # Wang L 2013 RA
    ("D46", "intravenous", 2.1e6, 3.6e6, "per_kg"),  # Carlsson 2015 T1D
    ("D47", "intravenous", 1e6, 1e6, "per_kg"),  # Reinders 2013 (abstract; source says 1-2)
    ("D48", "intravenous", 1e6, 2e6, "per_kg"),  # Tan 2012
    ("D49", "intravenous", 2e6, 6e6, "per_kg"),  # aplastic anaemia case
    ("D50", "intrauterine", 1e7, 1e7, "per_patient"),  # Cao 2018
]

LABELS = [
    ("Ryoncil label", "intravenous", 2e6, 2e6, "per_kg"),
    ("Prochymal label", "intravenous", 2e6, 2e6, "per_kg"),
    ("Temcell label", "intravenous", 2e6, 2e6, "per_kg"),
    ("Alofisel label", "intralesional", 1.2e8, 1.2e8, "per_patient"),
    # the 2026-12 audit: the phase IV study run at the DCGI's direction gave 2 × 10⁶/kg (the fact
    # base's 200-400 M came from one review table; 150/200 M is the bag), and the approved knee
    # product is one 25 M injection (25/50/75/150 M were the phase II arms)
    ("Stempeucel label", "intramuscular", 2e6, 2e6, "per_kg"),
    ("Stempeucel label", "intra_articular", 2.5e7, 2.5e7, "per_patient"),
    ("Cartistem label", "intra_articular", 2.5e6, 2.5e6, "per_cm2"),
    ("Cupistem label", "intralesional", 3e7, 6e7, "per_patient"),  # by fistula diameter
    ("Cupistem label", "intralesional", 1e7, 1e7, "per_cm2"),  # alternative statement
    ("Cellgram-AMI label", "intracoronary", 5e7, 9e7, "per_patient"),
    ("NeuroNata-R label", "intrathecal", 1e6, 1e6, "per_kg"),  # Pharmaceuticals 2023
    ("NeuroNata-R label", "intrathecal", 4e7, 4e7, "per_patient"),  # PMC12371117
    ("Stemirac label", "intravenous", 5e7, 2e8, "per_patient"),
]

# section 3b: typical per-administration dose by route (route, low, high, basis)
ROUTE_RANGES = [
    ("intravenous", 5e5, 2e6, "per_kg"),
    ("intravenous", 3e7, 1e8, "per_patient"),
    ("intrathecal", 1e7, 6e7, "per_patient"),
    ("intra_articular", 1e7, 1e8, "per_patient"),
    ("intramuscular", 2e6, 2e6, "per_kg"),
    ("intramuscular", 1e8, 3e8, "per_patient"),
    ("intracoronary", 3e6, 9e7, "per_patient"),
    ("intramyocardial", 2e7, 2e8, "per_patient"),
    ("intralesional", 2e7, 1.2e8, "per_patient"),
    ("intratracheal", 1e7, 2e7, "per_kg"),
    ("hepatic_artery", 1e8, 1e8, "per_patient"),
    ("hepatic_artery", 2.5e6, 7.5e6, "per_kg"),
    ("intraparenchymal", 2.5e6, 4e7, "per_patient"),
    ("intradiscal", 6e6, 1.8e7, "per_patient"),
    ("intrauterine", 1e7, 2e7, "per_patient"),
    ("subcutaneous", 2.5e7, 5e7, "per_patient"),
    ("intraosseous", 1e8, 1e8, "per_patient"),
]

UNCONFIRMED = {
    "D01",
    "D02",
    "D03",
    "D07",
    "D09",
    "D12",
    "D15",
    "D16",
    "D17",
    "D21",
    "D26",
    "D36",
    "D38",
    "D42",
    "D49",
    "D51",
}
PROBABLE = {"D04", "D06", "D14", "D37", "D41", "D44"}

# Every identifier msc-dose-facts.md gives; the table may cite no other (never invent one).
KNOWN_IDS = {
    "pmid": {
        "31417542",
        "30497166",
        "21216483",
        "29699386",
        "24642016",
        "23978163",
        "30992220",
        "33876883",
        "26162993",
        "23872668",
        "23941289",
        "25204974",
        "23349326",
        "37765141",
        "31804767",
        "28838459",
        "24390934",
        "28713639",
    },
    "pmcid": {
        "PMC3102237",
        "PMC8110410",
        "PMC8900359",
        "PMC12371117",
        "PMC10536665",
        "PMC7223321",
        "PMC6954709",
        "PMC7669782",
        "PMC6678920",
        "PMC3700384",
        "PMC12362920",
    },
    "doi": {
        "10.3389/fimmu.2019.01645",
        "10.1016/j.diabres.2010.12.010",
        "10.1002/stem.1634",
        "10.1186/s13287-021-02304-x",
        "10.1016/j.bbmt.2010.04.014",
        "10.1016/j.jcyt.2014.09.010",
        "10.1161/STROKEAHA.116.012995",
        "10.1001/archneurol.2010.248",
        "10.1186/scrt516",
        "10.1186/1479-5876-11-196",
        "10.1378/chest.12-2094",
        "10.1186/1479-5876-11-143",
        "10.3346/jkms.2014.29.1.23",
        "10.1016/j.jacc.2009.06.055",
        "10.1186/s12916-015-0399-z",
        "10.1097/MEG.0b013e32832a1f6c",
        "10.1016/j.bbmt.2013.11.001",
        "10.1016/j.cgh.2013.06.021",
        "10.1186/ar4520",
        "10.1089/scd.2013.0023",
        "10.5966/sctm.2012-0114",
        "10.1186/s13287-018-0904-3",
        "10.1002/sctm.19-0202",
        "10.1186/s13287-020-01592-z",
        "10.3389/fcell.2022.867426",
        "10.1002/stem.1111",
        "10.1186/s13287-023-03582-3",
        "10.1371/journal.pone.0047559",
        "10.1080/14653240600855905",
        "10.1093/stcltm/szab005",
        "10.1007/s12015-021-10231-w",
        "10.1186/s13287-021-02513-4",
    },
    "nct": {
        "NCT01643655",
        "NCT00136903",
        "NCT00366145",
        "NCT00956891",
        "NCT01218464",
        "NCT02313415",
        "NCT02336230",
        "NCT00826046",
        "NCT05854615",
        "NCT01484574",
        "NCT01011244",
        "NCT01363401",
        "NCT01609283",
        "NCT03683953",
        "NCT01854125",
        "NCT06752720",
        "NCT06503471",
    },
}


def test_table_header() -> None:
    header = _document()["table"]
    assert set(header) == {"version", "date", "description"}
    assert re.fullmatch(r"\d{4}\.\d+\.\d+", header["version"])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(header["date"]))


@pytest.mark.parametrize(
    ("code", "route", "low", "high", "basis"),
    DOSE_FACTS,
    ids=[f"{f[0]}-{f[1]}" for f in DOSE_FACTS],
)
def test_fact_dose_is_in_the_table(
    code: str, route: str, low: float, high: float, basis: str
) -> None:
    found = _rows(code, route, basis)
    assert found, f"no {basis} {route} row with provenance {code}"
    got = _span(found)
    assert math.isclose(got[0], low, rel_tol=1e-9) and math.isclose(got[1], high, rel_tol=1e-9), (
        code,
        got,
    )


def test_d01_ends_are_the_extreme_local_doses() -> None:
    """D01: 'about 4,000 to over 1x10^8 cells per patient'; its ends are D02 and D03."""
    flat = [r for r in rows() if r.dose.basis == "per_patient"]
    lowest = min(flat, key=lambda r: r.dose.low)
    assert lowest.provenance == "D02" and lowest.dose.low == 4.5e3
    assert max(r.dose.high for r in flat) >= 1e8


def test_bpd_arms_are_kept_apart() -> None:
    arms = {r.dose.low: r for r in _rows("D24") if r.id.startswith("chang-2014")}
    assert set(arms) == {1e7, 2e7}
    assert (arms[1e7].n, arms[2e7].n) == (3, 6)
    for row in _rows("D24"):
        assert (row.population, row.route, row.source) == ("preterm", "intratracheal", "cord_blood")


@pytest.mark.parametrize(
    ("code", "doses", "low", "high"),
    [
        ("D11", 2, 3, 3),  # Kebriaei: days 1 and 4
        ("D13", 8, 3, 4),  # twice weekly x4 weeks
        ("D14", 4, 3, 5),  # 4 injections 3-5 days apart
        ("D25", 4, 28, 31),  # monthly x4
        ("D35", 3, 28, 28),  # every 4 weeks x3
        ("D43", 4, 7, 7),  # weekly x4
        ("D47", 2, 7, 7),  # 2 infusions 7 days apart
        ("D49", 2, 21, 21),  # second dose 3 weeks later
        ("Ryoncil label", 8, 3, 4),
        ("Temcell label", 8, 3, 4),
    ],
)
def test_schedules(code: str, doses: int, low: float, high: float) -> None:
    found = [r for r in _rows(code) if r.schedule and r.schedule.interval_days]
    assert found, code
    schedule = found[0].schedule
    assert schedule is not None and schedule.interval_days is not None
    assert schedule.doses == doses
    assert (schedule.interval_days.low, schedule.interval_days.high) == (low, high)


def test_disputed_interval_is_left_open() -> None:
    """D48: 2 weeks is recalled, 1 week implied by the source; neither is asserted."""
    (row,) = _rows("D48")
    assert row.schedule is not None and row.schedule.interval_days is None


@pytest.mark.parametrize(
    ("product", "route", "low", "high", "basis"), LABELS, ids=[f"{p[0]}-{p[4]}" for p in LABELS]
)
def test_label_products(product: str, route: str, low: float, high: float, basis: str) -> None:
    found = [r for r in _rows(product, route, basis) if r.evidence == "label"]
    assert found, f"{product}: no {basis} {route} label row"
    assert _span(found) == (low, high)


def test_label_details() -> None:
    (cellgram,) = _rows("Cellgram-AMI label")
    bands = [(b.above_kg, b.up_to_kg, b.dose.low) for b in cellgram.bands]
    assert bands == [(None, 60, 5e7), (60, 80, 7e7), (80, None, 9e7)]
    (stemirac,) = _rows("Stemirac label")
    assert stemirac.cap_per_kg == 3.34e6
    (ryoncil,) = _rows("Ryoncil label")
    assert ryoncil.population == "pediatric" and ryoncil.citation.nct == "NCT02336230"
    # the Korean label (MFDS) was read in 2026-12: 1 × 10⁶/kg confirmed; the syringe's 4 × 10⁷
    # is its content, not a dose, so that row sets no bound
    confidence = {r.id: r.confidence for r in _rows("NeuroNata-R label")}
    assert confidence == {
        "neuronata-r-label-per-kg": "confirmed",
        "neuronata-r-label-flat": "unconfirmed",
    }
    assert len(_rows("NeuroNata-R label")) == 2


def test_every_section_2_product_is_present_and_exclusions_are_absent() -> None:
    labelled = {r.provenance for r in rows() if r.evidence == "label"}
    assert labelled >= {
        "Ryoncil label",
        "Prochymal label",
        "Temcell label",
        "Alofisel label",
        "Stempeucel label",
        "Cartistem label",
        "Cupistem label",
        "Cellgram-AMI label",
        "NeuroNata-R label",
        "Stemirac label",
    }
    text = " ".join(f"{r.id} {r.provenance}" for r in rows()).lower()
    assert "queencell" not in text and "ossgrow" not in text


def test_kabat_2020() -> None:
    kabat = [r for r in rows() if r.id.startswith("kabat-2020")]
    spans = sorted((r.dose.low, r.dose.high) for r in kabat)
    assert spans == [(7e7, 1.9e8), (1e8, 1e8), (1e8, 1.5e8)]
    for row in kabat:
        assert (row.route, row.indication, row.evidence) == (
            "intravenous",
            "all_indications",
            "review",
        )
        assert row.citation.pmid == "31804767" and row.citation.doi == "10.1002/sctm.19-0202"


@pytest.mark.parametrize(
    ("route", "low", "high", "basis"), ROUTE_RANGES, ids=[f"{r[0]}-{r[3]}" for r in ROUTE_RANGES]
)
def test_route_typical_ranges(route: str, low: float, high: float, basis: str) -> None:
    found = [
        r
        for r in rows()
        if r.provenance.startswith("section 3b") and r.route == route and r.dose.basis == basis
    ]
    assert [(r.dose.low, r.dose.high) for r in found] == [(low, high)]
    assert found[0].evidence == "review" and found[0].indication == "all_indications"


def test_disagreements_with_the_source_are_commented() -> None:
    """msc-dose-facts.md 1h lists 8 places where the source article and the literature differ."""
    text = TABLE.read_text(encoding="utf-8")
    for number in range(1, 9):
        assert f"# DISAGREEMENT {number} " in text, number


def test_every_row_has_a_citation_with_authors() -> None:
    for row in rows():
        assert row.citation.authors.strip(), row.id


def test_ids_are_unique_and_well_formed() -> None:
    ids = Counter(r.id for r in rows())
    assert not [i for i, n in ids.items() if n > 1]
    for row_id in ids:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", row_id), row_id


def test_unconfirmed_facts_are_marked_unconfirmed() -> None:
    # the fact base's grade holds until a row is read again from a primary page, a registry
    # record or a label (seen_in): the 2026-12 audit re-graded rows on what it read
    for row in rows():
        if row.seen_in is not None and row.seen_in.kind != "review":
            continue
        if row.provenance in UNCONFIRMED:
            assert row.confidence == "unconfirmed", row.id
        if row.provenance in PROBABLE:
            assert row.confidence != "confirmed", row.id


def test_only_known_identifiers_are_cited() -> None:
    """Rows of the fact base cite only identifiers the fact base gives; rows read from a page
    since (seen_in) cite what that page showed, and say which page it was."""
    for row in rows():
        if row.seen_in is not None:
            assert row.quote, row.id
            continue
        for field, known in KNOWN_IDS.items():
            value = getattr(row.citation, field)
            assert value is None or value in known, (row.id, field, value)


def test_names_are_canonical_and_consistent() -> None:
    for row in rows():
        assert row.route in vocab.ROUTES, row.id
        assert row.indication in vocab.INDICATIONS, row.id
        assert row.source in vocab.SOURCES, row.id
        assert row.population in vocab.POPULATIONS, row.id
        assert row.category == vocab.INDICATIONS[row.indication].category, row.id
        bases = vocab.ROUTES[row.route].bases
        for dose in (row.dose, *row.levels, *(b.dose for b in row.bands)):
            assert dose.basis in bases, (row.id, dose.basis)
            assert row.dose.low <= dose.low and dose.high <= row.dose.high, row.id


def test_provenance_is_a_fact_code_a_label_or_a_section() -> None:
    for row in rows():
        if row.seen_in is not None:  # read from a page since: provenance names the study
            continue
        code = re.fullmatch(r"D(\d\d)", row.provenance)
        assert (
            (code and 1 <= int(code.group(1)) <= 53)
            or row.provenance.startswith(("section 3", "NeuroNata-R phase 2"))
            or row.provenance.endswith(" label")
        ), row.id
