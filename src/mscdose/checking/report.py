"""What ``check`` reports: the verdict, the rows behind it and the warnings."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mscdose.models import SCHEMA_VERSION, Dose, Frozen, Range
from mscdose.table.row import Confidence, Evidence

Verdict = Literal["within", "below", "above", "no_data"]
Level = Literal["indication_route", "indication_broader", "route", "all"]
ContextLevel = Literal["indication_route", "route", "all"]
ScheduleVerdict = Literal["within", "outside", "no_data"]
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


class Context(Frozen):
    """Other rows' doses shown beside a ``no_data`` verdict: never the verdict itself.
    ``indication_route``: the indication's rows without the filter that emptied the match;
    ``route``: other indications' rows for the route; ``all``: every route's rows."""

    level: ContextLevel
    low: float
    high: float
    basis: str
    studies: int


class TableIdentity(Frozen):
    version: str
    sha256: str


class PatientUsed(Frozen):
    """The patient data the check used (given, or derived: BSA by Mosteller, population)."""

    weight_kg: float | None = None
    height_cm: float | None = None
    bsa_m2: float | None = None
    age_years: float | None = None
    population: str | None = None


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
    local: bool = False  # from a local table laid over the bundled one


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
    # what the verdict rests on (cli-contract, 2026-12)
    context: Context | None = None
    emptied_by: str | None = None
    within_only_with_margin: bool = False
    schedule_verdict: ScheduleVerdict | None = None
    schedule_rows: list[str] = Field(default_factory=list)
    patient: PatientUsed | None = None
    table: TableIdentity | None = None
    mscdose: str | None = None
    assumed: str | None = None  # the likely reading of a refused dose, taken with --assume
