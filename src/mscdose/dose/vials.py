"""Vials and bags: how many to open for one administration, what is left over and the volume
to draw from them.

The dose is never rounded to whole vials (field notes: silent rounding to vials is a complaint
about dose checkers): the count is rounded up and the cells left over are reported.

>>> v = vials_for(Range(low=4e7, high=4e7), vial_contents(Dose(low=6.68e6, high=6.68e6,
...     basis="per_ml"), 3.8))   # Ryoncil: 2 × 10⁶/kg for a 20 kg child
>>> v.count.high, round(v.left_over.high), round(v.draw_ml.high, 2)
(2, 10768000, 5.99)
"""

from __future__ import annotations

import math

from mscdose.errors import InputError
from mscdose.models import Count, Dose, Range, Vial, Vials
from mscdose.text.grammar import MAX_CELLS

# A dose that fills whole vials exactly (1.2 × 10⁸ from vials of 3 × 10⁷) may divide to a hair
# above the whole number in floats; that hair must not open one more vial.
_WHOLE = 1e-9


def vial_contents(dose: Dose, volume_ml: float | None = None) -> Vial:
    """One vial or bag from what its label says: a count of cells (``2.5e7 cells``, with its
    volume if known) or a concentration (``6.68e6 cells/mL``) with its volume.

    >>> vial_contents(Dose(low=6.68e6, high=6.68e6, basis="per_ml"), 3.8).cells
    25384000.0
    """
    example = "--vial '2.5e7 cells', or --vial '6.68e6 cells/mL' --vial-volume '3.8 mL'"
    if dose.low != dose.high:
        raise InputError(
            "a vial holds one number of cells, not a range",
            hint=f"write the labelled content, e.g. {example}",
        )
    if dose.basis not in ("per_ml", "per_patient"):
        raise InputError(
            "a vial holds a number of cells, not a dose per kg, m² or cm²", hint=f"e.g. {example}"
        )
    if dose.basis == "per_ml" and volume_ml is None:
        raise InputError("a vial given as a concentration needs its volume", hint=f"e.g. {example}")
    cells = dose.low * volume_ml if dose.basis == "per_ml" and volume_ml is not None else dose.low
    if not 1 <= cells <= MAX_CELLS:  # 1e308 mL of product, or a fraction of a cell
        raise InputError(
            f"a vial of {cells:.3g} cells is not a product",
            given=str(volume_ml),
            hint="check the concentration and the volume, e.g. 6.68e6 cells/mL and 3.8 mL",
        )
    return Vial.model_construct(
        cells=cells, kind=dose.cells, volume_ml=None if volume_ml is None else float(volume_ml)
    )


def whole_vials(cells: float, per_vial: float) -> int:
    """The fewest vials that hold ``cells``.

    >>> whole_vials(1.2e8, 3e7), whole_vials(1.2e8 + 1, 3e7), whole_vials(4e7, 2.5384e7)
    (4, 5, 2)
    """
    share = cells / per_vial
    count = math.ceil(share)
    return count - 1 if count > 1 and count - share > 1 - _WHOLE else count


def vials_for(needed: Range, vial: Vial) -> Vials:
    """Vials to open for ``needed`` cells (counted as the vial counts them: total or viable) at
    each end of the dose."""
    low, high = whole_vials(needed.low, vial.cells), whole_vials(needed.high, vial.cells)
    opened = Range.model_construct(low=low * vial.cells, high=high * vial.cells)
    # a count that fills vials exactly leaves nothing over, not a rounding error's -0.0001
    left = Range.model_construct(
        low=max(opened.low - needed.low, 0.0), high=max(opened.high - needed.high, 0.0)
    )
    draw = None if vial.volume_ml is None else needed.scaled(vial.volume_ml / vial.cells)
    return Vials.model_construct(
        vial=vial,
        count=Count.model_construct(low=low, high=high),
        opened=opened,
        left_over=left,
        draw_ml=draw,
    )
