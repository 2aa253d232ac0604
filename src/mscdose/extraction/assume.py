"""The likely reading of a refused dose, taken on purpose (``--assume``): the strict grammar
refuses what can be read two ways; a person who has checked the source may accept the reading
``extract`` offers, and every output then says it was assumed."""

from __future__ import annotations

from mscdose.errors import DoseSyntaxError
from mscdose.extraction.scan import extract
from mscdose.models import Dose
from mscdose.text.display import format_dose


def assume(text: str) -> tuple[Dose, str]:
    """The one reading ``extract`` offers for the whole of ``text``, and why it was needed;
    a DoseSyntaxError when there is none or more than one.

    >>> dose, why = assume("2 × 106/kg")
    >>> dose.low, dose.basis
    (2000000.0, 'per_kg')
    >>> why
    "assumed '2 × 106/kg' is 2 × 10⁶ cells/kg (lost superscript: 106 read as 10^6)"
    """
    found = extract(text).doses
    if len(found) != 1 or found[0].text.strip() != text.strip():
        raise DoseSyntaxError(
            f"'{text}' has no single likely reading to assume",
            given=text,
            hint="write the dose plainly, e.g. 2x10^6/kg",
        )
    d = found[0]
    dose = Dose.model_construct(low=d.low, high=d.high, basis=d.basis, cells=d.cells)
    what = format_dose(d.low, d.high, d.basis, d.cells)
    return dose, f"assumed '{text}' is {what} ({d.reason or 'read as written'})"
