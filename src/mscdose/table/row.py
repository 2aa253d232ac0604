"""The reference table's rows (``regimens.yaml``): studies, label regimens, summaries."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mscdose.models import Dose, Frozen, Population, Range

Evidence = Literal["label", "rct", "trial", "case_series", "case_report", "review"]
Confidence = Literal["confirmed", "probable", "unconfirmed"]
Donor = Literal["autologous", "allogeneic", "mixed"]

# Strongest first: a check says which kind of evidence its range rests on.
EVIDENCE_RANK: dict[str, int] = {
    "label": 0,
    "rct": 1,
    "trial": 2,
    "case_series": 3,
    "case_report": 4,
    "review": 5,
}


class WeightBand(Frozen):
    """A label's weight band: ``above_kg < weight ≤ up_to_kg`` gets ``dose`` (either bound open)."""

    above_kg: float | None = None
    up_to_kg: float | None = None
    dose: Dose

    def contains(self, weight_kg: float) -> bool:
        return (self.above_kg is None or weight_kg > self.above_kg) and (
            self.up_to_kg is None or weight_kg <= self.up_to_kg
        )


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
        ids = [
            f"PMID {self.pmid}" if self.pmid else "",
            f"{self.pmcid}" if self.pmcid else "",
            f"doi {self.doi}" if self.doi else "",
            self.nct or "",
        ]
        return ". ".join(part.rstrip(".") for part in parts) + "".join(f"; {i}" for i in ids if i)


SeenKind = Literal["primary", "registry", "label", "review"]
WeightBasis = Literal["actual", "predicted"]


class SeenIn(Frozen):
    """The page a row's dose was read from: its identifier (PMID, PMCID, NCT, DOI or URL) and
    what kind of page it is. A dose seen only in a review is ``probable``."""

    id: str
    kind: SeenKind


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
    levels: list[Dose] = Field(default_factory=list)
    bands: list[WeightBand] = Field(default_factory=list)
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
    # the words the dose was read from, where, and what disagrees (issue: cited from pages read)
    quote: str | None = None
    quote_repair: str | None = None  # a repair the quote needs to be read (a lost superscript)
    derived: str | None = None  # how the dose follows from the quote when not read as written
    seen_in: SeenIn | None = None
    conflicts: str | None = None
    weight_basis: WeightBasis = "actual"  # per kg of actual or of predicted body weight (ARDS)
    country: str | None = None  # labels: where the approval holds (ISO 3166 code)
    audit: str | None = None  # what a citation audit found about the row (source, corrections)
    local: bool = False  # laid over the bundled table from a local one (--table)

    @property
    def has_label_rules(self) -> bool:
        """Weight bands or caps: the dose for a patient is more than a change of basis."""
        return bool(self.bands) or self.cap_per_kg is not None or self.cap_total is not None
