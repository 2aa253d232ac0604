"""Which reported rows a proposal is compared with.

The question decides the rows: with an indication, that indication's rows for the route;
without one, the route's rows for any indication; narrowed by cell source and population when
given. Nothing is borrowed from another indication or route: where no row sets a bound, the
answer is ``no_data``, with the nearest wider rows as context only.
What is selected depends only on what the proposal names, never on its numbers, so
``batch`` selects once per kind of row. The candidate rows and dose envelopes are indexed
per table.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING, NamedTuple

from mscdose.checking.report import ContextLevel, Level
from mscdose.dose.conversion import cells_per_unit
from mscdose.table.row import EVIDENCE_RANK, Evidence, Study
from mscdose.text.display import unit_label

if TYPE_CHECKING:
    from mscdose.table.load import Table

_CHILDREN = frozenset({"pediatric", "neonate", "preterm"})


class Proposal(NamedTuple):
    """What the user proposes, resolved to canonical names and floats.

    (Named tuples here and for ``Compared``: batch builds millions, and a frozen dataclass
    costs several times more to construct.)"""

    low: float
    high: float
    basis: str
    cells: str
    route: str
    indication: str | None = None
    source: str | None = None
    population: str | None = None
    weight_kg: float | None = None
    bsa_m2: float | None = None
    area_cm2: float | None = None  # the lesion's area: per-cm² rows compare with cells given


# (row basis, lowest, highest) of a set of rows: the dose envelopes behind "the highest dose
# ever reported for this route"
Envelopes = tuple[tuple[str, float, float], ...]


def envelopes(
    table: Table, p: Proposal, any_route: bool, include_unconfirmed: bool = False
) -> Envelopes:
    """The envelopes of the rows of the proposal's route (or of every route) that can be
    expressed in its basis: rows' doses before bands and caps, unconfirmed rows only when
    asked, and, as in ``compare_rows``, no flat adult dose for a child. They depend only on
    the kind of proposal, so they are indexed per table."""
    key = (
        None if any_route else p.route,
        include_unconfirmed,
        p.basis,
        p.population if p.population in _CHILDREN else None,
        p.weight_kg is not None,
        p.bsa_m2 is not None,
        p.area_cm2 is not None,
    )
    index = _index(table)
    found = index.envelopes.get(key)
    if found is None:
        found = index.envelopes[key] = _envelopes(table, *key)
    return found


def extremes(found: Envelopes, p: Proposal) -> tuple[float, float] | None:
    """The lowest and highest dose of these envelopes in the proposal's basis, for its patient."""
    if not found:
        return None
    basis, weight, bsa, area = p.basis, p.weight_kg, p.bsa_m2, p.area_cm2
    from_total = cells_per_unit(basis, weight, bsa, area)
    low, high = math.inf, 0.0
    for row_basis, row_low, row_high in found:
        if row_basis != basis:
            to_total = cells_per_unit(row_basis, weight, bsa, area)
            assert to_total is not None and from_total is not None  # only such rows are kept
            row_low, row_high = row_low * to_total / from_total, row_high * to_total / from_total
        if row_low < low:
            low = row_low
        if row_high > high:
            high = row_high
    return low, high


def _envelopes(
    table: Table,
    route: str | None,
    include_unconfirmed: bool,
    basis: str,
    child: str | None,
    weight_given: bool,
    bsa_given: bool,
    area_given: bool,
) -> Envelopes:
    routes = _names("route", route)
    weight, bsa = (1.0 if weight_given else None), (1.0 if bsa_given else None)
    area = 1.0 if area_given else None
    found: dict[str, tuple[float, float]] = {}
    for s in table.rows:
        row_basis = s.dose.basis
        if (routes is not None and s.route not in routes) or (
            not include_unconfirmed and s.confidence == "unconfirmed"
        ):
            continue
        if row_basis != basis and (
            cells_per_unit(row_basis, weight, bsa, area) is None
            or cells_per_unit(basis, weight, bsa, area) is None
            or _unscalable(row_basis, s.population, child, basis)
        ):
            continue
        lo, hi = found.get(row_basis, (math.inf, 0.0))
        found[row_basis] = (min(lo, s.dose.low), max(hi, s.dose.high))
    return tuple((b, lo, hi) for b, (lo, hi) in found.items())


# whose flat doses may be divided by a child's weight: the child's own population (and, for a
# preterm infant, neonates); a school child's flat dose is no per-kg dose for a 793 g infant
_SCALES_TO = {
    "pediatric": frozenset({"pediatric"}),
    "neonate": frozenset({"neonate", "preterm"}),
    "preterm": frozenset({"preterm", "neonate"}),
}


def _unscalable(row_basis: str, row_population: str, population: str | None, basis: str) -> bool:
    """A flat dose given to adults (or to older children), divided by a child's weight, is no
    per-kg dose at all."""
    return (
        population in _SCALES_TO
        and row_population not in _SCALES_TO[population]
        and row_basis == "per_patient" != basis
    )


def not_comparable_because(study: Study, p: Proposal) -> str | None:
    """Why a row cannot be set beside the proposal, or None when it can. It depends on the
    bases, the population and which patient data are given, never on their values (a weight
    band's dose is per patient, so it never makes a row comparable that was not)."""
    basis = study.dose.basis
    if _unscalable(basis, study.population, p.population, p.basis):
        return (
            f"a flat dose for {study.population} patients is not scaled to a "
            f"{p.population} patient's weight"
        )
    if basis == p.basis:
        return None
    if "per_ml" in (basis, p.basis):
        return f"{unit_label(basis)} cannot be compared with {unit_label(p.basis)}"
    if (
        cells_per_unit(basis, p.weight_kg, p.bsa_m2, p.area_cm2) is None
        or cells_per_unit(p.basis, p.weight_kg, p.bsa_m2, p.area_cm2) is None
    ):
        if p.area_cm2 is None and "per_cm2" in (basis, p.basis):
            need = "--area (the lesion's cm²)"
        elif p.weight_kg is None and "per_kg" in (basis, p.basis):
            need = "--weight"
        else:
            need = "--bsa, or --weight and --height"
        return f"{unit_label(basis)}: give {need} to compare"
    return None


class Selection(NamedTuple):
    """Which rows a proposal is compared with. It depends only on what the proposal names
    (route, indication, source, population, basis, which patient data are given), not on its
    numbers: ``batch`` selects once per kind of row and measures each row."""

    level: Level | None  # None: no row of the question sets a bound (no_data)
    rows: tuple[Study, ...]  # the rows of the question, compared and listed
    bound: tuple[Study, ...]  # those of them that set the bound
    evidence: Evidence | None
    notes: tuple[str, ...]
    emptied_by: str | None = None  # "source", "population": the filter that left no bound
    context: tuple[Study, ...] = ()  # with no bound: other rows, shown as context only
    context_level: ContextLevel | None = None


def select(p: Proposal, table: Table, include_unconfirmed: bool = False) -> Selection:
    """The rows that answer the question asked, and only those: with an indication, its rows
    for the route (narrower terms, and broader ones with a note); without one, the route's
    rows for any indication. No verdict is ever borrowed from another indication or route:
    where no row sets a bound, the selection has no level (``no_data``) and carries the
    nearest wider rows as context."""

    def bound_of(rows: tuple[Study, ...]) -> tuple[Study, ...]:
        return tuple(
            s
            for s in rows
            if (include_unconfirmed or s.confidence != "unconfirmed")
            and not_comparable_because(s, p) is None
        )

    level: Level = "route" if p.indication is None else "indication_route"
    rows, narrowing = candidates(table, level, p.route, p.indication, p.source, p.population)
    bound = bound_of(rows)
    if bound:
        notes = []
        if p.indication is not None:
            own = _names("indication_down", p.indication) or frozenset()
            wider = sorted({s.indication for s in bound if s.indication not in own})
            if wider and len(wider) == len({s.indication for s in bound}):
                level = "indication_broader"
            if wider:
                notes.append(
                    "rows of the broader " + (" and ".join(wider)).replace("_", " ") + " count too"
                )
        evidence = min((s.evidence for s in bound), key=EVIDENCE_RANK.__getitem__)
        return Selection(level, rows, bound, evidence, tuple(notes))
    notes = (
        [f"{len(rows)} matching rows could not set a bound ({_first_reason(rows, p)})"]
        if rows
        else []
    )
    emptied_by: str | None = None
    context: tuple[Study, ...] = ()
    context_level: ContextLevel | None = None
    if narrowing is not None:
        wide, _ = candidates(table, level, p.route, p.indication, None, None)
        if bound_of(wide):
            emptied_by = narrowing
            context = bound_of(wide)
            context_level = "route" if p.indication is None else "indication_route"
    if not context and level == "indication_route":
        context = bound_of(candidates(table, "route", p.route, None, None, None)[0])
        context_level = "route"
    if not context:
        context = bound_of(candidates(table, "all", p.route, None, None, None)[0])
        context_level = "all"
    return Selection(
        None, rows, (), None, tuple(notes), emptied_by, context, context_level if context else None
    )


def _first_reason(rows: tuple[Study, ...], p: Proposal) -> str:
    """Why the first of these rows (in ``compare_rows`` order) sets no bound."""
    first = min(
        rows, key=lambda s: (not_comparable_because(s, p) is not None, EVIDENCE_RANK[s.evidence])
    )
    # a comparable row that sets no bound is an unconfirmed one
    return not_comparable_because(first, p) or "unconfirmed"


@lru_cache(maxsize=4096)
def _names(kind: str, name: str | None) -> frozenset[str] | None:
    """The names a proposal's term matches: itself, narrower terms, and broader ones
    (but not the root that stands for every indication)."""
    if name is None:
        return None
    # imported on first use to keep start-up fast (the vocabularies are large)
    from mscdose.text import vocab

    if kind == "indication_down":  # the term and its narrower terms only
        return vocab.narrower("indication", name)
    return (vocab.narrower(kind, name) | frozenset(vocab.broader_chain(kind, name))) - {
        "all_indications"
    }


def candidates(
    table: Table,
    level: str,
    route: str,
    indication: str | None,
    source: str | None,
    population: str | None,
) -> tuple[tuple[Study, ...], str | None]:
    """Rows at a level, narrowed by source and population when given; and what narrowed them."""
    key = (level, route, indication, source, population)
    index = _index(table)
    found = index.candidates.get(key)
    if found is None:
        found = index.candidates[key] = _candidates(table, *key)
    return found


class _Index:
    """Candidate rows and dose envelopes per table, computed once and kept."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.candidates: dict[tuple[str | None, ...], tuple[tuple[Study, ...], str | None]] = {}
        self.envelopes: dict[
            tuple[str | None, bool, str, str | None, bool, bool, bool], Envelopes
        ] = {}


_INDEXES: dict[int, _Index] = {}


def _index(table: Table) -> _Index:
    index = _INDEXES.get(id(table))
    if index is None or index.table is not table:
        if len(_INDEXES) > 8:
            _INDEXES.clear()
        index = _INDEXES[id(table)] = _Index(table)
    return index


def _candidates(
    table: Table,
    level: str | None,
    route: str | None,
    indication: str | None,
    source: str | None,
    population: str | None,
) -> tuple[tuple[Study, ...], str | None]:
    routes = _names("route", route) or frozenset()  # route is always given
    indications = _names("indication", indication)
    rows = table.rows
    if level != "all":
        rows = tuple(r for r in rows if r.route in routes)
    if level == "indication_route":
        rows = tuple(r for r in rows if indications is not None and r.indication in indications)
    narrowed = []
    if source is not None:
        sources = _names("source", source) or frozenset()
        rows = tuple(r for r in rows if r.source in sources)
        narrowed.append("source")
    if population is not None:
        pops = (_names("population", population) or frozenset()) | {"mixed"}
        rows = tuple(r for r in rows if r.population in pops)
        narrowed.append("population")
    return rows, " and ".join(narrowed) or None
