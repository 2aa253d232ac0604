"""The strict dose grammar: text → :class:`Dose`. It refuses what can be read two ways.

Accepted (see the README for the full list): ``2x10^6 cells/kg``, ``2e6/kg``,
``1.4 × 10⁸ cells``, ``(1.0-1.5)×10^7``, ``1-2 x10^6/kg``, ``100 million cells``,
``8.6亿``, ``3x10^7 per patient``, ``5 x 10^7 viable cells/m2``; numbers in words
(``two million``, ``三千万``) and spaced thousands (``2 000 000``) when the grammar alone
does not fit.

Refused with a hint naming the likely meaning: ``10*7`` (UCUM's 10⁷, but 70 in
code), ``2 × 106/kg``, ``2X107``, ``2 10 6`` and ``15.107`` (lost superscripts),
``2 106`` (2,106 or 2×10⁶), ``10e6`` (10⁷ as written, 10⁶ as usually meant), ``1,5``
(decimal comma), ``.5`` (naked decimal), ``5M`` (write million), ``一千五`` (1500 as said,
1005 as written), zero, negative, inverted and non-finite doses.
"""

from __future__ import annotations

import math
import re
from typing import NoReturn

from mscdose.errors import AmbiguousNotationError, DoseSyntaxError
from mscdose.models import Basis, CellKind, Dose
from mscdose.text.numerals import EN_WORDS, chinese_value, spell_english

# A dose above this is more cells than a human body holds (~3.7 × 10¹³): surely a slip.
MAX_CELLS = 1e14
MAX_LENGTH = 120

_SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_TRANSLATE = {ord(c): str(i) for i, c in enumerate(_SUPERSCRIPT_DIGITS)}
_FULL_WIDTH = {0xFF01 + i: chr(0x21 + i) for i in range(0x5E)}  # full-width ASCII
_TRANSLATE.update(_FULL_WIDTH)
_TRANSLATE.update(
    {
        ord("\u3000"): " ",
        ord("\u00a0"): " ",
        ord("\u202f"): " ",
        ord("\u2009"): " ",
        ord("\u2007"): " ",  # thin and figure spaces: SI's thousands separators
        ord("–"): "-",
        ord("—"): "-",
        ord("−"): "-",
        ord("‐"): "-",
        ord("～"): "~",
        ord("·"): "x",
        ord("⋅"): "x",
        ord("∙"): "x",
        ord("✕"): "x",
        ord("╳"): "x",
        ord("×"): "x",
        ord("＊"): "*",
        ord("²"): "2",
        ord("³"): "3",
        ord("萬"): "万",
        ord("億"): "亿",
        ord("個"): "个",
    }
)
_SUPERSCRIPT_RUN = re.compile(f"10([⁺⁻]?[{_SUPERSCRIPT_DIGITS}]+)")

_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_POW = r"(?:[x*]\s*10\s*(?:\^|\*\*)\s*\+?(?P<{0}>\d{{1,3}})|e\+?(?P<{1}>\d{{1,3}}))"
_WORDS: dict[str, float] = {
    "thousand": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
    "lakh": 1e5,
    "crore": 1e7,
    "万": 1e4,
    "十万": 1e5,
    "百万": 1e6,
    "千万": 1e7,
    "亿": 1e8,
    "만": 1e4,
    "십만": 1e5,
    "백만": 1e6,
    "천만": 1e7,
    "억": 1e8,  # Korean
}
_WORD = "|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True))
# cells, MSCs (hMSCs, UC-MSCs, BM-MSCs …), mesenchymal stem/stromal cells, 个, 细胞, 间充质干细胞
_CELLWORD = (
    r"(?P<viable>viable\s*)?(?:(?:human\s+)?(?:mesenchymal\s+)?"
    r"(?:stem|stromal|stem/stromal|stromal/stem)\s+cells?|(?:[a-z]{1,4}-)?h?mscs?|cells?"
    r"|个?(?:间充质干细胞|干细胞|细胞|mscs?)|个|개)?"
)
_BASES: dict[str, Basis] = {}
for _basis, _spellings in {
    "per_kg": [
        "/kg",
        "per kg",
        "/kg body weight",
        "/kg bw",
        "per kg body weight",
        "/kg of body weight",
        "per kilogram",
        "per kilogram of body weight",
        "per kilogram body weight",
        "/公斤",
        "/千克",
        "每公斤",
        "/kg 体重",
        "/公斤 体重",
        "/千克 体重",
        "每公斤 体重",
        "每千克 体重",
        "每千克",
    ],
    "per_patient": [
        "/patient",
        "per patient",
        "/person",
        "per person",
        "/人",
        "每人",
        "total",
        "/dose",
        "per dose",
        "in total",
    ],
    "per_m2": ["/m2", "per m2", "/m^2", "per m^2", "/square meter", "per square meter"],
    "per_cm2": ["/cm2", "per cm2", "/cm^2", "per cm^2"],
    "per_ml": [
        "/ml",
        "per ml",
        "per milliliter",
        "per millilitre",
        "/cm3",
        "/cm^3",
        "per cm3",
        "per cm^3",
        "/cc",
    ],
}.items():
    for _spelling in _spellings:
        _BASES[_spelling] = _basis  # type: ignore[assignment]
# a matched basis: as spelled, or with its spaces left out (the pattern makes them optional)
_BASE_OF = {"".join(k.split()): v for k, v in _BASES.items()} | _BASES
_BASIS = "|".join(
    re.escape(b).replace(r"\ ", r"\s*") for b in sorted(_BASES, key=len, reverse=True)
)

_GRAMMAR = re.compile(
    rf"""^
    (?P<open>\()?\s*
    (?P<a>{_NUM})\s*{_POW.format("ae", "aE")}?\s*
    (?:(?:-|~|\bto\b|至)\s*(?P<b>{_NUM})\s*{_POW.format("be", "bE")}?\s*)?
    (?(open)\)\s*)
    {_POW.format("pe", "pE")}?\s*
    (?P<word>{_WORD})?\s*
    {_CELLWORD}\s*
    (?P<basis>{_BASIS})?
    $""",
    re.VERBOSE,
)

# Notation that can be read two ways: refuse, and name the likely meaning.
_UCUM = re.compile(r"(?<![\d.])(?P<mant>[\d.]+\s*x\s*)?10\s*\*\s*(?P<exp>\d{1,2})(?!\s*\*)")
_LOST_SUPERSCRIPT = re.compile(r"(?P<mant>[\d.]+)?\s*x\s*10\s?(?P<exp>\d{1,2})(?![\d.^*])")
_TEN_E = re.compile(r"(?P<mant>[\d.]+\s*x\s*)?(?<![\d.])10\s*e\s*\+?(?P<exp>\d{1,2})")
_CARET_LOST = re.compile(r"(?P<mant>\d+(?:\.\d+)?)\s*\^\s*10(?P<exp>\d{1,2})\b")
# '2 10 6/kg', '10 6': the × and the superscript both lost, the exponent left standing apart
_SPACED_SUPERSCRIPT = re.compile(r"^(?:(?P<mant>\d+(?:\.\d+)?) )?10 (?P<exp>[3-9]|1[0-4])(?![\d.])")
# '15.107': 15·10⁷, a multiplication dot read as a decimal point (mant ends with the point);
# '1.5107': 1.5 × 10⁷, the × lost; both with the superscript lost
LOST_POWER = re.compile(r"(?P<mant>[0-9]{1,3}\.(?:[0-9]{1,3}?(?=10))?)10(?P<exp>[3-9]|1[0-4])")
_DECIMAL_COMMA = re.compile(r"\d,(?:\d{1,2}|\d{4,})(?!\d)")
_NAKED_DECIMAL = re.compile(r"(?<![\d])\.\d")
_LETTER_SUFFIX = re.compile(r"(?<![\w^])(?P<num>\d+(?:\.\d+)?)\s*(?P<s>[mkb])(?![a-z²2])")
_NON_FINITE = re.compile(r"\b(?:nan|inf|infinity)\b")
_NEGATIVE = re.compile(r"^\(?\s*-\s*[\d.]")
_UNKNOWN_BASIS = re.compile(r"(?:/|\bper\b)\s*\S+\s*$")
_KNOWN_BASIS = re.compile(rf"(?:{_BASIS})$")
_EXPONENT_WORDS = re.compile(r"x\s*10\s*(?:\^|\*\*)\s*-")


def normalize(text: str) -> str:
    """Fold the many ways of typing the same symbol into one (keeps case-insensitive words)."""
    if text.isascii():  # every symbol folded below is outside ASCII
        return " ".join(text.lower().split())
    text = text.translate(_FULL_WIDTH)  # first: full-width １０ must meet the superscript rule
    text = _SUPERSCRIPT_RUN.sub(
        lambda m: "10^" + m.group(1).translate(_TRANSLATE).replace("⁻", "-").replace("⁺", ""), text
    )
    text = text.translate(_TRANSLATE).lower()
    return " ".join(text.split())


def _likely(mant: str | None, exp: str) -> tuple[str, float | None]:
    """``('2×10⁷', 2e7)`` for the reading a lost notation most likely meant."""
    sup = exp.translate(str.maketrans("0123456789", _SUPERSCRIPT_DIGITS))
    m = (mant or "").replace("x", "").strip()
    try:
        value = float(m or "1") * 10 ** int(exp)
    except ValueError:
        value = None
    return (f"{m}×10{sup}" if m else f"10{sup}"), value


def _refuse_ambiguous(original: str, text: str) -> None:
    """Raise for the notations that must never be guessed."""
    if m := _UCUM.search(text):
        shown, value = _likely(m.group("mant"), m.group("exp"))
        exp = m.group("exp")
        raise AmbiguousNotationError(
            f"'{original}': '10*{exp}' is UCUM's spelling of 10^{exp} but means "
            f"10 times {exp} in code, so it is not read",
            given=original,
            likely=value,
            hint=f"likely {shown}; write it as 10^{exp} or e{exp}",
        )
    if m := _TEN_E.search(text):
        shown, value = _likely(m.group("mant"), m.group("exp"))
        exp = int(m.group("exp"))
        mant = (m.group("mant") or "1").replace("x", "").strip()
        raise AmbiguousNotationError(
            f"'{original}': '10e{exp}' is 10^{exp + 1} as written but is often meant as 10^{exp}",
            given=original,
            likely=value,
            hint=f"write {mant}e{exp} (= {mant}x10^{exp}) "
            f"or {mant}e{exp + 1} if 10^{exp + 1} was meant",
        )
    if m := _CARET_LOST.search(text):
        shown, value = _likely(m.group("mant"), m.group("exp"))
        raise AmbiguousNotationError(
            f"'{original}' looks like {shown} with its 'x 10' and superscript lost",
            given=original,
            likely=value,
            hint=f"write {m.group('mant')}x10^{m.group('exp')}",
        )
    if m := _SPACED_SUPERSCRIPT.search(text):
        shown, value = _likely(m.group("mant"), m.group("exp"))
        mant = m.group("mant") or "1"
        raise AmbiguousNotationError(
            f"'{original}' looks like {shown} with its × and superscript lost",
            given=original,
            likely=value,
            hint=f"write {mant}x10^{m['exp']} or {mant}e{m['exp']}",
        )
    if m := _LOST_SUPERSCRIPT.search(text):
        shown, value = _likely(m.group("mant"), m.group("exp"))
        mant = (m.group("mant") or "1").strip()
        exp = m.group("exp")
        raise AmbiguousNotationError(
            f"'{original}' looks like {shown} with its superscript lost",
            given=original,
            likely=value,
            hint=f"write {mant}x10^{exp} or {mant}e{exp}",
        )
    if m := _DECIMAL_COMMA.search(text):
        raise AmbiguousNotationError(
            f"'{original}': '{m.group()}' may be a decimal comma or a thousands separator",
            given=original,
            hint="write decimals with a point (1.5) and thousands as 1,000,000",
        )
    if _NAKED_DECIMAL.search(text):
        raise AmbiguousNotationError(
            f"'{original}' has a naked decimal point, easily read as a whole number",
            given=original,
            hint="write a leading zero, e.g. 0.5",
        )
    if m := _LETTER_SUFFIX.search(text):
        word = {"m": "million", "k": "thousand", "b": "billion"}[m.group("s")]
        raise AmbiguousNotationError(
            f"'{original}': the suffix '{m.group('s')}' is not read as a multiplier "
            "(M can mean million or milli-)",
            given=original,
            hint=f"write '{m.group('num')} {word}' or use a power of ten",
        )


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def parse_dose(text: str, *, ucum: bool = False) -> Dose:
    """Read a dose expression strictly; with ``ucum``, UCUM's units as FHIR systems write
    them (``10*6/kg``, ``10*6{cells}/kg``: there 10*6 means 10⁶ exactly).

    >>> parse_dose("2x10^6 cells/kg")
    Dose(low=2000000.0, high=2000000.0, basis='per_kg', cells='total')
    >>> parse_dose("(1.0-1.5)×10^7").high
    15000000.0
    >>> parse_dose("8.6亿").low
    860000000.0
    >>> parse_dose("2.10*6{cells}/kg", ucum=True).low
    2000000.0
    """
    if ucum and isinstance(text, str):
        text = from_ucum(text)
    low, high, basis, cells = read_dose(text)
    return Dose.model_construct(low=low, high=high, basis=basis, cells=cells)


# UCUM: '10*6' is 10⁶, '.' multiplies ('2.10*6' is 2 × 10⁶), '{cells}' is an annotation
_UCUM_POWER = re.compile(r"(?:(?<=[0-9])\.)?10\*([+]?[0-9]{1,2})")
_UCUM_ANNOTATION = re.compile(r"\{([^{}]{0,40})\}")


def from_ucum(text: str) -> str:
    """A UCUM dose written in mscdose's grammar: ``2.10*6{cells}/kg`` → ``2x10^6 cells/kg``."""
    text = _UCUM_ANNOTATION.sub(lambda m: " " + m.group(1) + " ", text)
    text = _UCUM_POWER.sub(
        lambda m: ("x" if m.group().startswith(".") else "") + "10^" + m.group(1), text
    )
    return " ".join(text.split()).replace(" /", "/")


def read_dose(text: str) -> tuple[float, float, Basis, CellKind]:
    """:func:`parse_dose` as plain values (low, high, basis, cells), for the batch hot path.

    >>> read_dose("1-2e6/kg")
    (1000000.0, 2000000.0, 'per_kg', 'total')
    """
    plain = _PLAIN.fullmatch(text) if isinstance(text, str) else None
    if plain is not None and (plain[3] is None or plain[1] != "10"):  # 10e6 is refused below
        low = float(plain[1]) * float("1e" + (plain[2] or plain[3]))  # as _build computes it
        if 1 <= low <= MAX_CELLS:
            return low, low, "per_kg" if plain[4] else "per_patient", "total"
    return _read(text)


# The forms scripts write most ("2.5x10^6/kg", "2e6 cells/kg", "1.4x10^8"), read without the
# general grammar; anything else, or out of range, goes through it. Held equal to it by
# tests/test_expression.py.
_PLAIN = re.compile(r"(\d+(?:\.\d+)?)(?:x10\^(\d{1,2})|e(\d{1,2}))(?: cells)?(/kg)?")


def _read(text: str) -> tuple[float, float, Basis, CellKind]:
    if not isinstance(text, str):
        raise DoseSyntaxError("a dose must be text", given=repr(text))
    if len(text) > MAX_LENGTH:  # no dose is this long; and it bounds the work on any input
        raise DoseSyntaxError(
            f"a dose expression of {len(text)} characters is too long",
            given=text[:40] + "…",
            hint=f"write one dose of at most {MAX_LENGTH} characters, e.g. "
            "'2x10^6 cells/kg'; 'mscdose extract' reads doses in text",
        )
    original = " ".join(text.split())
    if not original:
        raise DoseSyntaxError(
            "the dose is empty", given=text, hint="write e.g. '2x10^6 cells/kg' or '1e8 cells'"
        )
    s = normalize(text)
    if s.startswith("10^") or s.startswith("10**"):  # a power of ten alone: 10^6 = 1×10^6
        s = "1x" + s
    m = _GRAMMAR.match(s)
    if m is None and (digits := _in_digits(s, original)) != s:
        s, m = digits, _GRAMMAR.match(digits)  # numbers in words or spaced thousands
    # 10e6 fits the grammar but must be refused; only text with an e-power can hold it
    if m is None or ((m["aE"] or m["bE"] or m["pE"]) and _TEN_E.search(s)):
        _refuse(original, s)
    return _build(m, original)


_CHINESE_NUMERAL = re.compile(r"(?<![\d.])[零〇一二两三四五六七八九十百千万亿]+")
_SPACED_THOUSANDS = re.compile(r"(?<![\d.])[1-9]\d{0,2}(?: \d{3})+(?!\d)")
_SPACED_EXPONENT = re.compile(r"^(?P<mant>[1-9]\d{0,2}) (?P<exp>10[3-9])$")
# 一千五 is said for 1500 but reads as 1005 (1500 is 一千五百, 1005 一千零五)
_CHINESE_SHORT = re.compile(
    r"[一二两三四五六七八九](?P<unit>[千百])(?P<digit>[一二三四五六七八九])"
    r"(?![十百千])"
)


def _in_digits(s: str, original: str) -> str:
    """Numbers written in words (三千万, two million) and thousands set apart by spaces
    (2 000 000, as SI and Canadian nursing style write them) in digits; ``2 106`` is refused:
    2,106, or 2×10⁶ with its × and superscript lost."""
    if not s.isascii() and _CHINESE_NUMERAL.search(s):
        if m := _CHINESE_SHORT.search(s):
            said = m.group() + ("百" if m["unit"] == "千" else "十")  # 一千五 → 一千五百
            read = f"{m.group()[:2]}零{m['digit']}"  # as written: 一千零五
            raise AmbiguousNotationError(
                f"'{original}': '{m.group()}' is said for {said} but reads as {read}",
                given=original,
                hint=f"write {said} or {read}, or use digits",
            )
        s = _CHINESE_NUMERAL.sub(
            lambda m: str(v) if (v := chinese_value(m.group())) is not None else m.group(), s
        )
    if not EN_WORDS.isdisjoint(s.replace("-", " ").split()):
        s = spell_english(s)
    for m in _SPACED_THOUSANDS.finditer(s):
        if e := _SPACED_EXPONENT.match(m.group()):
            shown, value = _likely(e["mant"], e["exp"][2:])
            raise AmbiguousNotationError(
                f"'{original}': '{m.group()}' may be {m.group().replace(' ', ',')} (a space "
                f"between thousands) or {shown} with its × and superscript lost",
                given=original,
                likely=value,
                hint=f"write {m.group().replace(' ', ',')} or {e['mant']}x10^{e['exp'][2:]}",
            )
    return _SPACED_THOUSANDS.sub(lambda m: m.group().replace(" ", ""), s)


def _refuse_lost_power(original: str, a: str, b: str | None) -> None:
    """A bare decimal ending in 10 and an exponent ('15.107', '1.5107') is a power of ten lost
    in copying, not a count of cells: name it."""
    for number in (a, b):
        if number is None or (m := LOST_POWER.fullmatch(number)) is None:
            continue
        mant = m["mant"].rstrip(".")
        shown, likely = _likely(mant, m["exp"])
        how = "a multiplication dot read as a decimal point" if m["mant"].endswith(".") else "its ×"
        raise AmbiguousNotationError(
            f"'{original}': {number} looks like {shown} with {how} and the superscript lost",
            given=original,
            likely=likely,
            hint=f"write {mant}x10^{m['exp']}",
        )


def _refuse(original: str, s: str) -> NoReturn:
    """Say why ``s`` is not a dose: the most specific reason first."""
    if _NON_FINITE.search(s):
        raise DoseSyntaxError(
            f"'{original}' is not a finite number of cells",
            given=original,
            hint="write a number such as 2x10^6",
        )
    if _NEGATIVE.search(s) or _EXPONENT_WORDS.search(s):
        raise DoseSyntaxError(
            f"'{original}': a dose must be a positive number of whole cells",
            given=original,
            hint="write e.g. 2x10^6",
        )
    _refuse_ambiguous(original, s)
    basis = _UNKNOWN_BASIS.search(s)
    if basis and not _KNOWN_BASIS.search(s):
        raise DoseSyntaxError(
            f"'{original}': unknown basis '{basis.group().strip()}'",
            given=original,
            hint="use /kg, /patient (or none), /m2, /cm2 or /mL",
        )
    raise DoseSyntaxError(
        f"cannot read '{original}' as a dose",
        given=original,
        hint="write a number or range, a power of ten and a basis, e.g. "
        "'2x10^6 cells/kg', '1-2e6/kg', '100 million cells', '3x10^7 per patient'",
    )


def _build(m: re.Match[str], original: str) -> tuple[float, float, Basis, CellKind]:
    """A matched expression's low, high, basis and cells, after every refusal."""
    a, b, viable, spelled_basis = m.group("a", "b", "viable", "basis")
    a_pow, b_pow, factor = _multipliers(m, original)
    low = _number(a) * (a_pow if a_pow is not None else factor)
    high = _number(b) * (b_pow if b_pow is not None else factor) if b is not None else low
    _refuse_out_of_bounds(low, high, original)
    basis: Basis = (
        "per_patient"
        if not spelled_basis
        else _BASE_OF.get(spelled_basis) or _BASE_OF["".join(spelled_basis.split())]
    )
    cells: CellKind = "viable" if viable else "total"
    return low, high, basis, cells


def _multipliers(m: re.Match[str], original: str) -> tuple[float | None, float | None, float]:
    """(power of the low end, power of the high end, the factor both share): '1-2 x10^6' puts
    the power after a range on both ends; two powers for one number, a power and a word, or a
    power on one end only are refused."""
    a, b, ae, a_e, be, b_e, pe, p_e, spelled_word = m.group(
        "a", "b", "ae", "aE", "be", "bE", "pe", "pE", "word"
    )
    # a power as written, or None; 1e400 is inf, refused by the caller
    a_pow = None if ae is None and a_e is None else float("1e" + (ae or a_e))
    b_pow = None if be is None and b_e is None else float("1e" + (be or b_e))
    common = None if pe is None and p_e is None else float("1e" + (pe or p_e))
    word = _WORDS[spelled_word] if spelled_word else None
    has_b = b is not None
    if common is not None and (a_pow is not None or b_pow is not None):
        raise DoseSyntaxError(
            f"'{original}' has two powers of ten for one number",
            given=original,
            hint="write one, e.g. '1-2x10^6' or '1x10^6-2x10^6'",
        )
    if word is not None and (a_pow or b_pow or common):
        raise DoseSyntaxError(
            f"'{original}' has both a power of ten and a word multiplier",
            given=original,
            hint="write one of them, e.g. '2x10^6' or '2 million'",
        )
    if has_b and a_pow is not None and b_pow is None:
        raise DoseSyntaxError(
            f"'{original}': only one end of the range has a power of ten",
            given=original,
            hint="put it on both ends ('1x10^6-2x10^6') or after the range ('1-2x10^6')",
        )
    if a_pow is not None and not has_b:
        common, a_pow = a_pow, None
    if has_b and a_pow is None and b_pow is not None and common is None:
        common, b_pow = b_pow, None  # '1-2 x10^6': the multiplier after a range applies to both
    if common is None and word is None and a_pow is None and b_pow is None:
        _refuse_lost_power(original, a, b)
    return a_pow, b_pow, common if common is not None else (word if word is not None else 1.0)


def _refuse_out_of_bounds(low: float, high: float, original: str) -> None:
    """Refuse what no dose can be: overflowing, zero or less, backwards, more cells than a body
    holds, or less than one cell."""
    if not (math.isfinite(low) and math.isfinite(high)):
        raise DoseSyntaxError(
            f"'{original}' overflows", given=original, hint="check the power of ten"
        )
    if low <= 0 or high <= 0:
        raise DoseSyntaxError(
            f"'{original}': a dose must be more than zero cells",
            given=original,
            hint="write e.g. 2x10^6",
        )
    if low > high:
        raise DoseSyntaxError(
            f"'{original}': the range runs backwards (low end above high end)",
            given=original,
            hint="write the smaller number first",
        )
    if high > MAX_CELLS:
        raise DoseSyntaxError(
            f"'{original}' is more cells than a human body holds (~3.7 × 10¹³)",
            given=original,
            hint="check the power of ten",
        )
    if low < 1:
        raise DoseSyntaxError(
            f"'{original}' is less than one cell", given=original, hint="check the power of ten"
        )
