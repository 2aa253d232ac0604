"""Doses that share one multiplier written once: a median with its range, ranges before a
power of ten, levels listed with their patient counts. Each pass reads what the scanner cannot
and lets the scanner's partial reading of the same span give way."""

from __future__ import annotations

import math
import re

from mscdose.extraction.model import FoundDose
from mscdose.extraction.notation import (
    _CARET_SPACE,
    _EXPONENT,
    _NUM,
    _NUMBER,
    _POW,
    _TIMES,
    _WORD,
    _found,
    _parse,
    _value,
)
from mscdose.extraction.rules import prefix_basis, read_tail
from mscdose.models import Basis

_MEDIAN = re.compile(r"(?:median|mean|average)(?:\s{1,2}dose)?(?:\s{1,2}of)?[,:]?\s{1,2}$")
# the range in parentheses after the dose, or after a ';' inside the dose's parentheses
# ('(median, 2.7 × 10(6) cells/kg/infusion; range, 1.3-4.5)')
_RANGE_AFTER = re.compile(
    rf"\s{{0,2}}(?:[(\[]|[;,])\s{{0,2}}(?:range|iqr)[,:]?\s{{0,2}}(?P<a>{_NUM})\s{{0,2}}(?:-|~|to)\s{{0,2}}"
    rf"(?P<b>{_NUM})(?:\s{{0,2}}x\s{{0,2}}10\s{{0,2}}(?:\^|\*\*)?\s{{0,2}}\(?(?P<e>[0-9]{{1,2}})\)?)?"
    r"[^()\[\]\n]{0,24}[)\]]"
)


def _median_ranges(
    found: list[tuple[FoundDose, bool]], folded: str, text: str
) -> list[tuple[FoundDose, bool]]:
    """'median 1.2 × 10⁶/kg (range, 0.8 to 1.6)': the range, with the median as its typical
    value; the range takes the median's power of ten when it writes none."""
    out: list[tuple[FoundDose, bool]] = []
    skip_until = -1
    for dose, explicit in found:
        if dose.start < skip_until:
            continue
        after = _RANGE_AFTER.match(folded, dose.end)
        median = _MEDIAN.search(folded, max(0, dose.start - 24), dose.start)
        number = _NUMBER.match(folded, dose.start)
        if after is None or median is None or number is None or not _value(number.group()):
            out.append((dose, explicit))
            continue
        ratio = dose.low / _value(number.group())  # the median's multiplier, a power of ten
        power = round(math.log10(ratio))
        scale = (
            10.0 ** int(after["e"])
            if after["e"]
            else (10.0**power if math.isclose(ratio, 10.0**power) else ratio)
        )
        low, high = _value(after["a"]) * scale, _value(after["b"]) * scale
        if not 0 < low <= dose.low <= dose.high <= high:
            out.append((dose, explicit))  # not a range around the median: leave both alone
            continue
        ranged = dose.model_copy(
            update={
                "text": text[dose.start : after.end()],
                "end": after.end(),
                "low": low,
                "high": high,
                "typical": dose.low,
            }
        )
        out.append((ranged, explicit))
        skip_until = after.end()
    return out


# A power of ten written once after ranges: 'median 1.55 (ranging from 0.84 to 2.56) × 10⁶/kg'
# (the range, the median typical), '1–2 or 3–4 × 10⁶ MSC/kg' (two ranges sharing the power).
_RANGE = rf"(?P<@a>{_NUM})\s{{0,2}}(?:-|~|to)\s{{0,2}}(?P<@b>{_NUM})"
_SHARED_POWER = re.compile(
    rf"""(?:(?P<m>{_NUM})\s{{0,2}}\(\s{{0,2}}(?:range[,:]?|ranging\s{{1,2}}from)?\s{{0,2}}
             {_RANGE.replace("@", "x")}\s{{0,2}}\)
         | {_RANGE.replace("@", "y")}\s{{1,2}}(?:or|and|,)\s{{1,2}}{_RANGE.replace("@", "z")})
        \s{{0,2}}(?P<pow>{_POW})""",
    re.VERBOSE,
)


def _ranges_before_a_power(
    found: list[tuple[FoundDose, bool]], folded: str, text: str
) -> list[tuple[FoundDose, bool]]:
    """Read the ranges that share one power of ten written after them; what the scanner read
    inside such a span (the power's own part) gives way."""
    spans: list[tuple[FoundDose, bool]] = []
    covered: list[tuple[int, int]] = []
    for m in _SHARED_POWER.finditer(folded):
        tail = read_tail(folded, m.end())
        if not (tail.has_cells or tail.has_basis):
            continue
        if m["m"] and not _value(m["xa"]) <= _value(m["m"]) <= _value(m["xb"]):
            continue  # '2019 (2-3) × 10⁶': the number before is no median of the range
        covered.append((m.start(), tail.end))
        basis: Basis = tail.basis or prefix_basis(folded, m.start()) or "per_patient"
        power = _CARET_SPACE.sub("", _TIMES.sub("x", m["pow"]))
        pairs = [("x", m["m"])] if m["m"] else [("y", None), ("z", None)]
        for key, typical in pairs:
            parsed = _parse(f"{m[key + 'a']}-{m[key + 'b']} {power}", basis, tail.cells)
            if parsed is None:
                break
            start = m.start(key + "a") if typical is None else m.start("m")
            end = tail.end if key != "y" else m.end("yb")
            dose = _found(
                text,
                start,
                end,
                parsed[0],
                parsed[1],
                basis,
                tail.cells,
                parsed[2] + tail.reasons,
                None,
            )
            if typical is not None:
                scale = parsed[0] / _value(m["xa"]) if _value(m["xa"]) else 0.0
                dose = dose.model_copy(update={"typical": _value(typical) * scale})
            spans.append((dose, bool(tail.basis)))
    if not spans:
        return found
    return _replacing(found, covered, spans)


# Levels listed with their patients: 'either 1 (n = 3), 2 (n = 3), or 4 (n = 3) million MSCs
# per kg' (the multiplier written once, after the last level)
_COUNT = r"\(\s{0,2}n\s{0,2}=\s{0,2}[0-9]{1,4}\s{0,2}\)"
_LEVEL = rf"{_NUM}\s{{0,2}}(?:{_COUNT})?"
_LEVELS_WITH_COUNTS = re.compile(
    rf"(?P<levels>{_LEVEL}(?:\s{{0,2}}(?:,\s{{0,2}}(?:or\s|and\s)?|or\s|and\s)\s{{0,2}}{_LEVEL}){{1,7}})"
    rf"\s{{0,2}}(?:(?P<pow>{_POW})|(?P<word>{_WORD}))",
    re.VERBOSE,  # _POW is written for the verbose scanner
)
_COUNTS = re.compile(_COUNT)


def _levels_with_counts(
    found: list[tuple[FoundDose, bool]], folded: str, text: str
) -> list[tuple[FoundDose, bool]]:
    """One dose per level of a list whose levels carry their patient counts, sharing the
    multiplier written after the last one; what the scanner read inside gives way."""
    out: list[tuple[FoundDose, bool]] = []
    covered: list[tuple[int, int]] = []
    for m in _LEVELS_WITH_COUNTS.finditer(folded):
        if not _COUNTS.search(folded, m.start(), m.end("levels")):
            continue  # a plain list: the scanner reads it
        tail = read_tail(folded, m.end())
        if not (tail.has_cells or tail.has_basis):
            continue
        basis: Basis = tail.basis or prefix_basis(folded, m.start()) or "per_patient"
        if m["pow"]:
            multiplier = " " + _CARET_SPACE.sub("", _TIMES.sub("x", m["pow"]))
        else:
            multiplier = f" x10^{_EXPONENT[m['word']]}"
        counts = [(c.start(), c.end()) for c in _COUNTS.finditer(folded, m.start(), m.end())]
        numbers = [
            n
            for n in _NUMBER.finditer(folded, m.start(), m.end("levels"))
            if not any(a <= n.start() < b for a, b in counts)
        ]
        levels = [(n, _parse(n.group() + multiplier, basis, tail.cells)) for n in numbers]
        if len(levels) < 2 or any(parsed is None for _, parsed in levels):
            continue
        covered.append((m.start(), tail.end))
        last = len(levels) - 1
        for i, (n, parsed) in enumerate(levels):
            assert parsed is not None
            end = tail.end if i == last else n.end()
            dose = _found(
                text,
                n.start(),
                end,
                parsed[0],
                parsed[1],
                basis,
                tail.cells,
                parsed[2] + tail.reasons,
                None,
            )
            out.append((dose, bool(tail.basis)))
    if not out:
        return found
    return _replacing(found, covered, out)


def _replacing(
    found: list[tuple[FoundDose, bool]],
    covered: list[tuple[int, int]],
    read: list[tuple[FoundDose, bool]],
) -> list[tuple[FoundDose, bool]]:
    """``read`` in place of what the scanner found inside the ``covered`` spans, in text order."""
    kept = [
        (f, x) for f, x in found if not any(a <= f.start < b or a < f.end <= b for a, b in covered)
    ]
    return sorted(kept + read, key=lambda pair: pair[0].start)
