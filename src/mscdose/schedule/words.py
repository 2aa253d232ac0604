"""How people write schedules, rewritten into the English grammar that
:mod:`mscdose.schedule.grammar` reads: the source article's Chinese (``每周一次,连续4次``,
``间隔3-5天接受4次``), ISMP's error-prone abbreviations (``qod``, ``TIW``, ``BIW``, ``qd``),
and numbers in words. Forms that can be read two ways are refused here.
"""

from __future__ import annotations

import re

from mscdose.errors import ScheduleError
from mscdose.schedule.model import EXAMPLES
from mscdose.text.numerals import chinese_value, spell_english

# counts and intervals in Chinese numerals: 四, 十二, 二十 (up to 99)
_CN_NUMBER = re.compile("[一二两三四五六七八九]?十[一二三四五六七八九]?|[零〇一二两三四五六七八九]")


def unit(word: str) -> str:
    """``weeks``, ``wk``, ``周`` → ``week``."""
    w = word.rstrip("s")
    return {
        "d": "day",
        "w": "week",
        "wk": "week",
        "mo": "month",
        "m": "month",
        "天": "day",
        "日": "day",
        "周": "week",
        "星期": "week",
        "礼拜": "week",
        "月": "month",
    }.get(w, w)


def plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def refuse(original: str, message: str, hint: str = EXAMPLES) -> ScheduleError:
    return ScheduleError(f"schedule '{original}': {message}", given=original, hint=hint)


def rewrite(s: str, original: str) -> str:
    """Normalized schedule text in the English grammar (Chinese, then abbreviations)."""
    return _abbreviations(_chinese(s, original), original)


def _chinese(s: str, original: str) -> str:
    """The source article's Chinese forms, rewritten in the English grammar."""
    s = _CN_NUMBER.sub(lambda m: str(chinese_value(m.group())), s)
    s = s.replace("、", ",").replace("。", " ").replace("；", ";").replace("（", "(")
    s = s.replace("）", ")")
    s = re.sub(r"隔天|隔日|每隔1\s*[天日]", " every other day ", s)
    if m := re.search(r"每隔\s*\d+", s):
        raise refuse(
            original,
            f"'{m.group()}…' can mean every N or every N+1 days",
            "write 每N天 or 'every N days'",
        )

    def per_period(m: re.Match[str]) -> str:
        n = int(m.group(1) or "1")
        name = unit(m.group(2))
        per = int(m.group(3) or "1")
        if per == 1:
            if n == 1:
                return {"day": " daily ", "week": " weekly ", "month": " monthly "}[name]
            return f" every {n} {name}s "
        if name == "week" and n == 1:
            return f" {per} times weekly "
        raise refuse(
            original,
            f"'{m.group().strip()}' gives {per} doses per period",
            "mscdose plans one dose per interval: write e.g. 每周2次 or 'every 3 days'",
        )

    s = re.sub(
        r"每\s*(\d*)\s*个?\s*(周|星期|礼拜|天|日|月)\s*"
        r"(?:,?\s*(?:治疗|给药|输注|注射|使用|接受)?\s*(\d+)\s*次)?",
        per_period,
        s,
    )
    s = re.sub(
        r"(?:连续|共|总共|持续|疗程|为期)\s*(\d+)\s*(周|个月|月|天|日)",
        lambda m: f" for {m.group(1)} {unit(m.group(2).lstrip('个'))}s ",
        s,
    )
    s = re.sub(
        r"(?:间隔|相隔|间歇|间距)\s*(\d+(?:\s*-\s*\d+)?)\s*(天|日|周|个月|月)(?:时间)?",
        lambda m: f" {m.group(1)} {unit(m.group(2).lstrip('个'))}s apart ",
        s,
    )
    s = re.sub(r"(?:连续|共|总共|治疗|接受|给药|输注|注射|使用)*\s*(\d+)\s*次", r" x\1 ", s)
    s = re.sub(r"单次|一次性", " once ", s)
    s = re.sub(r"第\s*(\d+)\s*[天日]", r" day \1 ", s)
    s = re.sub(r"第\s*(\d+)\s*周", r" week \1 ", s)
    return re.sub(r"和|及|与", " and ", s)


def _abbreviations(s: str, original: str) -> str:
    """ISMP's error-prone abbreviations are read, then printed in words."""
    if m := re.search(r"\b(?:[bt]\.?i\.?d|q\.?i\.?d|q\.?\d*\s*h|[bt]ds|qds)\b\.?", s):
        raise refuse(
            original,
            f"'{m.group()}' means doses within a day",
            "cell therapies are counted in days: write e.g. 'daily x5' or "
            "'twice weekly for 4 weeks' (BIW)",
        )
    if m := re.search(r"\bbi-?(?:weekly|monthly)\b", s):
        raise refuse(
            original,
            f"'{m.group()}' means twice a period or every other period",
            "write 'twice weekly' or 'every 2 weeks'",
        )
    rules = [
        (r"\bq\.?\s*o\.?\s*d\b\.?", " every other day "),
        (r"\bq\.?\s*d\b\.?", " daily "),
        (r"\bq\s*(\d+)\s*(?:d|days?)\b", r" every \1 days "),
        (r"\bq\s*(\d+)\s*(?:w|wks?|weeks?)\b", r" every \1 weeks "),
        (r"\bq\s*(?:w|wk|week)\b", " weekly "),
        (r"\bq\s*(\d+)\s*(?:m|mo|months?)\b", r" every \1 months "),
        (r"\bq\s*(?:m|mo|month)\b", " monthly "),
        (r"\bt\.?\s*i\.?\s*w\b\.?", " 3 times weekly "),
        (r"\bb\.?\s*i\.?\s*w\b\.?", " 2 times weekly "),
        (r"\bd\s*(\d+)\b", r" day \1 "),
    ]
    for pattern, repl in rules:
        s = re.sub(pattern, repl, s)
    s = re.sub(r"\bone[- ]?off\b", " once ", s)
    s = re.sub(r"\btwice\b", " 2 times ", s)
    s = re.sub(r"\bthrice\b", " 3 times ", s)
    return spell_english(s)
