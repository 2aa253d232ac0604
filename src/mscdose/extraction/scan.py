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
import math
import re

from mscdose.errors import DoseSyntaxError, MscdoseError
from mscdose.extraction.model import Extraction, FoundDose, Qualifier
from mscdose.extraction.rules import (
    BASIS_SPELLING,
    BASIS_WORDS,
    SUBSCRIPT,
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
    repair,
    share_bases,
)
from mscdose.models import Basis, CellKind
from mscdose.text.grammar import _SUPERSCRIPT_DIGITS, _TRANSLATE, _WORDS, LOST_POWER, parse_dose
from mscdose.text.numerals import english_value

# One character in, one character out, so that offsets in the folded text are offsets in the
# original: the strict grammar's table without the superscripts (kept to tell 10⁶ from 106).
_FOLD = {k: v for k, v in _TRANSLATE.items() if chr(k) not in _SUPERSCRIPT_DIGITS}
_FOLD.update({ord(c): "~" for c in "∼〜"})
_FOLD.update({ord(c): "/" for c in "⁄∕"})


# --- the scanner: bounded quantifiers only (no catastrophic backtracking) ---------------------

# thousands set apart by commas, or by spaces when there are two groups at least (1 000 000):
# in prose '3 100 cells' may be a table's 3 beside 100 cells
_NUM = (
    r"(?:[0-9]{1,3}(?:,[0-9]{3}){1,4}(?:\.[0-9]{1,6})?(?![0-9])"
    r"|[1-9][0-9]{0,2}(?:[ ][0-9]{3}){2,4}(?![0-9])"  # [ ]: the scanner is verbose
    r"|[0-9]{1,12}(?:[.,][0-9]{1,6})?(?![0-9])|\.[0-9]{1,6}(?![0-9]))"
)
_SUP = f"[{_SUPERSCRIPT_DIGITS}]"
_MUL = r"(?:x|\*|\\times|\\cdot|times(?=\s))"
_LOST_EXP = r"(?:[3-9]|1[0-5])(?![0-9.^*])"
_TEX_10 = r"\{?\s{0,2}10\s{0,2}\}?\s{0,2}\^\s{0,2}"
_TEX_OPEN, _TEX_CLOSE = r"(?:\\\(|\$)", r"(?:\\\)|\$)"
_TEX_EXP = r"\{\s{0,2}[0-9]{1,2}\s{0,2}\}"
_LATEX = (
    rf"(?:{_MUL}\s{{0,2}})?(?:{_TEX_OPEN}?\s{{0,2}}{_TEX_10}{_TEX_EXP}"
    rf"(?:\s{{0,2}}{_TEX_CLOSE})?|{_TEX_OPEN}\s{{0,2}}{_TEX_10}[0-9]{{1,2}}\s{{0,2}}{_TEX_CLOSE})"
)
_HTML = r"10\s?<sup>\s?[0-9]{1,2}\s?</sup>"
_BAREPOW = rf"""(?:10\s{{0,2}}(?:\^|\*\*)\s{{0,2}}\+?[0-9]{{1,2}}(?![0-9]) | 10⁺?{_SUP}{{1,2}}
  | 10{SUBSCRIPT}{{1,2}} | 10\(\s{{0,2}}[0-9]{{1,2}}\s{{0,2}}\) | 10\*[0-9]{{1,2}}(?![0-9.^*])
  | {_HTML} | {_LATEX})"""
_POW = rf"""(?:{_MUL}\s{{0,2}}(?:
      10\s{{0,2}}(?:\^|\*\*)\s{{0,2}}\+?[0-9]{{1,2}}(?![0-9])
    | 10\s?⁺?{_SUP}{{1,2}} | 10{SUBSCRIPT}{{1,2}} | {_HTML}
    | 10\s{{0,2}}\(\s{{0,2}}[0-9]{{1,2}}\s{{0,2}}\)
    | 10\s{{0,2}}\*\s{{0,2}}[0-9]{{1,2}}(?![0-9])
    | 10\s{{0,2}}e\s{{0,2}}\+?[0-9]{{1,2}}(?![0-9])
    | 10\s?{_LOST_EXP})
  | {_LATEX}
  | \^\s{{0,2}}10{_LOST_EXP}
  | 3\s{{1,2}}10{_LOST_EXP}
  | e\+?[0-9]{{1,2}}(?![0-9a-z]))"""
# '1.5 10^6': the × lost; '2 10 6', '2 106': the × and the superscript lost
_POW_NO_TIMES = (
    rf"(?<=\s)(?:10\s{{0,2}}(?:\^|\*\*)\s{{0,2}}\+?[0-9]{{1,2}}(?![0-9])"
    rf"|10⁺?{_SUP}{{1,2}}|10\s{{1,2}}{_LOST_EXP}|10{_LOST_EXP})"
)
_WORD = (
    r"(?:thousand|millions?|billions?|lakhs?|crores?|十万|百万|千万|万|亿"
    r"|십만|백만|천만|만|억|millones|milh(?:ões|oes|ão|ao)|mio\.|mln(?![a-z])"
    r"|m(?![a-z0-9²³]))"
)
_SEP = r"(?:,\s{1,2}(?:(?:and|or)\s)?|、|/|\s(?:and|or)\s|和|或|及|与)"
_SCAN = re.compile(
    rf"""(?<![a-z0-9_.^*/\\-])
    (?P<lead>(?:{_NUM}\s{{0,2}}{_SEP}\s{{0,2}}){{1,8}})?
    (?P<core>
      (?P<open>\(\s{{0,2}})?
      (?:(?P<abare>{_BAREPOW})
        |(?P<a>{_NUM})(?:\s{{0,2}}(?P<apow>{_POW}|{_POW_NO_TIMES}))?(?:\s{{0,2}}(?P<aw>{_WORD}))?)
      (?P<pm>\s{{0,2}}(?:±|\+/-)\s{{0,2}}{_NUM}(?:\s{{0,2}}{_POW})?)?
      (?:\s{{0,2}}(?:-|~|to(?=\s)|至|到)\s{{0,2}}
         (?:(?P<bbare>{_BAREPOW})|(?P<b>{_NUM})(?:\s{{0,2}}(?P<bpow>{_POW}))?))?
      (?(open)(?P<close>\s{{0,2}}\)))
      (?:\s{{0,2}}(?P<pow>{_POW}))?
      (?:\s{{0,2}}(?P<word>{_WORD}))?
      (?P<approx>\s?(?:多|余))?
    )""",
    re.VERBOSE,
)
_NUMBER = re.compile(_NUM)
_TIMES = re.compile(r"times(?=\s)")
_CARET_SPACE = re.compile(r"\s+(?=\^)")
_DOT_TIMES = re.compile(r"(?<![0-9.])(?P<n>[0-9]{1,3}(?:\.[0-9]{1,3})?)\s?[.·]\s{1,2}$")
# 'two times 10^6': a number in words multiplies a bare power of ten
_WORD_TIMES = re.compile(r"(?P<w>[a-z]+(?:[- ][a-z]+){0,3})\s{1,2}times\s{1,2}$")

# Every word multiplier is a power of ten: the strict grammar's words, plurals and 'M'.
_EXPONENT = {w: round(math.log10(v)) for w, v in _WORDS.items()}
_EXPONENT.update({"billions": 9, "lakhs": 5, "crores": 7, "m": 6})
# million in Spanish, Portuguese and German (Mio.), and the abbreviation mln
_EXPONENT.update(
    dict.fromkeys(("millones", "milhões", "milhoes", "milhão", "milhao", "mio.", "mln"), 6)
)
_TEN_N = re.compile(r"10(?:[3-9]|1[0-5])")
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
_CONJUNCTION = re.compile(r"\b(?:and|or)\b|和|或|及|与")
_BETWEEN = re.compile(rf"{_NUM}\s{{0,2}}\sand\s\s{{0,2}}")
_DECIMAL_COMMA_ITEM = re.compile(r"\d+,\d{1,2}")


# Same-length rewrites of writing that hides a dose: Markdown and registry exports escape
# '*' and '^' (5 \\* 10\\^6), and a hyphen ties a number to its multiplier (300-million).
_ESCAPE = re.compile(r"\\(?=[*^])")
_TIED_WORD = re.compile(r"(?<=[0-9])-(?=(?:thousand|million|billion)s?(?![a-z]))")
# Japanese writes 10⁶ as 10の6乗 ("10 to the 6th power"): the same length as 10^6 and a space
_JA_POWER = re.compile(r"(?<=10)の(?=[0-9]{1,2}乗)")
_JA_POWER_END = re.compile(r"(?<=[0-9])乗")


def _fold(text: str) -> str:
    """Same length as ``text``: symbols folded to ASCII, lower case, superscripts kept."""
    folded = text.translate(_FOLD)
    lowered = folded.lower()
    if len(lowered) != len(folded):
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)
    lowered = _TIED_WORD.sub(" ", _ESCAPE.sub(" ", lowered))
    if "乗" in lowered:
        lowered = _JA_POWER_END.sub(" ", _JA_POWER.sub("^", lowered))
    return lowered


def _value(number: str | None) -> float:
    try:
        return float((number or "").replace(",", "").replace(" ", ""))
    except ValueError:
        return 0.0


class _Reading:
    """What one scanner match says, before it becomes one FoundDose per level."""

    def __init__(self, m: re.Match[str], folded: str) -> None:
        self.m, self.folded = m, folded
        word = m.group("word") or m.group("aw")
        self.m_word = word == "m"
        self.powers = bool(
            m.group("apow")
            or m.group("bpow")
            or m.group("pow")
            or m.group("abare")
            or m.group("bbare")
        )
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


def _parse(core: str, basis: Basis, cells: CellKind) -> tuple[float, float, list[str]] | None:
    """Low, high and the repairs made, or None when even the repaired text is not a dose."""
    strict, reasons = repair(core)
    tail = (" viable cells" if cells == "viable" else "") + BASIS_SPELLING[basis]
    try:
        dose = parse_dose(strict + tail)
    except MscdoseError:
        return None
    return dose.low, dose.high, reasons


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


_MEDIAN = re.compile(r"(?:median|mean|average)(?:\s{1,2}dose)?(?:\s{1,2}of)?\s{1,2}$")
_RANGE_AFTER = re.compile(
    rf"\s{{0,2}}[(\[]\s{{0,2}}(?:range|iqr)[,:]?\s{{0,2}}(?P<a>{_NUM})\s{{0,2}}(?:-|~|to)\s{{0,2}}"
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


def _found(
    text: str,
    start: int,
    end: int,
    low: float,
    high: float,
    basis: Basis,
    cells: CellKind,
    reasons: list[str],
    qualifier: Qualifier | None,
) -> FoundDose:
    why = list(reasons)
    if basis == "per_kg" and high > 1e8:
        why.append(
            "more than 10^8 cells per kg, above any reported MSC dose: "
            "perhaps a flat dose written per kg"
        )
    return FoundDose.model_construct(
        text=text[start:end],
        start=start,
        end=end,
        low=low,
        high=high,
        basis=basis,
        cells=cells,
        ambiguous=bool(why),
        reason="; ".join(why) or None,
        qualifier=qualifier,
    )


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
        if not (tail.has_cells or tail.has_basis) or tail.rejected or tail.counting:
            continue  # 'two million people': not a dose
        before = prefix_basis(folded, start)
        basis: Basis = tail.basis or before or "per_patient"
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


# A power of ten written once after ranges: 'median 1.55 (ranging from 0.84 to 2.56) × 10⁶/kg'
# (the range, the median typical), '1–2 or 3–4 × 10⁶ MSC/kg' (two ranges sharing the power).
_RANGE = rf"(?P<@a>{_NUM})\s{{0,2}}(?:-|~|to)\s{{0,2}}(?P<@b>{_NUM})"
_SHARED_POWER = re.compile(
    rf"""(?:(?P<m>{_NUM})\s{{0,2}}\(\s{{0,2}}(?:range[,:]?|ranging\s{{1,2}}from)\s{{0,2}}
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
    kept = [
        (f, x) for f, x in found if not any(a <= f.start < b or a < f.end <= b for a, b in covered)
    ]
    return sorted(kept + spans, key=lambda pair: pair[0].start)


# Levels listed with their patients: 'either 1 (n = 3), 2 (n = 3), or 4 (n = 3) million MSCs
# per kg' (the multiplier written once, after the last level)
_COUNT = r"\(\s{0,2}n\s{0,2}=\s{0,2}[0-9]{1,4}\s{0,2}\)"
_LEVEL = rf"{_NUM}\s{{0,2}}(?:{_COUNT})?"
_LEVELS_WITH_COUNTS = re.compile(
    rf"(?P<levels>{_LEVEL}(?:\s{{0,2}}(?:,\s{{0,2}}(?:or\s|and\s)?|or\s|and\s)\s{{0,2}}{_LEVEL}){{1,7}})"
    rf"\s{{0,2}}(?:(?P<pow>{_POW})|(?P<word>{_WORD}))"
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
    kept = [
        (f, x) for f, x in found if not any(a <= f.start < b or a < f.end <= b for a, b in covered)
    ]
    return sorted(kept + out, key=lambda pair: pair[0].start)
