"""The documents the commands print with ``--json``, as pydantic models.

``SCHEMAS`` maps a command's name to the model of its output; ``mscdose schema NAME``
prints that model's JSON Schema. Every document carries ``"schema_version": 1``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, Field

from mscdose.checking.report import Level, Reported, ScheduleVerdict, TableIdentity, Verdict
from mscdose.models import SCHEMA_VERSION, Basis, Dose, Frozen, Population, Range
from mscdose.table.row import (
    Citation,
    Confidence,
    Donor,
    Evidence,
    SeenIn,
    StudySchedule,
    WeightBand,
    WeightBasis,
)

if TYPE_CHECKING:
    from mscdose.table.load import Table
    from mscdose.table.row import Study


class TableInfo(Frozen):
    """Which reference table a document was computed from."""

    version: str
    sha256: str


class StudyItem(Frozen):
    """One row of the reference table, its citation written out."""

    id: str
    indication: str
    indication_detail: str | None
    category: str
    route: str
    source: str
    donor: Donor | None
    dose: Dose
    levels: list[Dose]
    bands: list[WeightBand]
    cap_per_kg: float | None
    cap_total: float | None
    schedule: StudySchedule | None
    population: Population
    n: int | None
    evidence: Evidence
    confidence: Confidence
    citation: str
    citation_detail: Citation
    provenance: str
    label_date: str | None
    outcome: str | None
    notes: str | None
    quote: str | None = None
    quote_repair: str | None = None
    derived: str | None = None
    seen_in: SeenIn | None = None
    conflicts: str | None = None
    weight_basis: WeightBasis = "actual"
    country: str | None = None
    audit: str | None = None
    local: bool = False


class StudiesReport(Frozen):
    schema_version: Literal[1] = SCHEMA_VERSION
    table: TableInfo
    studies: list[StudyItem]


class ShowReport(Frozen):
    schema_version: Literal[1] = SCHEMA_VERSION
    table: TableInfo
    study: StudyItem


class RangeItem(Frozen):
    """The span of reported doses for one indication × route × basis."""

    indication: str
    route: str
    basis: Basis
    low: float
    high: float
    studies: int
    ids: list[str]
    best_evidence: Evidence


class RangesReport(Frozen):
    schema_version: Literal[1] = SCHEMA_VERSION
    table: TableInfo
    include_unconfirmed: bool
    ranges: list[RangeItem]


class NoteItem(Frozen):
    text: str
    source: str


class TermItem(Frozen):
    """A vocabulary term: what routes and indications share."""

    name: str
    label: str
    aliases: list[str]
    broader: str | None
    narrower: list[str]
    category: str | None
    notes: list[NoteItem]


class RouteItem(TermItem):
    bases: list[Basis]
    systemic: bool


class RoutesReport(Frozen):
    schema_version: Literal[1] = SCHEMA_VERSION
    routes: list[RouteItem]


class IndicationItem(TermItem):
    pass


class IndicationsReport(Frozen):
    schema_version: Literal[1] = SCHEMA_VERSION
    indications: list[IndicationItem]


class TableCitation(Frozen):
    """How to cite a version of the reference table (``mscdose table cite``)."""

    schema_version: Literal[1] = SCHEMA_VERSION
    title: str
    version: str
    date: str | None
    sha256: str
    rows: int
    mscdose: str
    text: str
    bibtex: str


class BatchRow(Frozen):
    """One line of ``mscdose batch`` output (without ``--full``); bad rows carry ``error``."""

    row: int
    ok: bool
    verdict: Verdict | None = None
    compared_at: Level | None = None
    per_patient: Range | None = None
    per_kg: Range | None = None
    reported: Reported | None = None
    distance_fold: float | None = None
    match_ids: list[str] = Field(default_factory=list)
    warning_codes: list[str] = Field(default_factory=list)
    schedule_verdict: ScheduleVerdict | None = None
    emptied_by: str | None = None
    error: str | None = None
    table: TableIdentity | None = None
    mscdose: str | None = None


# command → "module:Model" of its --json output; imported only when a schema is asked for
SCHEMAS: dict[str, str] = {
    "convert": "mscdose.models:Conversion",
    "check": "mscdose.checking.report:CheckReport",
    "batch": "mscdose.documents:BatchRow",
    "regimen": "mscdose.schedule.regimen:RegimenPlan",
    "extract": "mscdose.extraction.model:Extraction",
    "studies": "mscdose.documents:StudiesReport",
    "show": "mscdose.documents:ShowReport",
    "ranges": "mscdose.documents:RangesReport",
    "routes": "mscdose.documents:RoutesReport",
    "indications": "mscdose.documents:IndicationsReport",
    "cite": "mscdose.documents:TableCitation",
}


def schema_model(name: str) -> type[BaseModel]:
    """The model behind command ``name``'s --json output."""
    import importlib

    module, _, attr = SCHEMAS[name].partition(":")
    model: type[BaseModel] = getattr(importlib.import_module(module), attr)
    return model


def json_schema(name: str) -> dict[str, object]:
    """The JSON Schema of command ``name``'s ``--json`` output.

    >>> json_schema("ranges")["properties"]["schema_version"]["const"]
    1
    """
    # imported on first use, to keep start-up fast
    from mscdose.errors import VocabularyError

    if name not in SCHEMAS:
        import difflib

        close = difflib.get_close_matches(name, list(SCHEMAS), n=2, cutoff=0.5)
        raise VocabularyError(
            f"no JSON schema for {name!r}",
            given=name,
            suggestions=tuple(close),
            hint=None if close else f"choose one of {', '.join(sorted(SCHEMAS))}",
        )
    schema = schema_model(name).model_json_schema(mode="serialization")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


# --- builders ----------------------------------------------------------------------------------


def table_citation(table: Table) -> TableCitation:
    """The table's version as a reference in a paper (the tool itself: CITATION.cff).

    >>> from mscdose.table.load import load_table
    >>> text = table_citation(load_table()).text
    >>> text.startswith("mscdose reference table of reported MSC dose regimens, version ")
    True
    """
    # imported on first use, to keep start-up fast
    from mscdose._version import __version__

    title = "mscdose reference table of reported MSC dose regimens"
    when = f"{table.date}; " if table.date else ""
    text = (
        f"{title}, version {table.version} ({when}{len(table.rows)} rows; sha256 "
        f"{table.sha256}), distributed with mscdose {__version__}."
    )
    year = (table.date or "")[:4]
    key = "mscdose_table_" + "".join(c if c.isalnum() else "_" for c in table.version)
    bibtex = "\n".join(
        [
            f"@misc{{{key},",
            f"  title = {{{{{title}}}}},",
            "  author = {{mscdose developers}},",
            *([f"  year = {{{year}}},"] if year.isdigit() else []),
            f"  version = {{{table.version}}},",
            f"  note = {{{len(table.rows)} rows; sha256 {table.sha256}; distributed with "
            f"mscdose {__version__}}},",
            "}",
        ]
    )
    return TableCitation(
        title=title,
        version=table.version,
        date=table.date,
        sha256=table.sha256,
        rows=len(table.rows),
        mscdose=__version__,
        text=text,
        bibtex=bibtex,
    )


def table_info(table: Table) -> TableInfo:
    return TableInfo(version=table.version, sha256=table.sha256)


def study_item(study: Study) -> StudyItem:
    fields = study.model_dump(exclude={"citation"})
    return StudyItem(citation=str(study.citation), citation_detail=study.citation, **fields)


def studies_report(table: Table, rows: list[Study]) -> StudiesReport:
    return StudiesReport(table=table_info(table), studies=[study_item(r) for r in rows])


def ranges_report(
    table: Table, rows: list[Study], *, include_unconfirmed: bool = False
) -> RangesReport:
    # imported on first use, to keep start-up fast
    from mscdose.table.load import ranges

    items = [RangeItem(**r) for r in ranges(rows, include_unconfirmed=include_unconfirmed)]
    return RangesReport(
        table=table_info(table), include_unconfirmed=include_unconfirmed, ranges=items
    )


def _notes(term: object) -> list[NoteItem]:
    return [NoteItem(text=n.text, source=n.source) for n in getattr(term, "notes", ())]


def _term_fields(kind: str, name: str, term: Any) -> dict[str, Any]:
    """What routes and indications share: names, aliases, the hierarchy and the notes."""
    # imported on first use, to keep start-up fast
    from mscdose.text import vocab

    return {
        "name": name,
        "label": term.label,
        "aliases": list(term.aliases),
        "broader": term.broader,
        "category": term.category,
        "notes": _notes(term),
        "narrower": sorted(vocab.narrower(kind, name) - {name}),
    }


def routes_report() -> RoutesReport:
    # imported on first use, to keep start-up fast
    from mscdose.text import vocab

    return RoutesReport(
        routes=[
            RouteItem(
                **_term_fields("route", name, route),
                bases=sorted(route.bases),
                systemic=route.systemic,
            )
            for name, route in vocab.ROUTES.items()
        ]
    )


def indications_report() -> IndicationsReport:
    # imported on first use, to keep start-up fast
    from mscdose.text import vocab

    return IndicationsReport(
        indications=[
            IndicationItem(**_term_fields("indication", name, term))
            for name, term in vocab.INDICATIONS.items()
        ]
    )


def study_summary(study: Study) -> dict[str, Any]:
    """One item of ``mscdose studies --json`` (the citation as text, plus its parts)."""
    return study_item(study).model_dump(mode="json")
