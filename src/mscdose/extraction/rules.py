"""What surrounds a number in free text, and how damaged notation is undone; for
:mod:`mscdose.extraction.scan`.

The words after a number give its cell word and basis and say whether it is a dose at all; the
words before it give qualifiers (≥, about), CJK bases (每公斤, 体重1kgあたり) and exclusions
(``1 in 10^4``, ``SD``, ``n =``). Every pattern is anchored at a position or searches a short
window, with bounded quantifiers, so each call costs constant time. The functions read the
*folded* text: lower case, symbols folded, the same length as the original.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from mscdose.extraction.model import FoundDose
from mscdose.models import Basis, CellKind
from mscdose.text.grammar import (
    _CARET_LOST,
    _DECIMAL_COMMA,
    _LOST_SUPERSCRIPT,
    _NAKED_DECIMAL,
    _TEN_E,
    _UCUM,
    LOST_POWER,
    normalize,
)
from mscdose.text.numerals import EN_NUMBER, chinese_value, english_value

SUBSCRIPT = "[₀₁₂₃₄₅₆₇₈₉]"
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
# How extract writes a basis for the strict grammar, and for people.
BASIS_SPELLING: dict[str, str] = {
    "per_kg": "/kg",
    "per_patient": "",
    "per_m2": "/m2",
    "per_cm2": "/cm2",
    "per_ml": "/ml",
}
BASIS_WORDS: dict[str, str] = {
    "per_kg": "per kg",
    "per_patient": "per patient",
    "per_m2": "per m²",
    "per_cm2": "per cm²",
    "per_ml": "per mL",
}

# 'per', and the words that say it: by kilogram, for each square centimetre, por kg, pro kg
_PER = r"(?:/|per\s{1,2}|by\s{1,2}|(?:for\s{1,2})?each\s{1,2}|por\s{1,2}|pro\s{1,2}|每)\s{0,2}"
_SQ = r"\s?(?:2|²|\^\s?2)(?![0-9])"
_BASIS = re.compile(
    rf"""\s{{0,2}}(?:\*{{1,2}}\s?)?(?:
    (?P<per_kg>{_PER}(?:1\s?)?(?:kgr?|kilo(?:gram)?s?|公斤|千克)(?![a-z])
        (?:\s{{0,2}}(?:of\s{{1,2}})?(?:actual\s{{1,2}})?(?:body\s{{0,2}}weight|bw|b\.w\.|体重))?)
  | (?P<si_kg>(?:\s{{1,2}}|x)kg\s?(?:-1|⁻¹|\^\s?-1)(?![0-9]))
  | (?P<per_m2>{_PER}(?:m{_SQ}|square\s{{1,2}}met(?:er|re)s?|sq\.?\s?m(?![a-z]))
        (?:\s{{0,2}}(?:of\s{{1,2}})?(?:bsa|body\s{{1,2}}surface\s{{1,2}}area))?)
  | (?P<per_cm2>{_PER}(?:1\s?)?(?:cm{_SQ}|square\s{{1,2}}centimet(?:er|re)s?|sq\.?\s?cm(?![a-z]))
        (?:\s{{0,2}}of\s{{1,2}}(?:the\s{{1,2}})?(?:defect|lesion|fistula|wound|ulcer)
           (?:\s{{1,2}}(?:area|surface|size))?)?)
  | (?P<per_ml>{_PER}(?:ml|milliliters?|millilitres?|cc|cm\s?(?:3|³|\^\s?3)(?![0-9])
        |cubic\s{{1,2}}centimet(?:er|re)s?|毫升)(?![a-z]))
  | (?P<per_patient>{_PER}(?:patients?|persons?|人|subjects?|recipients?|participants?)(?![a-z])
        |in\s{{1,2}}total(?![a-z])|total(?![a-z])|flat(?![a-z]))
  | (?P<adm>(?:/|per\s{{1,2}}|each\s{{1,2}}|every\s{{1,2}}|每)\s{{0,2}}
        (?:infusions?|injections?|doses?|administrations?|treatments?|sessions?|次)(?![a-z]))
  | (?P<bad>(?:/|per\s{{1,2}})\s{{0,2}}(?:l|liters?|litres?|µl|μl|ul|dl|mm\s?(?:3|³|\^\s?3)
        |hpf|g|mg|wells?|dish|flasks?|plates?)(?![a-z0-9]))
    )""",
    re.VERBOSE,
)
_VOLUME = re.compile(
    r"\s{0,2}(?:in|/)\s{0,2}[0-9]{1,4}(?:\.[0-9]{1,3})?\s{0,2}(?:ml|µl|μl|ul)(?![a-z])"
)

_CJK_HEAD = (
    r"活细胞|生细胞|生細胞|单个核细胞|单核细胞|间充质干细胞|間充質幹細胞|間葉系幹細胞"
    r"|干细胞|幹細胞|细胞|細胞|줄기세포|세포|の細胞|の生細胞|(?:[a-z]{1,6}-)?mscs?(?![a-z])"
)
_STOP = (
    r"(?:in|of|per|with|for|at|on|from|by|into|to|was|were|is|are|the|an?|each|every|then"
    r"|after|before|and|or|than|via|over|under|vs|patients?|kg|ml|mg|weeks?|days?|doses?)"
)
_TOKEN = r"[a-z0-9+'’]{1,20}(?:-[a-z0-9+'’]{1,20}){0,3}-?"
_EN_HEAD = (
    r"(?:[a-z0-9+]{1,12}-){0,3}(?:cells?|mscs?|hmscs?|mpcs?|mncs?|tncs?|cd34\+"
    r"|zellen|zelle|cellules?|c[ée]lulas?|cellule)(?:(?![a-z])|(?=xkg))"
)
_CELL = re.compile(
    rf"""\s{{0,2}}(?:
      (?P<cjk>(?:个|개)(?:\s?(?:的|의))?\s?(?P<cjkhead>{_CJK_HEAD})?)
    | (?P<head>{_CJK_HEAD})
    | (?P<en>-?(?:of\s{{1,2}})?(?:(?!{_STOP}(?![a-z0-9+'’-])){_TOKEN}\s{{1,2}}){{0,6}}?{_EN_HEAD})
    )""",
    re.VERBOSE,
)
_CELL_ASIDE = re.compile(r"\s{0,2}\([a-z0-9+-]{1,12}\)")
_MILLION_MARK = re.compile(r"\s{0,2}[\[(]\s?m\s?[\])]")
_VIABLE = re.compile(r"\b(?:viable|live|living)\b|活|生")
_UNKNOWN_WORD = re.compile(r"\s{0,2}[^\W\d_]{1,20}(?=\s{0,2}(?:/|per\s))")
_LATE_BASIS = re.compile(
    r"[^0-9.,;:。，；：()\n]{1,16}?(?=(?:/|per\s|by\s|por\s)\s?(?:kg|kilograms?|m2|m²|cm2|cm²|ml)\b)"
)
_HAN_OR_HANGUL = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")

_UNITS = (
    r"mg|µg|μg|ug|mcg|ng|g|kg|lbs?|ml|l|µl|μl|ul|dl|mm|cm|m|µm|μm|um|nm|mmhg|iu|u|units?"
    r"|eu|mol|mmol|copies|copy|vg|vp|pfu|cfu|tcid50|gy|cgy|kda|bp|hz|s|sec|min|mins"
    r"|minutes?|h|hr|hrs|hours?|days?|d|weeks?|wks?|months?|mo|years?|yrs?|y|yo|times|fold"
    r"|patients?|subjects?|participants?|people|persons?|children|infants?|adults?|women"
    r"|men|cases|deaths|trials?|studies|study|dollars?|usd|eur|euros?|yuan|rmb|yen|won"
    r"|doses|visits|sites?|injections?|infusions?|vials?|bags?|projects?|centers?|centres?"
    r"|sessions?|cycles?|procedures?|beds?|nights?|steps|words|pages|reads|genomes"
    r"|particles|molecules"
)
_CJK_UNITS = (
    r"美元|元|人民币|円|원|달러|名|例|人(?!份)|岁|歳|周|天|日|年|月|次|项|倍|克|公斤"
    r"|千克|毫升|升|小时|分钟|代|只|头|명|년|세|회|배|번|位|家|篇|条|粒|片|毫克|微克"
)
_NONDOSE = re.compile(rf"\s{{0,2}}(?:[%‰°℃$€]|(?:{_UNITS})(?![a-z])|{_CJK_UNITS})")
_COUNTING = re.compile(
    r"\s{0,2}(?:trials?|studies|study|products?|infusions?|injections?|therap(?:y|ies)"
    r"|transplant[a-z]{0,6}|patients?|recipients?|programs?|lines?|donors?|batches|lots?"
    r"|samples?|banks?|clinical|项目|临床|试验|研究)(?![a-z])"
)
_FREQUENCY = re.compile(r"\s{0,2}(?:中|里|才|就有|当中|among)")
_CLAUSE_END = re.compile(r"\s{0,2}(?:[.,;:!?)\]}。，；：！？、）」』\n]|$)")


@dataclass
class Tail:
    """The words after a number: its cell word, its basis, and whether it is a dose at all."""

    end: int
    cells: CellKind = "total"
    has_cells: bool = False
    basis: Basis | None = None
    has_basis: bool = False
    reasons: list[str] = field(default_factory=list)
    rejected: bool = False
    counting: bool = False
    ends_clause: bool = False


def _cell_word(folded: str, pos: int) -> re.Match[str] | None:
    m = _CELL.match(folded, pos)
    if m and m.group("cjk") and not m.group("cjkhead"):
        after = folded[m.end() : m.end() + 1]
        if after and _HAN_OR_HANGUL.match(after):  # 个 before a noun that is not a cell: 3个月
            return None
    return m


def read_tail(folded: str, pos: int) -> Tail:
    """Read the cell word and basis that follow the number ending at ``pos``."""
    tail = Tail(end=pos)
    if _NONDOSE.match(folded, pos):
        tail.rejected = True
        return tail
    q = pos
    if (mark := _MILLION_MARK.match(folded, q)) is not None:
        q = mark.end()  # '300-million [M] MSCs': the abbreviation repeats the word
    if (cell := _cell_word(folded, q)) is not None:
        tail.has_cells, q = True, cell.end()
        tail.cells = "viable" if _VIABLE.search(cell.group()) else "total"
        aside = _CELL_ASIDE.match(folded, q)  # '2 × 10⁶ mesenchymal stromal cells (MSC)/kg'
        if aside is not None and _BASIS.match(folded, aside.end()):
            q = aside.end()
    elif (word := _UNKNOWN_WORD.match(folded, q)) is not None and _BASIS.match(folded, word.end()):
        q = word.end()  # '2,5 × 10^6 Células/kg': a word we do not know, then a basis
        tail.reasons.append(f"unknown word '{word.group().strip()}' read as cells")
    strong: list[str] = []
    for _ in range(3):
        volume = _VOLUME.match(folded, q)  # '3 × 10⁷ in 1 mL per cm²': skip the volume
        basis = _BASIS.match(folded, volume.end() if volume else q)
        if basis is None:
            break
        if basis.lastgroup == "bad":
            tail.rejected = True
            return tail
        tail.has_basis, q = True, basis.end()
        if basis.lastgroup != "adm":
            strong.append("per_kg" if basis.lastgroup == "si_kg" else basis.lastgroup or "")
        if not tail.has_cells and (cell := _cell_word(folded, q)) is not None:
            tail.has_cells, q = True, cell.end()
    if not strong and (late := _LATE_BASIS.match(folded, q)) is not None:
        basis = _BASIS.match(folded, late.end())  # '2 × 10^6 cells of MSC/kg'
        if basis is not None and basis.lastgroup not in ("adm", "bad"):
            tail.reasons.append(
                f"basis written after '{late.group().strip()}': check what it applies to"
            )
            tail.has_basis, q = True, basis.end()
            strong.append(basis.lastgroup or "")
    tail.end = q
    if strong:
        tail.basis = strong[0]  # type: ignore[assignment]
        distinct = list(dict.fromkeys(strong))
        if len(distinct) > 1:
            tail.reasons.append(
                "basis contradicts itself: " + " and ".join(BASIS_WORDS[b] for b in distinct)
            )
    elif tail.has_basis:
        tail.basis = "per_patient"  # 'per infusion' alone: a flat amount per administration
    tail.counting = bool(tail.has_cells and _COUNTING.match(folded, q))
    tail.rejected = bool(tail.has_cells and _FREQUENCY.match(folded, q))
    tail.ends_clause = bool(_CLAUSE_END.match(folded, q))
    return tail


# --- what comes before the number ---------------------------------------------------------------

_EXCLUDED = re.compile(
    r"(?:\b(?:1|one)\s{1,2}(?:in|of)\s{1,2}(?:every\s{1,2})?"
    r"|(?:\bsd|\bs\.d\.|\bsem?|\biqr|±|\+/-)\s{0,2}[:=]?\s{0,2}"
    r"|\bn\s{0,2}[=:]\s{0,2}|\bp\s{0,2}[=<>≤≥]\s{0,2}|pmid:?\s{0,2}|doi:?\s{0,2})$"
)
_FRACTION = re.compile(r"[0-9]\s?/\s?$")
_PRODUCT = re.compile(r"[0-9]\s{0,2}[x*]\s{0,2}$")
_CJK_GAP = r"[^0-9。；;，,.!?\n]{0,8}$"
_PREFIX = {
    "per_kg": re.compile(
        r"(?:每公斤|每千克|每kg|体重\s?1?\s?kg\s?(?:あたり|当たり|当り)"
        r"|1?\s?kg\s?(?:あたり|当たり|당)|체중\s?1?\s?kg\s?당)(?:体重)?" + _CJK_GAP
    ),
    "per_patient": re.compile(r"(?:每人|每名患者|每位患者|1人あたり|1인당|인당)" + _CJK_GAP),
}
_QUALIFIER_BEFORE = {
    "at_least": re.compile(
        r"(?:≥|>=|>|⩾|at\s{1,2}least|more\s{1,2}than|over|above|exceeding"
        r"|超过|不少于|至少|高于|大于)\s{0,2}$"
    ),
    "at_most": re.compile(
        r"(?:≤|<=|<|⩽|up\s{1,2}to|at\s{1,2}most|max(?:imum)?\.?:?"
        r"|not\s{1,2}exceeding|no\s{1,2}more\s{1,2}than|less\s{1,2}than|under"
        r"|below|不超过|至多|最多|最高|高达)\s{0,2}$"
    ),
    "about": re.compile(
        r"(?:~|≈|about|approximately|approx\.?|around|nearly|roughly|circa|ca\."
        r"|约|大约|およそ|約|약)\s{0,2}$"
    ),
}
_QUALIFIER_AFTER = {
    "at_least": re.compile(r"\s{0,2}(?:以上|or\s{1,2}more|and\s{1,2}above|\+(?![0-9]))"),
    "at_most": re.compile(r"\s{0,2}(?:以下|or\s{1,2}less|or\s{1,2}fewer)"),
    "about": re.compile(r"\s{0,2}(?:左右|前后|程度|くらい|ぐらい|정도)"),
}
_APPROX = re.compile(r"[0-9](?:万|亿|만|억)?\s?[多余]")
_DOSE_WORDS = re.compile(
    r"dos[ei]|cells?|msc|剂量|用量|细胞|注射|输注|投与|용량|세포|cohort|arm"
    r"|level|tier|infus|inject|administ|/kg|10\^|10[⁰¹²³⁴⁵⁶⁷⁸⁹]"
)


def _before(folded: str, pos: int, width: int) -> str:
    return folded[max(0, pos - width) : pos]


def excluded_before(folded: str, pos: int) -> bool:
    """``1 in 2.5 × 10⁵``, ``SD 2.5 × 10⁶``, ``n = 12``: numbers that are not doses."""
    return _EXCLUDED.search(_before(folded, pos, 24)) is not None


def follows_fraction(folded: str, pos: int) -> bool:
    return _FRACTION.search(_before(folded, pos, 4)) is not None


def follows_product(folded: str, pos: int) -> bool:
    """``2 × 1016 cells``: the number is the second factor of a product."""
    return _PRODUCT.search(_before(folded, pos, 5)) is not None


# 'per cm² of ulcer surface, (1~3)×10^6 cells': an English basis before the number
_PREFIX_EN = {
    "per_cm2": re.compile(
        r"(?:per|/)\s{0,2}(?:cm(?:2|²|\^2)|square\s{1,2}centimet(?:er|re))"
        r"(?![0-9])[^0-9;.]{0,36}[,:]\s{0,2}\(?$"
    ),
    "per_kg": re.compile(
        r"(?:per|/)\s{0,2}(?:kg|kilograms?)(?![a-z0-9])[^0-9;.]{0,24}[,:]\s{0,2}\(?$"
    ),
}


def prefix_basis(folded: str, pos: int) -> Basis | None:
    """A basis written before the number, as CJK text does: 每公斤…, 体重1kgあたり…, 체중 1kg당…;
    or an English one that heads the clause: 'per cm² of lesion, 2 × 10⁶ cells'."""
    window = _before(folded, pos, 18)
    for basis, pattern in _PREFIX.items():
        if pattern.search(window):
            return basis  # type: ignore[return-value]
    wide = _before(folded, pos, 48)
    for basis, pattern in _PREFIX_EN.items():
        if pattern.search(wide):
            return basis  # type: ignore[return-value]
    return None


def qualifier_of(
    folded: str, start: int, end: int
) -> Literal["about", "at_least", "at_most"] | None:
    """``≥2.5 × 10⁷`` → at_least; ``约1亿``, ``4500多个`` → about; ``up to 2 × 10⁸`` → at_most."""
    window = _before(folded, start, 16)
    for name, pattern in _QUALIFIER_BEFORE.items():
        if pattern.search(window):
            return name  # type: ignore[return-value]
    for name, pattern in _QUALIFIER_AFTER.items():
        if pattern.match(folded, end):
            return name  # type: ignore[return-value]
    return "about" if _APPROX.search(folded, start, end) else None


def dose_context(folded: str, pos: int) -> bool:
    """Does the text just before ``pos`` talk about doses or cells?"""
    return _DOSE_WORDS.search(_before(folded, pos, 60)) is not None


def is_unit_header(folded: str, start: int, end: int) -> bool:
    """``CAR T dose (10⁶/kg)``: a power of ten in a column header, not a dose."""
    return _before(folded, start, 3).rstrip().endswith("(") and folded[
        end : end + 3
    ].lstrip().startswith(")")


# --- a dose without a basis next to one with a basis ---------------------------------------------

_GAP = re.compile(
    r"\s{0,3}(?:[,、]\s{0,3}(?:(?:and|or|和|或|及|与)\s{0,3})?|(?:and|or|和|或|及|与)"
    r"\s{0,3})",
    re.IGNORECASE,
)
_PAREN_GAP = re.compile(
    r"\s{0,3}[(\[（]\s{0,3}(?:(?:range|iqr|median|mean|min[-–]max)\b"
    r"\s{0,3}[:=]?\s{0,3})?",
    re.IGNORECASE,
)


def share_bases(found: list[FoundDose], explicit: list[bool], text: str) -> list[FoundDose]:
    """A dose without a basis of its own next to one with a basis probably shares it:
    ``0.2 to 5.0 × 10⁶ and 0.1 to 2.5 × 10⁸ cells per kg``, ``1 × 10⁶/kg (range 0.5-1.5 × 10⁶)``.
    It is read with that basis and flagged, never silently called a flat dose."""
    out, has = list(found), list(explicit)
    for i in range(len(out) - 2, -1, -1):  # right to left: '1, 2 and 5 × 10⁶ cells/kg' chains
        a, b = out[i], out[i + 1]
        if not has[i] and has[i + 1] and _GAP.fullmatch(text, a.end, b.start):
            out[i], has[i] = _borrow(a, b.basis, "the next dose"), True
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if explicit[i] and not has[i + 1] and _PAREN_GAP.fullmatch(text, a.end, b.start):
            out[i + 1], has[i + 1] = _borrow(b, a.basis, "the dose before"), True
    return out


def _borrow(dose: FoundDose, basis: Basis, whose: str) -> FoundDose:
    why = f"no basis of its own: read {BASIS_WORDS[basis]} like {whose}"
    reason = f"{dose.reason}; {why}" if dose.reason else why
    return dose.model_copy(update={"ambiguous": True, "reason": reason, "basis": basis})


# --- Chinese numerals: 四千多个MSC, 上亿个MSC ----------------------------------------------------

_CN_NUMERAL = re.compile(
    r"(?<![零一二两三四五六七八九十百千万亿上数几])"
    r"(?P<n>上|[一二两三四五六七八九十][零一二两三四五六七八九十百千]{0,7})"
    r"(?P<w>万|亿)?(?P<approx>多|余)?(?=个?\s?(?:mscs?|细胞|干细胞|间充质|細胞))"
)


def chinese_numerals(
    folded: str,
) -> list[tuple[int, int, float, Literal["about", "at_least"] | None]]:
    """Counts of cells written in Chinese numerals: (start, end, value, qualifier).

    >>> [(v, q) for _, _, v, q in chinese_numerals("从四千多个msc到上亿个msc不等")]
    [(4000, 'about'), (100000000, 'at_least')]
    """
    out: list[tuple[int, int, float, Literal["about", "at_least"] | None]] = []
    for m in _CN_NUMERAL.finditer(folded):
        n, w = m.group("n"), m.group("w")
        if n == "上" and not w:
            continue
        # '上亿' (upwards of a hundred million) counts as one 亿
        value = chinese_value(("一" if n == "上" else n) + (w or ""))
        if value is not None and value >= 1000:
            qualifier: Literal["about", "at_least"] | None = (
                "at_least" if n == "上" else "about" if m.group("approx") else None
            )
            out.append((m.start(), m.end(), value, qualifier))
    return out


_EN_COUNT = re.compile(
    rf"(?<![a-z0-9-])(?P<n>{EN_NUMBER})\s{{1,2}}(?P<w>thousand|million|billion)"
    r"(?![a-z])"
)


def english_numbers(
    folded: str,
) -> list[tuple[int, int, float, Literal["about", "at_least"] | None]]:
    """Counts written in English words before a multiplier: (start, end, value, None).

    >>> [v for _, _, v, _ in english_numbers("two million cells per kilogram")]
    [2000000.0]
    """
    scale = {"thousand": 1e3, "million": 1e6, "billion": 1e9}
    return [
        (m.start(), m.end(), (english_value(m["n"]) or 0) * scale[m["w"]], None)
        for m in _EN_COUNT.finditer(folded)
    ]


# --- repairs: each undoes one known damage and says so -----------------------------------------

_LATEX_POW = re.compile(
    r"(?:\\\(|\$)?\s*\{?\s*10\s*\}?\s*\^\s*\{?\s*(\d{1,2})\s*\}?\s*(?:\\\)|\$)?"
)
_LATEX_MUL = re.compile(r"\\(?:times|cdot)")
_HTML_SUP = re.compile(r"10\s*<sup>\s*(\d{1,2})\s*</sup>")
_NO_TIMES = re.compile(
    rf"(\d+(?:\.\d+)?)\s+(10\s*(?:\^|\*\*)\s*\+?\d{{1,2}}|10⁺?[{_SUPERSCRIPTS}]{{1,2}})"
)
_STAR_TIMES = re.compile(r"(?<=[\d)])\s*\*\s*(?=10\s*(?:\^|\*\*))")
_PUBMED = re.compile(r"10\s*\(\s*(\d{1,2})\s*\)")
_SUBSCRIPT = re.compile(f"10({SUBSCRIPT}{{1,2}})")
_SUB_DIGITS = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")


def _is_latex(m: re.Match[str]) -> bool:
    return any(c in m.group() for c in "{\\$")


# PDF text sets × in a symbol font that comes out as '3': '2.8 3 106' is 2.8 × 10⁶
_PDF_TIMES = re.compile(r"^\s*(\d+\.\d+)\s{1,2}3\s{1,2}10([3-9]|1[0-5])\s*$")
_NO_TIMES_LOST = re.compile(r"(\d+(?:\.\d+)?)\s{1,2}10(?:\s{1,2})?([3-9]|1[0-5])(?![\d.^*])")


def repair(raw: str) -> tuple[str, list[str]]:
    """A damaged expression rewritten in the strict grammar, and one reason per repair.

    >>> repair("1x10*7")
    ('1x10^7', ['UCUM notation: 10*7 read as 10^7'])
    """
    reasons: list[str] = []
    if latex := [m for m in _LATEX_POW.finditer(raw) if _is_latex(m)]:
        shown, exp = latex[0].group().strip(), latex[0].group(1)
        reasons.append(f"LaTeX remnant: {shown} read as 10^{exp}")
        raw = _LATEX_POW.sub(lambda x: f"10^{x.group(1)}" if _is_latex(x) else x.group(), raw)
    raw = _STAR_TIMES.sub("x", _LATEX_MUL.sub("x", raw))  # '10*10^4' is 10 × 10⁴, not UCUM
    if m := _PDF_TIMES.match(raw):
        reasons.append(
            f"'3' read as a × lost in PDF text, superscript lost: '{m.group().strip()}' "
            f"read as {m.group(1)}x10^{m.group(2)}"
        )
        raw = f"{m.group(1)}x10^{m.group(2)}"
    if m := LOST_POWER.fullmatch(raw.strip()):
        mant = m["mant"].rstrip(".")
        how = (
            "multiplication dot read as a decimal point"
            if m["mant"].endswith(".")
            else "multiplication sign lost"
        )
        reasons.append(f"{how}, superscript lost: '{m.group()}' read as {mant}x10^{m['exp']}")
        raw = f"{mant}x10^{m['exp']}"
    if m := _NO_TIMES_LOST.search(raw):
        reasons.append(
            f"multiplication sign and superscript lost: '{m.group()}' read as "
            f"{m.group(1)}x10^{m.group(2)}"
        )
        raw = _NO_TIMES_LOST.sub(lambda x: f"{x.group(1)}x10^{x.group(2)}", raw)
    if m := _NO_TIMES.search(raw):
        reasons.append(f"multiplication sign lost: '{m.group()}' read as {m.group(1)}x{m.group(2)}")
        raw = _NO_TIMES.sub(lambda x: f"{x.group(1)}x{x.group(2)}", raw)
    for pattern, what in ((_HTML_SUP, "HTML remnant"), (_PUBMED, "PubMed rendering")):
        if m := pattern.search(raw):
            reasons.append(f"{what}: {m.group()} read as 10^{m.group(1)}")
            raw = pattern.sub(lambda x: f"10^{x.group(1)}", raw)
    if m := _SUBSCRIPT.search(raw):
        exp = m.group(1).translate(_SUB_DIGITS)
        reasons.append(f"subscript exponent: {m.group()} read as 10^{exp}")
        raw = _SUBSCRIPT.sub(lambda x: "10^" + x.group(1).translate(_SUB_DIGITS), raw)
    s = normalize(raw)
    if m := _UCUM.search(s):
        reasons.append(f"UCUM notation: 10*{m.group('exp')} read as 10^{m.group('exp')}")
        s = _UCUM.sub(lambda x: f"{x.group('mant') or ''}10^{x.group('exp')}", s)
    if m := _TEN_E.search(s):
        exp = int(m.group("exp"))
        reasons.append(f"10e{exp} read as 10^{exp} (as written it is 10^{exp + 1})")
        s = _TEN_E.sub(lambda x: f"{x.group('mant') or ''}10^{x.group('exp')}", s)
    if m := _CARET_LOST.search(s):
        mant, exp = m.group("mant"), m.group("exp")
        reasons.append(f"lost exponent: {m.group()} read as {mant}x10^{exp}")
        s = _CARET_LOST.sub(lambda x: f"{x.group('mant')}x10^{x.group('exp')}", s)
    if m := _LOST_SUPERSCRIPT.search(s):
        shown = re.sub(r"^[\d.]*\s*x\s*", "", m.group())
        reasons.append(f"lost superscript: {shown} read as 10^{m.group('exp')}")
        s = _LOST_SUPERSCRIPT.sub(lambda x: f"{x.group('mant') or ''}x10^{x.group('exp')}", s)
    if m := _DECIMAL_COMMA.search(s):
        reasons.append(f"decimal comma: {m.group()} read as {m.group().replace(',', '.')}")
        s = re.sub(r"(?<=\d),(?=\d{1,2}(?!\d)|\d{4,}(?!\d))", ".", s)
    if _NAKED_DECIMAL.search(s):
        reasons.append("naked decimal point read with a leading zero")
        s = re.sub(r"(?<![\d])\.(?=\d)", "0.", s)
    return s, reasons
