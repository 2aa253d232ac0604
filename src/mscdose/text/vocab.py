"""Vocabularies (routes, cell sources, indications, populations, categories) with aliases.

Terms carry a snake_case name, a label, aliases (English, abbreviations, the source article's
Chinese), a ``broader`` parent and notes sourced to msc-dose-facts.md. Lookup ignores case and
separators and folds British spellings. A broader name finds narrower rows ("liver failure" →
acute-on-chronic, intramyocardial → transendocardial, pediatric → neonate and preterm). A
patient matches rows of the own population and the broader ones (a preterm infant is also a
neonate and a child), plus ``mixed`` rows. ``all_indications`` (route-wide summaries) is
nobody's parent.

>>> resolve_route("i.v."), broader_chain("population", "早产儿")
('intravenous', ('preterm', 'neonate', 'pediatric'))
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from mscdose.errors import VocabularyError
from mscdose.text.terms import (
    CATEGORIES,
    INDICATIONS,
    POPULATIONS,
    ROUTES,
    SOURCES,
    Note,
    Route,
    Term,
)

__all__ = [
    "CATEGORIES",
    "INDICATIONS",
    "POPULATIONS",
    "ROUTES",
    "SOURCES",
    "Note",
    "Route",
    "Term",
    "resolve",
]

_BY_KIND: dict[str, dict[str, Term]] = {
    "route": dict(ROUTES),
    "source": SOURCES,
    "indication": INDICATIONS,
    "population": POPULATIONS,
    "category": CATEGORIES,
}
_FOLD = re.compile(r"[\s\-‐–—_'’`.,/()·]+")


def _key(text: str) -> str:
    """The lookup key: NFKC, casefolded, separators dropped, British spellings folded."""
    key = _FOLD.sub("", unicodedata.normalize("NFKC", text).casefold())
    return key.replace("paed", "ped").replace("aem", "em")


# Abbreviations the field writes for two or more routes (IT is intrathecal in cerebral-palsy
# papers and intratracheal in BPD papers): refused with every reading, never resolved.
AMBIGUOUS: dict[str, dict[str, tuple[str, ...]]] = {
    "route": {
        "IT": ("intrathecal", "intratracheal"),
        "IA": ("intra-articular", "intra-arterial"),
        "IC": ("intracoronary", "intracerebral", "intracavernous"),
        "IO": ("intraosseous", "intraocular"),
        "IM": ("intramuscular", "intramyocardial"),
        "ID": ("intradermal", "intradiscal"),
    },
    "indication": {
        "AD": ("atopic dermatitis", "Alzheimer's disease"),
        "PD": ("Parkinson's disease", "peritoneal dialysis"),
    },
}


def _lookup(terms: dict[str, Term]) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Every spelling's key → its term; and the keys that two terms claim (refused, like
    ``AMBIGUOUS``: a test holds the bundled vocabularies free of them)."""
    found: dict[str, set[str]] = {}
    for term in terms.values():
        for spelling in (term.name, term.label, *term.aliases):
            found.setdefault(_key(spelling), set()).add(term.name)
    single = {key: next(iter(names)) for key, names in found.items() if len(names) == 1}
    return single, {key: tuple(sorted(names)) for key, names in found.items() if len(names) > 1}


_BUILT = {kind: _lookup(terms) for kind, terms in _BY_KIND.items()}
_LOOKUP = {kind: built[0] for kind, built in _BUILT.items()}
CLAIMED_TWICE = {kind: built[1] for kind, built in _BUILT.items()}
_REFUSED = {
    kind: {**{_key(k): v for k, v in AMBIGUOUS.get(kind, {}).items()}, **CLAIMED_TWICE[kind]}
    for kind in _BY_KIND
}


def resolve(kind: str, text: str) -> str:
    """The canonical name of ``text`` in vocabulary ``kind``; else a VocabularyError."""
    import difflib

    if kind not in _LOOKUP:
        raise VocabularyError(f"unknown vocabulary {kind!r}", given=kind, hint=", ".join(_LOOKUP))
    table, key = _LOOKUP[kind], _key(text)
    if key in _REFUSED[kind]:
        readings = _REFUSED[kind][key]
        raise VocabularyError(
            f"{kind} {text!r} can mean {' or '.join(readings)}",
            given=text,
            hint="write the full name: " + " or ".join(f"'{r}'" for r in readings),
        )
    if key in table:
        return table[key]
    close = difflib.get_close_matches(key, table, n=8, cutoff=0.6) if key else []
    close += sorted((k for k in table if len(key) >= 3 and key in k), key=len)
    suggestions = tuple(dict.fromkeys(table[k] for k in close))[:3]
    listed = f"run 'mscdose {kind}s' to list them" if kind in ("route", "indication") else None
    hint = None if suggestions else listed or "one of " + ", ".join(_BY_KIND[kind])
    raise VocabularyError(
        f"{'unknown' if key else 'empty'} {kind} {text!r}",
        given=text,
        suggestions=suggestions,
        hint=hint,
    )


def resolve_route(text: str) -> str:
    """The canonical route: ``"IV"``, ``"i.v."``, ``"静脉输注"`` → ``"intravenous"``."""
    return resolve("route", text)


def resolve_source(text: str) -> str:
    """The canonical cell source: ``"WJ"``, ``"Wharton's jelly"`` → ``"umbilical_cord"``."""
    return resolve("source", text)


def resolve_indication(text: str) -> str:
    """The canonical indication: ``"SR-aGVHD"`` → ``"gvhd_acute_steroid_refractory"``."""
    return resolve("indication", text)


def resolve_population(text: str) -> str:
    """The canonical population: ``"newborn"`` → ``"neonate"``, ``"早产儿"`` → ``"preterm"``."""
    return resolve("population", text)


def resolve_category(text: str) -> str:
    """The canonical disease category: ``"haematological"`` → ``"hematological"``."""
    return resolve("category", text)


@lru_cache(maxsize=1024)
def narrower(kind: str, name: str) -> frozenset[str]:
    """``name`` (any spelling) and every term below it: ``intramyocardial`` → + transendocardial."""
    found = [resolve(kind, name)]
    for parent in found:  # grows while iterating: breadth-first down the tree
        found += [t.name for t in _BY_KIND[kind].values() if t.broader == parent]
    return frozenset(found)


@lru_cache(maxsize=1024)
def broader_chain(kind: str, name: str) -> tuple[str, ...]:
    """``name`` (any spelling), its parent, grandparent...: HBV-ACLF → ... → liver_disease."""
    chain = [resolve(kind, name)]
    while (parent := _BY_KIND[kind][chain[-1]].broader) is not None and parent not in chain:
        chain.append(parent)
    return tuple(chain)
