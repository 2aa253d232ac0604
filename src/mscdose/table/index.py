"""The validated table in memory: its rows, indexes and lookups, and the dose ranges they give.

Built by :func:`mscdose.table.load.load_table`; a broader name matches narrower rows
(``--indication "liver failure"`` finds acute-on-chronic liver failure).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from mscdose.errors import VocabularyError
from mscdose.table.row import EVIDENCE_RANK, Study

FILENAME = "regimens.yaml"
_CONFIDENCE = ("confirmed", "probable", "unconfirmed")


# --- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Table:
    """A validated reference table with its indexes (build it with :func:`load_table`)."""

    version: str
    date: str | None
    description: str | None
    path: Path
    sha256: str
    rows: tuple[Study, ...]
    by_id: Mapping[str, Study] = field(repr=False)
    by_route: Mapping[str, tuple[Study, ...]] = field(repr=False)
    by_indication: Mapping[str, tuple[Study, ...]] = field(repr=False)
    _order: Mapping[str, int] = field(repr=False)

    @classmethod
    def build(
        cls,
        rows: Iterable[Study],
        *,
        version: str,
        date: str | None = None,
        description: str | None = None,
        path: Path = Path(FILENAME),
        sha256: str = "",
    ) -> Table:
        rows = tuple(rows)
        by_route: dict[str, list[Study]] = {}
        by_indication: dict[str, list[Study]] = {}
        for row in rows:
            by_route.setdefault(row.route, []).append(row)
            by_indication.setdefault(row.indication, []).append(row)
        return cls(
            version=version,
            date=date,
            description=description,
            path=path,
            sha256=sha256,
            rows=rows,
            by_id=MappingProxyType({r.id: r for r in rows}),
            by_route=MappingProxyType({k: tuple(v) for k, v in by_route.items()}),
            by_indication=MappingProxyType({k: tuple(v) for k, v in by_indication.items()}),
            _order=MappingProxyType({r.id: i for i, r in enumerate(rows)}),
        )

    def get(self, study_id: str) -> Study:
        """The row with this id; an unknown id raises VocabularyError with the nearest ids."""
        try:
            return self.by_id[study_id]
        except KeyError:
            close = difflib.get_close_matches(study_id, list(self.by_id), n=3, cutoff=0.5)
            raise VocabularyError(
                f"no study with id {study_id!r} in table {self.version}",
                given=study_id,
                suggestions=tuple(close),
                hint=None if close else "list the ids with 'mscdose studies'",
            ) from None

    def find(
        self,
        route: str | None = None,
        indication: str | None = None,
        source: str | None = None,
        population: str | None = None,
        evidence: str | None = None,
        confidence: str | None = None,
        search: str | None = None,
    ) -> list[Study]:
        """Rows matching every filter, in table order; a broader name matches narrower rows.

        ``evidence`` and ``confidence`` take one value or several separated by commas;
        ``search`` matches words (all of them, any case) in ids, names, citations and notes.
        """
        # imported on first use, to keep start-up fast
        from mscdose.text import vocab

        rows: Iterable[Study] = self.rows
        if route is not None:
            names = vocab.narrower("route", vocab.resolve_route(route))
            rows = self._indexed(self.by_route, names)
        if indication is not None:
            names = vocab.narrower("indication", vocab.resolve_indication(indication))
            picked = set(map(id, self._indexed(self.by_indication, names)))
            rows = [r for r in rows if id(r) in picked]
        if source is not None:
            names = vocab.narrower("source", vocab.resolve_source(source))
            rows = [r for r in rows if r.source in names]
        if population is not None:
            names = vocab.narrower("population", vocab.resolve_population(population))
            rows = [r for r in rows if r.population in names]
        if evidence is not None:
            wanted = _choices(evidence, tuple(EVIDENCE_RANK), "evidence")
            rows = [r for r in rows if r.evidence in wanted]
        if confidence is not None:
            wanted = _choices(confidence, _CONFIDENCE, "confidence")
            rows = [r for r in rows if r.confidence in wanted]
        if search is not None and search.strip():
            words = search.casefold().split()
            rows = [r for r in rows if all(w in _haystack(r) for w in words)]
        return list(rows)

    def _indexed(self, index: Mapping[str, tuple[Study, ...]], names: Iterable[str]) -> list[Study]:
        found = [row for name in names for row in index.get(name, ())]
        return sorted(found, key=lambda r: self._order[r.id])


def _choices(text: str, allowed: tuple[str, ...], what: str) -> frozenset[str]:
    wanted = [w.strip().lower().replace("-", "_").replace(" ", "_") for w in text.split(",")]
    for word in wanted:
        if word not in allowed:
            close = difflib.get_close_matches(word, allowed, n=2, cutoff=0.5)
            raise VocabularyError(
                f"unknown {what} {word!r}",
                given=text,
                suggestions=tuple(close),
                hint=None if close else f"use one of {', '.join(allowed)}",
            )
    return frozenset(wanted)


def _haystack(row: Study) -> str:
    parts = [
        row.id,
        row.provenance,
        row.indication,
        row.indication_detail,
        row.category,
        row.source,
        row.route,
        row.population,
        row.evidence,
        str(row.citation),
        row.outcome,
        row.notes,
        row.schedule.text if row.schedule else None,
        row.quote,
        row.audit,
        _vocabulary_text(row.indication, row.route, row.source),
    ]
    text = " ".join(p for p in parts if p).casefold()
    return text + " " + text.replace("_", " ")


@lru_cache(maxsize=512)
def _vocabulary_text(indication: str, route: str, source: str) -> str:
    """The words the vocabularies give a row's terms: labels, aliases (English, abbreviations,
    Chinese) and the notes a clinician should see, so that ``--search`` finds them too."""
    # imported on first use, to keep start-up fast
    from mscdose.text import vocab

    terms = [vocab.INDICATIONS.get(indication), vocab.ROUTES.get(route), vocab.SOURCES.get(source)]
    words = []
    for term in terms:
        if term is not None:
            words += [term.label, *term.aliases, *(note.text for note in term.notes)]
    return " ".join(words)


# --- summaries ---------------------------------------------------------------------------------


def ranges(rows: Iterable[Study], *, include_unconfirmed: bool = False) -> list[dict[str, Any]]:
    """The reported range per indication × route × basis (per kg and per patient apart).

    Unconfirmed rows set no bound unless ``include_unconfirmed``.

    >>> from mscdose.models import Dose
    >>> from mscdose.table.row import Citation
    >>> row = Study(id="a", provenance="x", indication="gvhd", category="immune",
    ...             source="bone_marrow", route="intravenous", population="adult",
    ...             dose=Dose(low=1e6, high=2e6, basis="per_kg"), evidence="trial",
    ...             confidence="confirmed", citation=Citation(authors="A"))
    >>> ranges([row])[0]["high"]
    2000000.0
    """
    groups: dict[tuple[str, str, str], list[Study]] = {}
    for row in rows:
        if row.confidence == "unconfirmed" and not include_unconfirmed:
            continue
        groups.setdefault((row.indication, row.route, row.dose.basis), []).append(row)
    basis_order = {"per_kg": 0, "per_patient": 1, "per_m2": 2, "per_cm2": 3, "per_ml": 4}
    out = []
    for (indication, route, basis), members in sorted(
        groups.items(), key=lambda kv: (basis_order.get(kv[0][2], 9), kv[0][0], kv[0][1])
    ):
        out.append(
            {
                "indication": indication,
                "route": route,
                "basis": basis,
                "low": min(r.dose.low for r in members),
                "high": max(r.dose.high for r in members),
                "studies": len(members),
                "ids": [r.id for r in members],
                "best_evidence": min((r.evidence for r in members), key=EVIDENCE_RANK.__getitem__),
            }
        )
    return out
