"""What a warning rule sees (:class:`RuleContext`) and what it says (:class:`Finding`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

from mscdose.checking.compare import Outcome
from mscdose.checking.report import CheckWarning, Severity
from mscdose.checking.select import Proposal


@dataclass(slots=True)
class RuleContext:
    proposal: Proposal
    per_patient: tuple[float, float] | None
    per_kg: tuple[float, float] | None
    outcome: Outcome
    # the lowest and highest dose reported for this route, and for any route, in the
    # proposal's basis for its patient (selection.extremes); None when nothing converts
    route_extremes: tuple[float, float] | None
    any_route_extremes: tuple[float, float] | None
    viability: float | None = None
    donor_age: float | None = None
    schedule: object | None = None
    include_unconfirmed: bool = False
    margin: float = 0.0
    dmso_g_per_kg: float | None = None
    infusion_min: float | None = None  # the product's volume at the given rate


class Finding(NamedTuple):
    """A warning as a rule finds it: the message is a text, or a function that writes it."""

    code: str
    severity: Severity
    message: str | Callable[[], str]
    source: str

    def warning(self) -> CheckWarning:
        text = self.message if isinstance(self.message, str) else self.message()
        return CheckWarning.model_construct(
            code=self.code, severity=self.severity, message=text, source=self.source
        )


Rule = Callable[[RuleContext], Finding | None]
