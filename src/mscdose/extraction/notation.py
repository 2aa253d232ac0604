"""How doses are written, for the scanner: the patterns of numbers, powers of ten and word
multipliers, the same-length fold of the text, and a reading turned into a found dose."""

from __future__ import annotations

import math
import re

from mscdose.errors import MscdoseError
from mscdose.extraction.model import FoundDose, Qualifier
from mscdose.extraction.rules import BASIS_SPELLING, SUBSCRIPT, repair
from mscdose.models import Basis, CellKind
from mscdose.text.grammar import _SUPERSCRIPT_DIGITS, _TRANSLATE, _WORDS, parse_dose

# One character in, one character out, so that offsets in the folded text are offsets in the
# original: the strict grammar's table without the superscripts (kept to tell 10⁶ from 106).
_FOLD = {k: v for k, v in _TRANSLATE.items() if chr(k) not in _SUPERSCRIPT_DIGITS}
_FOLD.update({ord(c): "~" for c in "∼〜"})
_FOLD.update({ord(c): "/" for c in "⁄∕"})
_FOLD[ord("⨯")] = "x"  # U+2A2F, the vector cross product, typed for × (Korean labels)


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
_SPREAD = re.compile(
    rf"\s{{0,2}}(?:±|\+/-)\s{{0,2}}{_NUM}(?:\s{{0,2}}(?P<pow>{_POW}))?", re.VERBOSE
)
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
# The Lancet's middle-dot decimal: '1·6×10⁶' is 1.6 × 10⁶ (a dot before a × is no product)
_MIDDOT_DECIMAL = re.compile(r"(?<=[0-9])[·•](?=[0-9]{1,3}\s{0,2}[x×*]\s{0,2}10)")
_JA_POWER = re.compile(r"(?<=10)の(?=[0-9]{1,2}乗)")
_JA_POWER_END = re.compile(r"(?<=[0-9])乗")


def _fold(text: str) -> str:
    """Same length as ``text``: symbols folded to ASCII, lower case, superscripts kept."""
    folded = _MIDDOT_DECIMAL.sub(".", text).translate(_FOLD)
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


def _parse(core: str, basis: Basis, cells: CellKind) -> tuple[float, float, list[str]] | None:
    """Low, high and the repairs made, or None when even the repaired text is not a dose."""
    strict, reasons = repair(core)
    tail = (" viable cells" if cells == "viable" else "") + BASIS_SPELLING[basis]
    try:
        dose = parse_dose(strict + tail)
    except MscdoseError:
        return None
    return dose.low, dose.high, reasons


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
