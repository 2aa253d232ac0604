"""Typed values that flow between the modules (frozen pydantic models; no extra fields)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

Basis = Literal["per_kg", "per_patient", "per_m2", "per_cm2", "per_ml"]
CellKind = Literal["total", "viable"]
Population = Literal["adult", "pediatric", "neonate", "preterm", "mixed"]

SCHEMA_VERSION: Literal[1] = 1


class Frozen(BaseModel):
    # defer_build: a model's validator is built on first use, so start-up pays only for what it uses
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Range(Frozen):
    """A closed interval; ``low == high`` for a single value."""

    low: float
    high: float

    @classmethod
    def point(cls, value: float) -> Range:
        return cls(low=value, high=value)

    def scaled(self, factor: float) -> Range:
        return Range(low=self.low * factor, high=self.high * factor)

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
        return Range(low=self.low, high=self.high)


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
    area_cm2: float | None = None
    steps: list[str]


# --- the reference table (regimens.yaml) ------------------------------------------------------

Evidence = Literal["label", "rct", "trial", "case_series", "case_report", "review"]
Confidence = Literal["confirmed", "probable", "unconfirmed"]
Donor = Literal["autologous", "allogeneic", "mixed"]

# Strongest first: a check says which kind of evidence its range rests on.
EVIDENCE_RANK: dict[str, int] = {
    "label": 0, "rct": 1, "trial": 2, "case_series": 3, "case_report": 4, "review": 5,
}


class WeightBand(Frozen):
    """A label's weight band: ``above_kg < weight ≤ up_to_kg`` gets ``dose`` (either bound open)."""

    above_kg: float | None = None
    up_to_kg: float | None = None
    dose: Dose

    def contains(self, weight_kg: float) -> bool:
        return (self.above_kg is None or weight_kg > self.above_kg) and (
            self.up_to_kg is None or weight_kg <= self.up_to_kg)


class StudySchedule(Frozen):
    """How often a row's dose was given: ``doses`` administrations ``interval_days`` apart."""

    text: str
    doses: int | None = None
    interval_days: Range | None = None


class Citation(Frozen):
    authors: str
    year: int | None = None
    title: str | None = None
    journal: str | None = None
    pmid: str | None = None
    pmcid: str | None = None
    doi: str | None = None
    nct: str | None = None

    def __str__(self) -> str:
        parts = [self.authors]
        if self.title:
            parts.append(self.title)
        if self.journal:
            parts.append(self.journal)
        if self.year:
            parts.append(str(self.year))
        ids = [f"PMID {self.pmid}" if self.pmid else "", f"{self.pmcid}" if self.pmcid else "",
               f"doi {self.doi}" if self.doi else "", self.nct or ""]
        return ". ".join(part.rstrip(".") for part in parts) + "".join(f"; {i}" for i in ids if i)


class Study(Frozen):
    """One row of the reference table: a study arm, a label regimen or a cross-trial summary."""

    id: str
    provenance: str
    indication: str
    indication_detail: str | None = None
    category: str
    source: str
    donor: Donor | None = None
    route: str
    dose: Dose
    levels: list[Dose] = []
    bands: list[WeightBand] = []
    cap_per_kg: float | None = None
    cap_total: float | None = None
    schedule: StudySchedule | None = None
    population: Population
    n: int | None = None
    evidence: Evidence
    confidence: Confidence
    citation: Citation
    label_date: str | None = None
    outcome: str | None = None
    notes: str | None = None


# --- check results ------------------------------------------------------------------------------

Verdict = Literal["within", "below", "above", "no_data"]
Level = Literal["indication_route", "route", "all"]
Relation = Literal["within", "below", "above", "not_comparable"]
Severity = Literal["info", "caution", "danger"]


class CheckWarning(Frozen):
    code: str
    severity: Severity
    message: str
    source: str | None = None


class Proposed(Frozen):
    dose: Dose
    display: str
    per_patient: Range | None
    per_kg: Range | None
    route: str
    indication: str | None
    source: str | None
    population: str | None
    schedule: dict[str, object] | None = None


class Reported(Frozen):
    low: float
    high: float
    basis: str
    studies: int
    evidence: Evidence


class Match(Frozen):
    id: str
    indication: str
    route: str
    source: str
    dose: Dose
    compared: Range | None
    schedule: str | None
    population: str
    n: int | None
    evidence: Evidence
    confidence: Confidence
    citation: str
    relation: Relation
    sets_bound: bool
    note: str | None = None


class CheckReport(Frozen):
    schema_version: Literal[1] = SCHEMA_VERSION
    verdict: Verdict
    compared_at: Level | None
    proposed: Proposed
    reported: Reported | None
    distance_fold: float | None
    margin: float = 0.0
    matches: list[Match]
    warnings: list[CheckWarning]
    steps: list[str] = []
