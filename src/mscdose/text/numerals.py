"""Whole numbers written as words: Chinese numerals and English number words.

One reader for doses (``三千万个细胞``, ``two million cells/kg``), schedules (``连续四次``,
``for four weeks``), regimens (``两周后``) and extraction (``四千多个MSC``).
"""

from __future__ import annotations

import re

CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_SECTIONS = {"万": 10**4, "亿": 10**8}


def chinese_value(text: str) -> int | None:
    """The value of a Chinese numeral written the usual way, else None.

    >>> [chinese_value(t) for t in ("四", "十二", "二十", "一千零五", "三千万", "一亿五千万")]
    [4, 12, 20, 1005, 30000000, 150000000]

    Not numerals: 五五, 万 alone, units that rise (五百一千); and 一千五, which people say for
    1500 but which reads as 1005: refused rather than guessed.

    >>> [chinese_value(t) for t in ("五五", "万", "五百一千", "一千五")]
    [None, None, None, None]
    """
    total = wan = section = 0  # the 亿 part, the 万 part, the part below 万
    digit: int | None = None  # a digit waiting for its unit
    last_unit = 10**4  # units fall within a section: 一千五百, never 五百一千
    zero = False  # 零 since the last unit: 一千零五 is 1005

    def pending() -> int | None:
        """The section's value; None for 一千五 (a digit right after 百 or 千, no 零)."""
        if digit and last_unit >= 100 and last_unit != 10**4 and not zero:
            return None
        return section + (digit or 0)

    for ch in text:
        if ch in CN_DIGITS:
            if digit:  # two digits in a row: 五五
                return None
            digit = CN_DIGITS[ch]
            zero = zero or digit == 0
        elif ch in _CN_UNITS:
            unit = _CN_UNITS[ch]
            if unit >= last_unit or digit == 0 or (digit is None and (unit != 10 or section)):
                return None  # 五百一千, 零十, 千 with no digit; only a leading 十 stands alone
            section += (digit or 1) * unit
            digit, last_unit, zero = None, unit, False
        elif ch in _CN_SECTIONS:
            part = pending()
            if not part or (ch == "万" and wan) or (ch == "亿" and (total or wan)):
                return None
            if ch == "万":
                wan = part * 10**4
            else:
                total = part * 10**8
            section, digit, last_unit, zero = 0, None, 10**4, False
        else:
            return None
    rest = pending()
    if rest is None:
        return None
    value = total + wan + rest
    return value if value or (text and set(text) <= {"零", "〇"}) else None  # 零 is zero; "" no


_EN_SMALL = {
    w: i
    for i, w in enumerate(
        (
            "zero",
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
        )
    )
}
_EN_TENS = {
    w: 10 * i
    for i, w in enumerate(
        ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"), start=2
    )
}
_UNDER_100 = (
    rf"(?:(?:{'|'.join(_EN_TENS)})(?:[- ](?:{'|'.join(list(_EN_SMALL)[1:10])}))?"
    rf"|{'|'.join(sorted(_EN_SMALL, key=len, reverse=True))})"
)
EN_WORDS = frozenset([*_EN_SMALL, *_EN_TENS])
# one to ninety-nine hundred and ninety-nine, in words (lower case): 'fifteen hundred' is 1500
EN_NUMBER = (
    rf"\b(?:{_UNDER_100}\s{{1,3}}hundred(?:\s{{1,3}}(?:and\s{{1,3}})?{_UNDER_100})?"
    rf"|{_UNDER_100})\b"
)
_EN_NUMBER = re.compile(EN_NUMBER)


def english_value(text: str) -> int | None:
    """The value of an English number in words below ten thousand (lower case), else None.

    >>> [english_value(t) for t in ("two", "twenty-five", "one hundred and fifty", "ninety",
    ...                             "fifteen hundred")]
    [2, 25, 150, 90, 1500]
    >>> english_value("two fifty") is None
    True
    """
    if _EN_NUMBER.fullmatch(text) is None:
        return None
    value = part = 0
    for word in re.split(r"[- ]+", text):
        if word == "hundred":
            value, part = part * 100, 0
        elif word != "and":
            part += _EN_SMALL.get(word, 0) + _EN_TENS.get(word, 0)
    return value + part


def spell_english(text: str) -> str:
    """Each English number in words written in digits (``two million`` → ``2 million``).

    >>> spell_english("twenty-five to one hundred million cells")
    '25 to 100 million cells'
    """
    return _EN_NUMBER.sub(lambda m: str(english_value(m.group())), text)
