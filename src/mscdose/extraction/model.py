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


class Extraction(Frozen):
    """Every dose found, in text order (the ``--json`` document of ``mscdose extract``)."""

    schema_version: Literal[1] = SCHEMA_VERSION
    doses: list[FoundDose]
