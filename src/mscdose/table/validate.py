"""One row of ``regimens.yaml`` → a :class:`~mscdose.models.Study`, with every problem found.

Plain Python over the values the YAML parser built (no yaml here): dose expressions
through the strict grammar, numbers written as strings (``"1e8"``), vocabulary names
to their canonical form, then the pydantic model, then the rules that span fields.
Each problem is ``(path, message)``; the caller turns the path into a line number.
"""

from __future__ import annotations

import datetime
import difflib
import math
import re
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from mscdose.errors import MscdoseError, VocabularyError
from mscdose.models import Dose
from mscdose.table.row import Study

Path = tuple[str | int, ...]
Problem = tuple[Path, str]


class FieldError(ValueError):
    """A value that cannot be used, and where inside its field it sits."""

    def __init__(self, message: str, path: Path = ()) -> None:
        super().__init__(message)
        self.path = path


FIELDS: tuple[str, ...] = tuple(Study.model_fields)
_ID = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")
_INTERVAL = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(?:(?:-|–|—|to)\s*(\d+(?:\.\d+)?))?\s*(?:days?|d)?\s*$"
)
_ID_FIELDS = ("pmid", "pmcid", "doi", "nct")


def suggest(word: str, choices: object) -> str:
    """`` (did you mean 'dose'?)`` or nothing."""
    close = difflib.get_close_matches(str(word), [str(c) for c in choices], n=2, cutoff=0.6)  # type: ignore[attr-defined]
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)" if close else ""


def _resolvers() -> dict[str, Callable[[str], str]]:
    # imported on first use, to keep start-up fast
    from mscdose.text import vocab

    return {
        "route": vocab.resolve_route,
        "indication": vocab.resolve_indication,
        "source": vocab.resolve_source,
        "population": vocab.resolve_population,
        "category": vocab.resolve_category,
    }


def to_number(value: Any, *, what: str) -> float:
    """A positive finite number from a YAML value: ``2.0e8``, ``"1e8"``, ``"3.34x10^6"``.

    >>> to_number("1e8", what="cap_total")
    100000000.0
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f'{what} must be a number (e.g. 2.0e8 or "1e8"), not {_kind(value)}')
    if isinstance(value, str):
        text = value.strip()
        try:
            number = float(text)
        except ValueError:
            # imported on first use, to keep start-up fast
            from mscdose.text.grammar import parse_dose

            try:
                dose = parse_dose(text)
            except MscdoseError as exc:
                raise ValueError(f"{what}: {exc}") from None
            if dose.low != dose.high:
                raise ValueError(f"{what} must be one number, not the range {text!r}") from None
            number = dose.low
    else:
        number = float(value)
    if not math.isfinite(number) or number <= 0:
        raise ValueError(f"{what} must be a positive finite number, not {value!r}")
    return number


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    return {dict: "a mapping", list: "a list", bool: "true/false", str: "text"}.get(
        type(value), type(value).__name__
    )


def _dose(value: Any, what: str) -> dict[str, Any]:
    """A dose field: an expression string, a bare number (cells per patient) or a mapping."""
    # imported on first use, to keep start-up fast
    from mscdose.text.grammar import parse_dose

    if isinstance(value, str):
        try:
            return parse_dose(value).model_dump()
        except MscdoseError as exc:
            raise ValueError(f"{what}: {exc}") from None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return {"low": to_number(value, what=what), "high": to_number(value, what=what)}
    if isinstance(value, dict):
        out = dict(value)
        if "low" not in value:
            raise ValueError(
                f"{what} needs 'low' (and 'high' for a range), "
                "e.g. {low: 1e6, high: 2e6, basis: per_kg}"
            )
        out["low"] = to_number(value["low"], what=f"{what}.low")
        out["high"] = to_number(value.get("high", value["low"]), what=f"{what}.high")
        if out["low"] > out["high"]:
            raise ValueError(f"{what}: low ({value['low']}) is above high ({value['high']})")
        return out
    raise ValueError(
        f'{what} must be a dose expression such as "2x10^6/kg" or a mapping '
        f"{{low, high, basis, cells}}, not {_kind(value)}"
    )


def _interval(value: Any) -> dict[str, float]:
    what = "schedule.interval_days"
    if isinstance(value, dict):
        low = value.get("low")
        high = value.get("high", low)
    elif isinstance(value, str):
        m = _INTERVAL.match(value)
        if m is None:
            raise ValueError(f'{what} {value!r} is not a number of days or a range like "3-4"')
        low, high = m.group(1), m.group(2) or m.group(1)
    else:
        low = high = value
    out = []
    for v in (low, high):
        if isinstance(v, bool) or not isinstance(v, int | float | str):
            raise ValueError(
                f'{what} must be a number, "low-high" or {{low, high}}, not {_kind(v)}'
            )
        try:
            number = float(v)
        except ValueError:
            raise ValueError(f"{what}: {v!r} is not a number of days") from None
        if not math.isfinite(number) or number < 0:
            raise ValueError(f"{what} must be zero or more days, not {v!r}")
        out.append(number)
    if out[0] > out[1]:
        raise ValueError(f"{what}: low ({out[0]:g}) is above high ({out[1]:g})")
    return {"low": out[0], "high": out[1]}


def _schedule(value: Any) -> Any:
    if isinstance(value, str):
        return {"text": value}
    if isinstance(value, dict) and value.get("interval_days") is not None:
        try:
            return {**value, "interval_days": _interval(value["interval_days"])}
        except ValueError as exc:
            raise FieldError(str(exc), ("interval_days",)) from None
    return value


def _citation(value: Any) -> Any:
    if value is None:
        raise ValueError("missing citation: every row needs one, with authors")
    if not isinstance(value, dict):
        raise ValueError(
            f"citation must be a mapping with authors, year, title ..., not {_kind(value)}"
        )
    if not isinstance(value.get("authors"), str) or not value["authors"].strip():
        raise ValueError("citation has no authors: every row names who reported it")
    out = dict(value)
    for key in _ID_FIELDS:  # pmid: 12345678 is read as a number
        if isinstance(out.get(key), int) and not isinstance(out[key], bool):
            out[key] = str(out[key])
    return out


def build_study(raw: Any) -> tuple[Study | None, list[Problem]]:
    """Validate one row; ``(None, problems)`` when anything is wrong."""
    if not isinstance(raw, dict):
        return None, [
            ((), f"each regimen must be a mapping of fields (id: ..., dose: ...), not {_kind(raw)}")
        ]
    problems: list[Problem] = []
    failed: set[str] = set()
    row: dict[str, Any] = {}

    def fail(path: Path, message: str) -> None:
        problems.append((path, message))
        failed.add(str(path[0]) if path else "")

    for key, value in raw.items():
        if key not in FIELDS:
            problems.append(((key,), f"unknown field {key!r}{suggest(key, FIELDS)}"))
        else:
            row[key] = value
    resolvers = _resolvers()
    for field, resolve in resolvers.items():
        value = row.get(field)
        if value is None:
            continue
        if not isinstance(value, str):
            fail((field,), f"{field} must be a name, not {_kind(value)}")
            continue
        try:
            row[field] = resolve(value)
        except VocabularyError as exc:
            fail((field,), f"{field}: {exc}")
    if isinstance(row.get("id"), str) and not _ID.match(row["id"]):
        fail(("id",), f"id {row['id']!r} must be lowercase letters, digits and hyphens")
    converters: dict[str, Callable[[Any], Any]] = {
        "dose": lambda v: _dose(v, "dose"),
        "cap_per_kg": lambda v: to_number(v, what="cap_per_kg"),
        "cap_total": lambda v: to_number(v, what="cap_total"),
        "schedule": _schedule,
    }
    for field, convert in converters.items():
        if row.get(field) is not None:
            try:
                row[field] = convert(row[field])
            except ValueError as exc:
                fail((field, *getattr(exc, "path", ())), str(exc))
    try:
        row["citation"] = _citation(row.get("citation"))
    except ValueError as exc:
        fail(("citation",), str(exc))
    for field in ("label_date", "provenance"):
        if isinstance(row.get(field), datetime.date | int) and not isinstance(row[field], bool):
            row[field] = str(row[field])
    _list_field(row, "levels", lambda v, i: _dose(v, f"levels[{i}]"), fail)
    _list_field(row, "bands", _band, fail)
    study = None
    try:
        study = Study.model_validate(row)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            if loc and str(loc[0]) in failed:
                continue
            problems.append((loc, _message(err)))
    if study is not None and not problems:
        problems.extend(_cross_field(study))
    return (study if not problems else None), problems


def _list_field(
    row: dict[str, Any],
    field: str,
    convert: Callable[[Any, int], Any],
    fail: Callable[[Path, str], None],
) -> None:
    value = row.get(field)
    if value is None:
        row.pop(field, None)
        return
    if not isinstance(value, list):
        fail((field,), f"{field} must be a list, not {_kind(value)}")
        return
    out = []
    for i, item in enumerate(value):
        try:
            out.append(convert(item, i))
        except ValueError as exc:
            fail((field, i, *getattr(exc, "path", ())), str(exc))
    row[field] = out


def _band(value: Any, i: int) -> Any:
    if not isinstance(value, dict):
        raise ValueError(
            f"bands[{i}] must be a mapping {{above_kg, up_to_kg, dose}}, not {_kind(value)}"
        )
    out = dict(value)
    for key in ("above_kg", "up_to_kg", "dose"):
        if out.get(key) is None:
            continue
        try:
            if key == "dose":
                out[key] = _dose(out[key], f"bands[{i}].dose")
            else:
                out[key] = to_number(out[key], what=f"bands[{i}].{key}")
        except ValueError as exc:
            raise FieldError(str(exc), (key,)) from None
    return out


def _message(err: Any) -> str:
    loc = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in err["loc"]).replace(
        ".[", "["
    )
    if err["type"] == "missing":
        return f"missing required field {loc!r}"
    if err["type"] == "extra_forbidden":
        return f"unknown field {loc!r}"
    given = err.get("input")
    shown = "" if isinstance(given, dict | list) else f" (got {given!r})"
    return f"{loc}: {err['msg']}{shown}"


def _cross_field(study: Study) -> list[Problem]:
    """Rules that span fields: the basis suits the route; weight bands are well formed."""
    # imported on first use, to keep start-up fast
    from mscdose.text import vocab

    problems: list[Problem] = []
    route = vocab.ROUTES.get(study.route)
    allowed = route.bases if route is not None else frozenset()
    doses: list[tuple[Path, str, Dose]] = [(("dose",), "dose", study.dose)]
    doses += [(("levels", i), f"levels[{i}]", d) for i, d in enumerate(study.levels)]
    doses += [(("bands", i, "dose"), f"bands[{i}].dose", b.dose) for i, b in enumerate(study.bands)]
    for path, what, dose in doses:
        if route is not None and dose.basis not in allowed:
            problems.append(
                (
                    path,
                    f"{what}: a {dose.basis} dose is not used for route "
                    f"{study.route!r} (allowed: {', '.join(sorted(allowed))})",
                )
            )
    # whether a row can be compared must not hang on which band the weight falls in
    if study.bands and study.dose.basis != "per_patient":
        problems.append(
            (
                ("dose",),
                "a row with weight bands gives its dose (the envelope of "
                f"the bands) per patient, not {study.dose.basis}",
            )
        )
    previous_top: float | None = None
    for i, band in enumerate(study.bands):
        if band.above_kg is None and band.up_to_kg is None:
            problems.append((("bands", i), f"bands[{i}] needs above_kg or up_to_kg"))
            continue
        if (
            band.above_kg is not None
            and band.up_to_kg is not None
            and band.above_kg >= band.up_to_kg
        ):
            problems.append(
                (
                    ("bands", i),
                    f"bands[{i}]: above_kg ({band.above_kg:g}) must be "
                    f"below up_to_kg ({band.up_to_kg:g})",
                )
            )
        if band.dose.basis not in ("per_patient", "per_kg"):
            problems.append(
                (
                    ("bands", i, "dose"),
                    f"bands[{i}].dose must be cells per patient or per kg (a label may dose "
                    f"per kg up to a weight and flat above it), not {band.dose.basis}",
                )
            )
        if i > 0:
            bottom = band.above_kg if band.above_kg is not None else -math.inf
            if previous_top is None or bottom < previous_top:
                problems.append(
                    (
                        ("bands", i),
                        f"bands[{i}] overlaps bands[{i - 1}]: list the "
                        "bands from light to heavy, each starting where "
                        "the last one ends",
                    )
                )
        previous_top = band.up_to_kg
    return problems
