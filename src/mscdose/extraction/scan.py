"""Find dose expressions in free text, read each with the strict grammar, and flag every repair.

A sentence from a paper, a trial registration or a table pasted from a PDF goes in; every dose
comes out with its character span in the original text. Where the text is damaged (a lost
superscript ``2 × 106/kg``, UCUM ``10*7``, PubMed ``10(6)``, a LaTeX or HTML remnant, ``10e6``
meant as 10⁶, ``2.5^107``), the likely reading is offered but marked ``ambiguous`` with the
reason: a person confirms it before use. Clean forms are read by
:func:`mscdose.text.grammar.parse_dose` and are not flagged. The scanner uses bounded patterns
only, so time grows linearly with the length of the text.

>>> [(d.text, d.low, d.basis, d.ambiguous) for d in extract("MSC 2 x 10^6 cells/kg IV").doses]
[('2 x 10^6 cells/kg', 2000000.0, 'per_kg', False)]
>>> d = extract("异体骨髓MSC(2x106细胞/kg)").doses[0]
>>> (d.text, d.low, d.reason)
('2x106细胞/kg', 2000000.0, 'lost superscript: 106 read as 10^6')
>>> [d.low for d in extract("POSEIDON: 20, 100 or 200 million cells").doses]
[20000000.0, 100000000.0, 200000000.0]
"""

from __future__ import annotations

import bisect
import itertools
import re

from mscdose.errors import DoseSyntaxError, MscdoseError
from mscdose.extraction.lists import _levels_with_counts, _median_ranges, _ranges_before_a_power
from mscdose.extraction.model import Extraction, FoundDose
from mscdose.extraction.notation import (
    _BETWEEN,
    _CARET_SPACE,
    _CONJUNCTION,
    _DECIMAL_COMMA_ITEM,
    _DOT_TIMES,
    _EXPONENT,
    _NUMBER,
    _SCAN,
    _SPREAD,
    _TEN_N,
    _TIMES,
    _WORD_TIMES,
    _YEAR,
    _fold,
    _found,
    _parse,
    _value,
)
from mscdose.extraction.rules import (
    BASIS_SPELLING,
    BASIS_WORDS,
    Tail,
    chinese_numerals,
    dose_context,
    english_numbers,
    excluded_before,
    follows_fraction,
    follows_product,
    is_unit_header,
    prefix_basis,
    qualifier_of,
    read_tail,
    share_bases,
)
from mscdose.models import Basis
from mscdose.text.grammar import LOST_POWER, parse_dose
from mscdose.text.numerals import english_value


class _Reading:
    """What one scanner match says, before it becomes one FoundDose per level."""

    def __init__(self, m: re.Match[str], folded: str) -> None:
        self.m, self.folded = m, folded
        word = m.group("word") or m.group("aw")
        self.m_word = word == "m"
        own = bool(
            m.group("apow")
            or m.group("bpow")
            or m.group("pow")
            or m.group("abare")
            or m.group("bbare")
        )
        # '15 ± 3 × 10⁶ cells': the power written after the spread is the mean's too
        spread = _SPREAD.match(m.group("pm") or "")
        self.spread_power = None if own or spread is None or not spread["pow"] else spread["pow"]
        self.powers = own or self.spread_power is not None
        self.magnitude = self.powers or bool(word)
        self.is_range = bool(m.group("b") or m.group("bbare"))

    def plain_small(self) -> bool:
        """A plain number that cannot be a cell dose: below 1000 (unless 10N), or a year."""
        if self.magnitude:
            return False
        a = self.m.group("a") or ""
        small = max(_value(a), _value(self.m.group("b"))) < 1000 and not _TEN_N.fullmatch(a)
        return (small and not LOST_POWER.fullmatch(a)) or bool(_YEAR.fullmatch(a))

    def core_text(self) -> str:
        """The core (number or range with its multiplier) as strict-grammar text."""
        m = self.m
        groups = ["pm", "approx"] + ([] if self.is_range else ["open", "close"])
        edits = [(m.start(g), m.end(g), "") for g in groups if m.group(g)]
        if self.spread_power is not None:
            edits = [
                (a, b, " " + self.spread_power if a == m.start("pm") else r) for a, b, r in edits
            ]
        edits += [
            (m.start(g), m.end(g), f" x10^{_EXPONENT[m.group(g)]}")
            for g in ("aw", "word")
            if m.group(g)
        ]
        out, pos = [], m.start("core")
        for a, b, replacement in sorted(edits):
            out += [self.folded[pos:a], replacement]
            pos = b
        core = "".join(out) + self.folded[pos : m.end("core")]
        return _CARET_SPACE.sub("", _TIMES.sub("x", core))  # '10 ^6': an escape was folded

    def multiplier_text(self) -> str:
        """The multiplier a list's earlier levels share with its last one."""
        for group in ("apow", "pow"):
            if text := self.m.group(group):
                return " " + _CARET_SPACE.sub("", _TIMES.sub("x", text))
        for group in ("aw", "word"):
            if text := self.m.group(group):
                return f" x10^{_EXPONENT[text]}"
        return ""

    def lead_levels(self) -> list[re.Match[str]]:
        """The earlier levels of a list (``25, 50, 100 and 200 million``), or []."""
        m = self.m
        lead = m.group("lead")
        if not lead or self.is_range or m.group("abare") or m.group("pm"):
            return []
        numbers = list(_NUMBER.finditer(m.string, m.start("lead"), m.end("lead")))
        if any(_DECIMAL_COMMA_ITEM.fullmatch(n.group()) for n in numbers):
            return []  # '1,5 or 10': a decimal comma or a list; the last level alone is read
        values = [_value(n.group()) for n in numbers] + [_value(m.group("a"))]
        ascending = all(x < y for x, y in itertools.pairwise(values))
        if not ascending or (len(numbers) < 2 and not _CONJUNCTION.search(lead)):
            return []
        return numbers

    def between(self) -> bool:
        """``between 1 and 2 × 10⁶``: a range, not a list."""
        m = self.m
        return bool(_BETWEEN.fullmatch(m.group("lead") or "")) and self.folded[
            max(0, m.start() - 9) : m.start()
        ].rstrip().endswith("between")

    def bare_lost(self, tail: Tail) -> str | None:
        """``106 cells/kg``: a bare 10N with a cell word or basis, likely 10^N with its x lost."""
        a = self.m.group("a") or ""
        if (
            self.magnitude
            or self.is_range
            or not (tail.has_cells or tail.has_basis)
            or tail.counting
            or not _TEN_N.fullmatch(a)
        ):
            return None
        return a

    def is_dose(self, tail: Tail) -> bool:
        """Is this a dose at all (not a year, an age, a count of patients, a lab value)?"""
        m = self.m
        if tail.rejected:
            return False
        if self.m_word:
            return (
                tail.has_cells
                or tail.has_basis
                or bool(self.lead_levels())
                or (tail.ends_clause and dose_context(self.folded, m.start()))
            )
        if self.magnitude:
            if m.group("abare") and is_unit_header(self.folded, m.start("core"), tail.end):
                return False
            return tail.has_cells or tail.has_basis or m.group("abare") is None
        return (tail.has_cells or tail.has_basis) and not tail.counting

    def notes(self) -> list[str]:
        """Reasons to doubt the number itself, whatever the repairs."""
        m, notes = self.m, []
        if self.m_word:
            notes.append("'M' read as million (M can also mean milli- or molar)")
        if self.powers and any("," in (m.group(g) or "") for g in ("a", "b")):
            notes.append("a comma before a power of ten: a decimal comma or a thousands separator")
        if follows_product(self.folded, m.start()):
            notes.append("preceded by 'N ×': part of a product or a lost exponent")
        return notes


def extract(text: str) -> Extraction:
    """Every dose in ``text``, with spans into it; damaged notation is read but flagged.

    >>> e = extract("每次(1.0-1.5)×10*7个MSC; 3x107/人; 8.6亿; 2×10⁶個/kg")
    >>> [(d.low, d.high, d.basis, d.ambiguous) for d in e.doses]  # doctest: +NORMALIZE_WHITESPACE
    [(10000000.0, 15000000.0, 'per_patient', True), (30000000.0, 30000000.0, 'per_patient', True),
     (860000000.0, 860000000.0, 'per_patient', False), (2000000.0, 2000000.0, 'per_kg', False)]
    """
    if not isinstance(text, str):
        raise DoseSyntaxError("extract needs text", given=repr(text)[:80])
    folded = _fold(text)
    found: list[tuple[FoundDose, bool]] = []
    last_end = 0
    for m in _SCAN.finditer(folded):
        r = _Reading(m, folded)
        if m.start("core") < last_end or r.plain_small():
            continue
        lead_ok = not excluded_before(folded, m.start())
        if not lead_ok and (not m.group("lead") or excluded_before(folded, m.start("core"))):
            continue
        items = _read(r, text, lead_ok)
        if items:
            found.extend(items)
            last_end = items[-1][0].end
    found = _median_ranges(_with_numbers_in_words(found, folded, text), folded, text)
    found = _ranges_before_a_power(found, folded, text)
    found = _levels_with_counts(found, folded, text)
    return Extraction.model_construct(
        doses=share_bases([f for f, _ in found], [e for _, e in found], text)
    )


def _read(r: _Reading, text: str, lead_ok: bool) -> list[tuple[FoundDose, bool]]:
    """The dose (or the list of dose levels) of one scanner match, each with whether a basis
    was written."""
    m, folded = r.m, r.folded
    times = 1.0
    times_from: int | None = None  # where a number multiplying a bare power starts
    dot: str | None = None
    if m.group("abare"):  # 'two times 10^6': read the number in words, or refuse
        said = _WORD_TIMES.search(folded, max(0, m.start("core") - 48), m.start("core"))
        if said is not None:
            words = said["w"].split()
            values = [english_value(" ".join(words[k:])) for k in range(len(words))]
            if not any(values):
                return []
            times, times_from = float(next(v for v in values if v)), said.start()
        elif (
            dotted := _DOT_TIMES.search(folded, max(0, m.start("core") - 16), m.start("core"))
        ) is not None:
            # '0.5 . 10^6': a multiplication dot typed as a full stop
            times, times_from = _value(dotted["n"]), dotted.start()
            dot = f"'{dotted.group().strip()}' before 10^N read as a multiplication dot"
    tail = read_tail(folded, m.end("core"))
    lost = r.bare_lost(tail)
    if not lost and not r.is_dose(tail):
        return []
    start = m.start("core") if times_from is None else times_from
    before = prefix_basis(folded, m.start() if lead_ok else start)
    basis: Basis = tail.basis or before or "per_patient"
    notes = r.notes() + tail.reasons + ([dot] if dot else [])
    if before and tail.basis and before != tail.basis:
        notes.append(
            f"basis contradicts itself: {BASIS_WORDS[before]} before the number, "
            f"{BASIS_WORDS[tail.basis]} after it"
        )
    core = r.core_text()
    if lost:
        core = f"1x10^{lost[2:]}"
        notes.append(f"lost superscript: {lost} read as 10^{lost[2:]}")
    between = lead_ok and r.between()
    if between:
        core = f"{m.group('lead').split()[0]} - {core}"
        start = m.start("lead")
    parsed = _parse(core, basis, tail.cells)
    if parsed is None:
        return []
    if times != 1.0:
        parsed = (parsed[0] * times, parsed[1] * times, parsed[2])
    levels: list[tuple[int, int, float, float]] = []
    if lead_ok and not between:
        for n in r.lead_levels():
            level = _parse(n.group() + r.multiplier_text(), basis, tail.cells)
            if level is not None:
                levels.append((n.start(), n.end(), level[0], level[1]))
    levels.append((start, tail.end, parsed[0], parsed[1]))
    reasons = parsed[2] + notes
    if len(levels) == 1 and follows_fraction(folded, start):
        reasons.append("preceded by 'N/': a fraction or a list of levels")
    qualifier = qualifier_of(folded, levels[0][0], tail.end)
    explicit = bool(tail.basis or before)
    return [
        (_found(text, a, b, low, high, basis, tail.cells, reasons, qualifier), explicit)
        for a, b, low, high in levels
    ]


_LIST_GAP = re.compile(r"\s{0,2}(?:,\s{0,2}(?:or\s|and\s)?|\s(?:or|and)\s)\s{0,2}")


def _listed_before(
    found: list[tuple[FoundDose, bool]], i: int, folded: str, end: int
) -> FoundDose | None:
    """The dose a numeral in words stands before in a list (found[i], right after a comma or
    'or'), whose cell word and basis it shares; else None."""
    if i >= len(found) or not _LIST_GAP.fullmatch(folded, end, found[i][0].start):
        return None
    return found[i][0]


def _with_numbers_in_words(
    found: list[tuple[FoundDose, bool]], folded: str, text: str
) -> list[tuple[FoundDose, bool]]:
    """Add the counts written in words (四千多个MSC, two million cells/kg) that no other dose
    overlaps."""
    starts = [f.start for f, _ in found]
    extra = []
    for start, end, value, qualifier in chinese_numerals(folded) + english_numbers(folded):
        i = bisect.bisect_left(starts, end)  # found[:i] start before this numeral ends
        if i and found[i - 1][0].end > start:
            continue
        tail = read_tail(folded, end)
        if tail.rejected or tail.counting:
            continue  # 'two million people': not a dose
        listed = _listed_before(found, i, folded, end)  # 'Twenty million, 100 million … cells'
        # 'a single dose of one hundred million.': a count at the end of a clause about doses
        if not (tail.has_cells or tail.has_basis or listed is not None) and not (
            tail.ends_clause and dose_context(folded, start)
        ):
            continue
        before = prefix_basis(folded, start)
        basis: Basis = tail.basis or (listed.basis if listed else None) or before or "per_patient"
        try:
            dose = parse_dose(f"{value:.0f}{BASIS_SPELLING[basis]}")
        except MscdoseError:
            continue
        extra.append(
            (
                _found(
                    text,
                    start,
                    tail.end,
                    dose.low,
                    dose.high,
                    basis,
                    tail.cells,
                    tail.reasons,
                    qualifier,
                ),
                bool(tail.basis or before),
            )
        )
    return sorted(found + extra, key=lambda pair: pair[0].start) if extra else found
