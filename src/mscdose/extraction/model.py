"""What ``extract`` finds: each dose with where it stands in the text, and the document."""

from __future__ import annotations

from typing import Literal

from mscdose.models import SCHEMA_VERSION, Basis, CellKind, Frozen

Qualifier = Literal["about", "at_least", "at_most"]


class FoundDose(Frozen):
    """One dose found in the text; ``text == source[start:end]``."""

    text: str
    start: int
    end: int
    low: float
    high: float
    basis: Basis
    cells: CellKind
    ambiguous: bool
    reason: str | None = None
    qualifier: Qualifier | None = None
    typical: float | None = None  # a median or mean given with its range (low to high)


class DoseCheck(Frozen):
    """One found dose checked as ``mscdose check`` would (``extract --check``)."""

    text: str
    verdict: str
    compared_at: str | None
    reported_low: float | None
    reported_high: float | None
    basis: str
    distance_fold: float | None
    warning_codes: list[str]


class Extraction(Frozen):
    """Every dose found, in text order (the ``--json`` document of ``mscdose extract``)."""

    schema_version: Literal[1] = SCHEMA_VERSION
    doses: list[FoundDose]
    checks: list[DoseCheck] | None = None  # with --check: one per dose, in the same order
