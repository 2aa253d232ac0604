"""What ``check`` reports: the verdict, the rows behind it and the warnings."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mscdose.models import SCHEMA_VERSION, Dose, Frozen, Range
from mscdose.study import Confidence, Evidence

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
    steps: list[str] = Field(default_factory=list)
