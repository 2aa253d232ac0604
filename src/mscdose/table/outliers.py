"""The outlier scan of :mod:`mscdose.table.lint`, in O(n log n) rather than O(n²).

The lint compares every row with every other row of its route, basis and cell count: 4,000
rows took 51 s to validate (issue 16.10). The same answer comes from sorted bounds: a row is
an outlier only when no peer overlaps it, and then its nearest peer is the one with the
highest top below it or the lowest bottom above it (ties: the first in table order, as the
lint's ``min`` gives). A property test holds the two equal.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from typing import TYPE_CHECKING

from mscdose.table.lint import OUTLIER_FOLD, Outlier

if TYPE_CHECKING:
    from mscdose.table.load import Table
    from mscdose.table.row import Study


def outliers(table: Table) -> list[Outlier]:
    """Each confirmed or probable row whose dose is ≥100-fold from every peer's, in table order
    (what :func:`mscdose.table.lint.outliers` finds).

    >>> from mscdose.table.load import load_table
    >>> outliers(load_table())   # the bundled table has none
    []
    """
    groups: dict[tuple[object, ...], list[tuple[int, Study]]] = defaultdict(list)
    for i, row in enumerate(table.rows):
        if row.confidence != "unconfirmed":
            groups[(row.route, row.dose.basis, row.dose.cells)].append((i, row))
    found: list[tuple[int, Outlier]] = []
    for members in groups.values():
        found.extend(_group(members))
    return [outlier for _, outlier in sorted(found, key=lambda pair: pair[0])]


def _group(members: list[tuple[int, Study]]) -> list[tuple[int, Outlier]]:
    if len(members) < 2:
        return []
    # by top, the first in table order last among equal tops; by bottom, first in table order
    by_high = sorted(members, key=lambda m: (m[1].dose.high, -m[0]))
    by_low = sorted(members, key=lambda m: (m[1].dose.low, m[0]))
    highs = [m[1].dose.high for m in by_high]
    lows = [m[1].dose.low for m in by_low]
    found = []
    for i, row in members:
        below = bisect_left(highs, row.dose.low)  # peers wholly below the row
        above = len(lows) - bisect_right(lows, row.dose.high)  # peers wholly above it
        if below + above < len(members) - 1:
            continue  # some peer overlaps: fold 1.0
        choices = []
        if below:
            j, peer = by_high[below - 1]
            choices.append((row.dose.low / peer.dose.high, j, "above", peer))
        if above:
            j, peer = by_low[len(lows) - above]
            choices.append((peer.dose.low / row.dose.high, j, "below", peer))
        fold, _, side, nearest = min(choices, key=lambda c: (c[0], c[1]))
        if fold >= OUTLIER_FOLD:
            found.append((i, Outlier(row, fold, side, nearest)))
    return found
