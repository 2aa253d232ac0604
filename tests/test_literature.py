"""The bundled table against the literature it was read from.

- Every row's quote reads, with ``extract``, as the row's dose (or each level, or each weight
  band's dose); a quote that needs a repair says so, and a dose that is arithmetic on its
  quote says how (``derived``).
- Checks written by the curators from the sources (tests/data/literature_cases.yaml): a
  trial's own dose is within its indication's range; tenfold the highest report is above.
  The expected verdict comes from the source, never from the table.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mscdose import check, load_table
from mscdose.extraction.quotes import quote_problem

TABLE = load_table()
CASES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "data" / "literature_cases.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("row", TABLE.rows, ids=lambda r: r.id)
def test_every_row_reads_as_its_quote(row: Any) -> None:
    assert quote_problem(row) is None, quote_problem(row)


def test_every_row_says_where_it_was_read() -> None:
    missing = [r.id for r in TABLE.rows if r.seen_in is None or not r.quote]
    assert not missing
    # a dose seen only in a review table is probable at best
    over = [
        r.id
        for r in TABLE.rows
        if r.seen_in is not None and r.seen_in.kind == "review" and r.confidence == "confirmed"
    ]
    assert not over


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c['indication']}-{c['dose']}")
def test_checks_from_the_literature(case: dict[str, Any]) -> None:
    report = check(
        case["dose"], case["route"], indication=case["indication"], weight_kg=case.get("weight_kg")
    )
    assert report.verdict == case["expect"], case["why"]


def test_the_table_covers_the_field() -> None:
    indications = {r.indication for r in TABLE.rows} - {"all_indications"}
    assert len(TABLE.rows) >= 250
    assert len(indications) >= 60
    labels = {r.id for r in TABLE.rows if r.evidence == "label"}
    assert len(labels) >= 10
