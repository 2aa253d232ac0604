"""Rich output of ``mscdose extract``: the text with each found dose highlighted and numbered,
a table of readings, and the reasons to confirm the ambiguous ones."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from mscdose.text.display import format_dose, to_ascii

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from mscdose.extraction.model import Extraction, FoundDose

CLEAN = "bold green"
WARN = "bold black on yellow"
LONG_LINE = 200  # longer lines are shown as excerpts around each dose
CONTEXT = 40
_QUALIFIER = {"about": ("~", "~"), "at_least": ("≥", ">="), "at_most": ("≤", "<=")}


def reading(dose: FoundDose, *, ascii: bool = False) -> str:
    """``≥2.5 × 10⁷ cells/kg``: the dose as read, with its qualifier."""
    text = format_dose(dose.low, dose.high, dose.basis, dose.cells, ascii=ascii)
    if dose.qualifier:
        text = _QUALIFIER[dose.qualifier][ascii] + text
    return text


def _excerpts(source: str, doses: list[tuple[int, FoundDose]], ascii: bool) -> list[Text]:
    """One line of text per source line holding doses, each dose styled and numbered."""
    from rich.text import Text

    starts = [0] + [i + 1 for i, c in enumerate(source) if c == "\n"]
    by_line: dict[int, list[tuple[int, FoundDose]]] = {}
    for n, dose in doses:
        by_line.setdefault(bisect.bisect_right(starts, dose.start) - 1, []).append((n, dose))
    many_lines = len(starts) > 1
    gap = "..." if ascii else "…"
    out = []
    for line_no, items in by_line.items():
        begin = starts[line_no]
        end = starts[line_no + 1] - 1 if line_no + 1 < len(starts) else len(source)
        end = max(end, *(dose.end for _, dose in items))  # a dose may run onto the next line
        windows = [(begin, end)] if end - begin <= LONG_LINE else _windows(items, begin, end)
        if many_lines:
            out.append(Text(f"line {line_no + 1}:", style="dim"))
        text = Text()
        for w, (a, b) in enumerate(windows):
            if w or a > begin:
                text.append(gap, style="dim")
            pos = a
            for n, dose in items:
                if not (a <= dose.start and dose.end <= b):
                    continue
                text.append(_plain(source[pos : dose.start], ascii))
                text.append(
                    _plain(source[dose.start : dose.end], ascii),
                    style=WARN if dose.ambiguous else CLEAN,
                )
                text.append(f"[{n}]", style="bold")
                pos = dose.end
            text.append(_plain(source[pos:b], ascii))
        if windows[-1][1] < end:
            text.append(gap, style="dim")
        out.append(text)
    return out


def _windows(items: list[tuple[int, FoundDose]], begin: int, end: int) -> list[tuple[int, int]]:
    windows: list[tuple[int, int]] = []
    for _, dose in items:
        a, b = max(begin, dose.start - CONTEXT), min(end, dose.end + CONTEXT)
        if windows and a <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], b))
        else:
            windows.append((a, b))
    return windows


def _plain(text: str, ascii: bool) -> str:
    text = "".join(" " if c in "\t\r\v\f" else c for c in text)
    return to_ascii(text) if ascii else text


_VERDICT = {"within": "green", "above": "bold red", "below": "yellow", "no_data": "magenta"}


def render_extraction(
    result: Extraction, source: str, *, ascii: bool = False, out: Console | None = None
) -> None:
    from rich.table import Table
    from rich.text import Text

    # imported on first use, to keep start-up fast
    from mscdose.cli.output import console

    out = out or console()
    if not result.doses:
        out.print("no doses found")
        return
    numbered = list(enumerate(result.doses, start=1))
    for line in _excerpts(source, numbered, ascii):
        out.print(line)
    out.print()
    table = Table(box=None, pad_edge=False, show_edge=False)
    columns = ["#", "found", "read as", ""] + (["check"] if result.checks is not None else [])
    for name in columns:
        table.add_column(name, style="bold" if name == "#" else None)
    checks = result.checks or []
    for n, dose in numbered:
        flag = (
            Text("ambiguous" if ascii else "⚠ ambiguous", style="bold yellow")
            if dose.ambiguous
            else Text("ok", style="green")
        )
        shown = _plain(" ".join(dose.text.split()), ascii)
        row: list[str | Text] = [str(n), shown, reading(dose, ascii=ascii), flag]
        if checks:
            c = checks[n - 1]
            fold = f" {c.distance_fold:.3g}×" if c.verdict in ("above", "below") else ""
            row.append(Text(c.verdict.replace("_", " ") + fold, style=_VERDICT.get(c.verdict, "")))
        table.add_row(*row)
    out.print(table)
    ambiguous = [(n, d) for n, d in numbered if d.ambiguous]
    if ambiguous:
        out.print()
        out.print(Text("Confirm before use:", style="bold yellow"))
        for n, dose in ambiguous:
            out.print(f"  [{n}] {_plain(dose.reason or '', ascii)}")
    found = len(result.doses)
    summary = f"{found} dose{'s' if found != 1 else ''} found"
    if ambiguous:
        summary += f", {len(ambiguous)} ambiguous"
    out.print()
    out.print(summary + ".")
