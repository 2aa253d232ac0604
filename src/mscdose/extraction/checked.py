"""Every dose found in a text, checked (``extract --check``): a methods section checked in
one command. Each dose goes through the same check as ``mscdose check``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mscdose.checking.run import check
from mscdose.extraction.model import DoseCheck, Extraction
from mscdose.models import Dose, Patient

if TYPE_CHECKING:
    from mscdose.table.index import Table


def check_found(
    extraction: Extraction,
    route: str,
    table: Table,
    *,
    indication: str | None = None,
    patient: Patient | None = None,
) -> Extraction:
    """The extraction with one check per found dose (names must already be canonical)."""
    checks = []
    for found in extraction.doses:
        dose = Dose.model_construct(
            low=found.low, high=found.high, basis=found.basis, cells=found.cells
        )
        report = check(dose, route, table, indication=indication, patient=patient)
        r = report.reported
        checks.append(
            DoseCheck.model_construct(
                text=found.text,
                verdict=report.verdict,
                compared_at=report.compared_at,
                reported_low=None if r is None else r.low,
                reported_high=None if r is None else r.high,
                basis=found.basis,
                distance_fold=report.distance_fold,
                warning_codes=[w.code for w in report.warnings],
            )
        )
    return extraction.model_copy(update={"checks": checks})
