"""The table checked against its own words: each row's dose must be among what ``extract``
reads in the row's quote. A quote that reads right only after a repair (a lost superscript)
must say so (``quote_repair``); a dose that does not stand in the quote as written must say
how it follows from it (``derived``: a course total divided by its doses)."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from mscdose.extraction.scan import extract

if TYPE_CHECKING:
    from mscdose.extraction.model import FoundDose
    from mscdose.models import Dose
    from mscdose.table.row import Study


def wanted(row: Study) -> list[Dose]:
    """The doses a quote must show: each weight band's, else each level, else the dose."""
    if row.bands:
        return [band.dose for band in row.bands]
    return list(row.levels) or [row.dose]


def _matches(found: list[FoundDose], dose: Dose) -> bool:
    same = [f for f in found if f.basis == dose.basis]

    def close(a: float, b: float) -> bool:
        return math.isclose(a, b, rel_tol=1e-6)

    # a median or mean read with its range stands for the row's single dose
    typical = dose.low == dose.high and any(
        f.typical is not None and close(f.typical, dose.low) for f in same
    )
    return (
        typical
        or any(close(f.low, dose.low) and close(f.high, dose.high) for f in same)
        or (
            any(close(f.low, dose.low) for f in same)
            and any(close(f.high, dose.high) for f in same)
        )
    )


def quote_problem(row: Study) -> str | None:
    """What is wrong between a row and its quote, or None."""
    if not row.quote:
        return "no quote: give the words the dose was read from (quote) and the page (seen_in)"
    if row.seen_in is None:
        return "no seen_in: name the page the quote was read from"
    if row.derived:
        return None
    found = extract(row.quote).doses
    missing = [d for d in wanted(row) if not _matches(found, d)]
    if missing:
        read = "; ".join(f"{f.text!r}" for f in found) or "no dose"
        return (
            f"the quote does not read as the row's dose (it reads {read}); fix the dose, "
            "or say how it follows from the quote in 'derived'"
        )
    clean = [f for f in found if not f.ambiguous]
    if not row.quote_repair and not all(_matches(clean, d) for d in wanted(row)):
        reasons = "; ".join(dict.fromkeys(f.reason or "" for f in found if f.ambiguous))
        return (
            f"the quote reads as the dose only after a repair ({reasons}): say so in quote_repair"
        )
    return None
