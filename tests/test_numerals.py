"""Numbers written as words (mscdose.text.numerals) and the doses written with them.

Round trips: a number written out by the rules of Chinese and English numerals (written here,
independently of the reader) reads back as itself, on its own and inside a dose.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mscdose.errors import AmbiguousNotationError, MscdoseError
from mscdose.schedule.grammar import parse_schedule
from mscdose.text.grammar import parse_dose
from mscdose.text.numerals import chinese_value, english_value

_CN = "零一二三四五六七八九"


def _cn_section(n: int) -> str:
    """0 < n < 10000 in Chinese: one 零 for each run of zeros between digits."""
    out, gap = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = n // value % 10
        if digit:
            out += ("零" if gap and out else "") + _CN[digit] + unit
            gap = False
        elif out:
            gap = True
    return out


def chinese(n: int) -> str:
    """1 ≤ n < 10¹²: 亿 and 万 sections, 零 where a section or a digit is skipped, and a
    leading 一十 said as 十 (十二, 十万)."""
    sections = [(n // 10**8, "亿"), (n // 10**4 % 10**4, "万"), (n % 10**4, "")]
    out, skipped = "", False
    for value, name in sections:
        if value:
            out += ("零" if out and (skipped or value < 1000) else "") + _cn_section(value) + name
            skipped = False
        elif out:
            skipped = True
    return out[1:] if out.startswith("一十") else out


_EN = [
    "",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def english(n: int, *, joiner: str = "-", and_: bool = True) -> str:
    """1 ≤ n < 1000 in words: 'one hundred and twenty-five'."""
    hundreds, rest = divmod(n, 100)
    low = (
        _EN[rest]
        if rest < 20
        else _TENS[rest // 10] + (joiner + _EN[rest % 10] if rest % 10 else "")
    )
    if not hundreds:
        return low
    return f"{_EN[hundreds]} hundred" + (f"{' and' if and_ else ''} {low}" if rest else "")


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (10, "十"),
        (12, "十二"),
        (20, "二十"),
        (110, "一百一十"),
        (1005, "一千零五"),
        (10500, "一万零五百"),
        (100000, "十万"),
        (30_000_000, "三千万"),
        (15_000_000, "一千五百万"),
        (100_050_000, "一亿零五万"),
        (150_000_000, "一亿五千万"),
        (100_000_005, "一亿零五"),
    ],
)
def test_the_chinese_writer_of_these_tests(n: int, text: str) -> None:
    assert chinese(n) == text


@given(st.integers(1, 10**12 - 1))
def test_chinese_numerals_read_back(n: int) -> None:
    assert chinese_value(chinese(n)) == n


@given(st.integers(1, 999), st.sampled_from(["-", " "]), st.booleans())
def test_english_numbers_read_back(n: int, joiner: str, and_: bool) -> None:
    assert english_value(english(n, joiner=joiner, and_=and_)) == n


def test_zero() -> None:
    assert chinese_value("零") == chinese_value("〇") == 0


@pytest.mark.parametrize(
    "text",
    [
        "五五",
        "万",
        "五百一千",
        "一千五",
        "一百十",
        "千",
        "零十",
        "",
        "亿万",
        "一万二万",
        "零零五五",
    ],
)
def test_not_chinese_numerals(text: str) -> None:
    assert chinese_value(text) is None


@given(st.integers(1000, 10**12 - 1), st.sampled_from(["", "个细胞", "个间充质干细胞", "个/kg"]))
def test_doses_in_chinese_numerals(n: int, tail: str) -> None:
    dose = parse_dose(chinese(n) + tail)
    assert dose.low == dose.high == n


@given(
    st.integers(1, 999), st.sampled_from([("thousand", 1e3), ("million", 1e6), ("billion", 1e9)])
)
def test_doses_in_english_words(n: int, word: tuple[str, float]) -> None:
    dose = parse_dose(f"{english(n)} {word[0]} cells/kg")
    assert dose.low == n * word[1] and dose.basis == "per_kg"


@given(st.integers(1000, 10**13))
def test_thousands_set_apart_by_spaces(n: int) -> None:
    text = f"{n:,}".replace(",", " ") + " cells"
    if len(str(n)) <= 6 and str(n)[-3:-1] == "10" and str(n)[-1] in "3456789":
        with pytest.raises(AmbiguousNotationError):  # '2 106': 2,106 or 2×10⁶?
            parse_dose(text)
    else:
        assert parse_dose(text).low == n


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("2 106/kg", "2,106 (a space between thousands) or 2×10⁶"),
        ("一千五万个细胞", "'一千五' is said for 一千五百 but reads as 一千零五"),
    ],
)
def test_two_readings_are_named(text: str, fragment: str) -> None:
    with pytest.raises(AmbiguousNotationError, match=re.escape(fragment)):
        parse_dose(text)


@pytest.mark.parametrize(
    ("text", "low", "high", "basis"),
    [
        ("二到五百万个细胞", None, None, None),  # a range inside one numeral: not read
        ("一千万至两千万个细胞", 1e7, 2e7, "per_patient"),
        ("two to five million cells", 2e6, 5e6, "per_patient"),
        ("1x10^6 mesenchymal stem cells/kg", 1e6, 1e6, "per_kg"),
        ("1 × 10⁶ mesenchymal stromal cells per kilogram of body weight", 1e6, 1e6, "per_kg"),
        ("2x10^6 UC-MSCs/kg", 2e6, 2e6, "per_kg"),
        ("1×10^6个/kg体重", 1e6, 1e6, "per_kg"),
        ("5×10^7个间充质干细胞", 5e7, 5e7, "per_patient"),
    ],
)
def test_what_literature_writes(
    text: str, low: float | None, high: float | None, basis: str | None
) -> None:
    if low is None:
        with pytest.raises(MscdoseError):
            parse_dose(text)
        return
    dose = parse_dose(text)
    assert (dose.low, dose.high, dose.basis) == (low, high, basis)


def test_schedules_count_in_words_beyond_twelve() -> None:
    assert parse_schedule("weekly for twenty weeks").doses == 20
    assert parse_schedule("每周一次,连续十二次").doses == 12


def test_extraction_does_not_read_a_spoken_short_form() -> None:
    from mscdose.extraction.rules import chinese_numerals

    assert chinese_numerals("一千五个细胞") == []  # 1500 as said, 1005 as written
    assert [v for _, _, v, _ in chinese_numerals("一千五百个细胞")] == [1500]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Patients received two million cells per kilogram.", [(2e6, "per_kg")]),
        ("twenty-five million MSCs were injected", [(2.5e7, "per_patient")]),
        ("Two million people live there.", []),  # a count, but not of cells
        ("a child got 1 000 000 cells/kg", [(1e6, "per_kg")]),
        ("2\u2009000\u2009000 to 5\u2009000\u2009000 cells per kg", [(2e6, "per_kg")]),
        ("Table 3 100 cells", []),  # one group: a table's 3 beside 100 cells, not read as 3100
    ],
)
def test_extract_finds_numbers_in_words_and_spaced_thousands(
    text: str, found: list[tuple[float, str]]
) -> None:
    from mscdose.extraction.scan import extract

    doses = extract(text).doses
    assert [(d.low, d.basis) for d in doses] == found
    assert all(not d.ambiguous for d in doses)


@given(st.text(alphabet="零〇一二两三四五六七八九十百千万亿上个", max_size=12))
def test_any_chinese_text_gives_a_whole_number_or_none(text: str) -> None:
    value = chinese_value(text)
    assert value is None or (isinstance(value, int) and 0 <= value < 10**13)


@given(
    st.lists(
        st.sampled_from(["one", "two", "twenty", "hundred", "and", "-", " ", "x"]), max_size=8
    ).map("".join)
)
def test_any_english_text_gives_a_whole_number_or_none(text: str) -> None:
    value = english_value(text)
    assert value is None or 0 <= value < 10_000  # 'ninety-nine hundred and ninety-nine'
    if value is not None and "hundred" not in text:
        assert value < 100
