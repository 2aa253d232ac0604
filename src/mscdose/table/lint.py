"""Rows of the reference table that stand apart from all their peers by a power of ten or more.

A dose 100-fold or more from every other row of the same route, basis and cell count is the
size of a slipped exponent: a 2025 review table printed Cellgram-AMI's 9 × 10⁷ cells as
9 × 10⁹ (field notes 3.6 and 7.6). It is a warning for whoever edits the table, not an error:
real outliers exist and are kept with a note. Unconfirmed rows are left out on both sides, as
they set no bound in ``check``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from mscdose.table.load import Table
    from mscdose.table.row import Study

OUTLIER_FOLD = 100.0


class Outlier(NamedTuple):
    row: Study
    fold: float  # how far from the nearest peer's range (≥ OUTLIER_FOLD)
    side: str  # "above" or "below" every peer
    nearest: Study


def outliers(table: Table) -> list[Outlier]:
    """Each confirmed or probable row whose dose is ≥100-fold from every peer's, in table order.

    >>> from mscdose.table.load import load_table
    >>> outliers(load_table())   # the bundled table has none
    []
    """
    rows = [s for s in table.rows if s.confidence != "unconfirmed"]
    found = []
    for row in rows:
        peers = [
            (_fold(row, peer), peer)
            for peer in rows
            if peer is not row
            and (peer.route, peer.dose.basis, peer.dose.cells)
            == (row.route, row.dose.basis, row.dose.cells)
        ]
        if not peers:
            continue
        (fold, side), nearest = min(peers, key=lambda pair: pair[0][0])
        if fold >= OUTLIER_FOLD:
            found.append(Outlier(row, fold, side, nearest))
    return found


def _fold(row: Study, peer: Study) -> tuple[float, str]:
    """How many times ``row``'s range lies above or below ``peer``'s (1.0 when they overlap)."""
    if row.dose.low > peer.dose.high:
        return row.dose.low / peer.dose.high, "above"
    if row.dose.high < peer.dose.low:
        return peer.dose.low / row.dose.high, "below"
    return 1.0, "within"
