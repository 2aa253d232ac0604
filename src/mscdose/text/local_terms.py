"""Terms a local table defines for itself (its ``vocabulary:`` section): indications and
routes the bundled vocabularies do not know, added for this process before the table's rows
are validated. A new term may not reuse a name or a spelling the vocabularies already give
another term, nor an abbreviation they refuse, so that no spelling ever resolves two ways."""

from __future__ import annotations

import re
from typing import Any

from mscdose.text import vocab
from mscdose.text.terms import CATEGORIES, INDICATIONS, ROUTES, Route, Term

Problem = tuple[tuple[str | int, ...], str]
_NAME = re.compile(r"^[a-z][a-z0-9_]{1,60}$")
_BASES = frozenset({"per_kg", "per_patient", "per_m2", "per_cm2", "per_ml"})


def add_local_terms(section: Any) -> list[Problem]:
    """Add the indications and routes of a table's ``vocabulary:`` section; every problem as
    (path in the YAML, message). Nothing is added when anything is wrong."""
    if not isinstance(section, dict):
        return [
            (("vocabulary",), "vocabulary must be a mapping: indications: [...], routes: [...]")
        ]
    problems: list[Problem] = []
    unknown = set(section) - {"indications", "routes"}
    problems += [(("vocabulary", k), f"unknown key vocabulary.{k}") for k in sorted(unknown)]
    new: dict[str, list[Term]] = {"indication": [], "route": []}
    for kind, key in (("indication", "indications"), ("route", "routes")):
        entries = section.get(key) or []
        if not isinstance(entries, list):
            problems.append((("vocabulary", key), f"vocabulary.{key} must be a list of terms"))
            continue
        for i, entry in enumerate(entries):
            term, found = _term(kind, entry, ("vocabulary", key, i), new)
            problems += found
            if term is not None:
                new[kind].append(term)
    if problems:
        return problems
    for kind, terms in new.items():
        for term in terms:
            _register(kind, term)
    vocab.narrower.cache_clear()
    vocab.broader_chain.cache_clear()
    return []


def _term(
    kind: str, entry: Any, path: tuple[str | int, ...], new: dict[str, list[Term]]
) -> tuple[Term | None, list[Problem]]:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        return None, [(path, "a term needs a name (lowercase_with_underscores) and a label")]
    name, problems = entry["name"], []
    known = vocab._BY_KIND[kind]
    if not _NAME.match(name):
        problems.append(((*path, "name"), f"name {name!r} must be lowercase_with_underscores"))
    if name in known or any(t.name == name for t in new[kind]):
        problems.append(((*path, "name"), f"{kind} {name!r} is already a term: use it"))
    aliases = entry.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
        problems.append(((*path, "aliases"), "aliases must be a list of texts"))
        aliases = []
    for alias in [name, str(entry.get("label") or ""), *aliases]:
        key = vocab._key(alias)
        if key and (key in vocab._LOOKUP[kind] or key in vocab._REFUSED[kind]):
            claimed = vocab._LOOKUP[kind].get(key, "two terms")
            problems.append(((*path, "aliases"), f"{alias!r} already means {claimed}"))
    broader = entry.get("broader")
    if broader is not None and broader not in known:
        problems.append(((*path, "broader"), f"broader {broader!r} is not a known {kind}"))
    label = str(entry.get("label") or name.replace("_", " "))
    if kind == "indication":
        category = entry.get("category")
        if category not in CATEGORIES:
            problems.append(
                (
                    (*path, "category"),
                    f"category {category!r} is not known: one of " + ", ".join(CATEGORIES),
                )
            )
        return Term(name, label, tuple(aliases), broader, (), category), problems
    bases = entry.get("bases") or ["per_patient"]
    if not isinstance(bases, list) or not set(bases) <= _BASES:
        problems.append(((*path, "bases"), "bases must be a list of " + ", ".join(sorted(_BASES))))
        bases = ["per_patient"]
    route = Route(
        name,
        label,
        tuple(aliases),
        broader,
        (),
        bases=frozenset(bases),
        systemic=bool(entry.get("systemic", False)),
    )
    return route, problems


def _register(kind: str, term: Term) -> None:
    """The term in every table the lookups read."""
    if kind == "route":
        assert isinstance(term, Route)
        ROUTES[term.name] = term
    else:
        INDICATIONS[term.name] = term
    vocab._BY_KIND[kind][term.name] = term
    for spelling in (term.name, term.label, *term.aliases):
        vocab._LOOKUP[kind][vocab._key(spelling)] = term.name
