"""Typed values that flow between the modules (frozen pydantic models; no extra fields).

The values the library computes (doses, patients, conversions, check reports, schedules, regimen
plans, extractions) are built with ``model_construct``: their fields come from typed code (mypy
checks each call through pydantic's plugin), and skipping validation keeps pydantic's first
validator build, with the plugin scan it runs (~15 ms), off the start-up of every command that
computes. What comes from outside (the table, models users build) is validated.
tests/test_models.py holds the constructed results equal to validated ones.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Basis = Literal["per_kg", "per_patient", "per_m2", "per_cm2", "per_ml"]
CellKind = Literal["total", "viable"]
Population = Literal["adult", "pediatric", "neonate", "preterm", "mixed"]

SCHEMA_VERSION: Literal[1] = 1


class Frozen(BaseModel):
    # defer_build: a model's validator is built on first use, so start-up pays only for what it uses
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


def json_ready(value: Any) -> Any:
    """What ``model_dump(mode="json")`` gives, read from the fields themselves: a command prints
    one result, and building pydantic's serializer for it costs ~15 ms of start-up."""
    if isinstance(value, BaseModel):
        return {name: json_ready(getattr(value, name)) for name in type(value).model_fields}
    if isinstance(value, (list, tuple)):
        return [json_ready(v) for v in value]
    if isinstance(value, dict):
        return {k: json_ready(v) for k, v in value.items()}
    if isinstance(value, date):
        return value.isoformat()
    return value


class Range(Frozen):
    """A closed interval; ``low == high`` for a single value."""

    low: float
    high: float

    @classmethod
    def point(cls, value: float) -> Range:
        return cls.model_construct(low=value, high=value)

    def scaled(self, factor: float) -> Range:
        return Range.model_construct(low=self.low * factor, high=self.high * factor)

    def divided(self, divisor: float) -> Range:
        """Each end divided (not scaled by 1/divisor, which rounds twice)."""
        return Range.model_construct(low=self.low / divisor, high=self.high / divisor)

    @property
    def is_point(self) -> bool:
        return self.low == self.high


class Dose(Frozen):
    """A dose per administration: a number or range of cells on a basis.

    >>> Dose(low=2e6, high=2e6, basis="per_kg").high
    2000000.0
    """

    low: float
    high: float
    basis: Basis = "per_patient"
    cells: CellKind = "total"

    @property
    def range(self) -> Range:
        return Range.model_construct(low=self.low, high=self.high)


class Patient(Frozen):
    weight_kg: float | None = None
    height_cm: float | None = None
    bsa_m2: float | None = None
    age_years: float | None = None
    population: Population | None = None


class Conversion(Frozen):
    """A dose expressed on every basis the patient's data allows, with the arithmetic."""

    schema_version: Literal[1] = SCHEMA_VERSION
    input: str
    dose: Dose
    display: str
    patient: Patient
    per_patient: Range | None
    per_kg: Range | None
    per_m2: Range | None
    viable_per_patient: Range | None
    total_per_patient: Range | None = None
    viability: float | None = None
    volume_ml: float | None = None
    volume_ml_per_kg: float | None = None
    dmso_g: float | None = None
    dmso_g_per_kg: float | None = None
    area_cm2: float | None = None
    steps: list[str]
    vials: Vials | None = None
    rate_ml_per_min: float | None = None
    infusion_min: float | None = None
    # the UCUM code of each quantity given, for a FHIR Quantity ({cells} is an annotation)
    ucum: dict[str, str] | None = None
    assumed: str | None = None  # the likely reading of a refused dose, taken with --assume


class Vial(Frozen):
    """One vial or bag as its label gives it."""

    cells: float
    kind: CellKind = "total"
    volume_ml: float | None = None


class Count(Frozen):
    """Whole things (vials) for the low and the high end of a dose."""

    low: int
    high: int


class Vials(Frozen):
    """The vials one administration opens. The dose is not rounded to them: what the opened
    vials hold beyond it is ``left_over``."""

    vial: Vial
    count: Count
    opened: Range
    left_over: Range
    draw_ml: Range | None = None  # the volume drawn from the vials for the dose
