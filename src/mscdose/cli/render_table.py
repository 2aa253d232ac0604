"""Rich output for the reference table: the log-scale range chart, and ``ranges``.

The chart's arithmetic (columns, ticks, glyphs) is :mod:`mscdose.cli.chart`; this module only
colours it. ``draw_marked_chart`` places a checked dose among the rows it was compared with.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from mscdose.cli.chart import ChartRow, layout
from mscdose.text.display import format_range, to_ascii, unit_label

if TYPE_CHECKING:
    from rich.console import Console

    from mscdose.checking.report import CheckReport, Match
    from mscdose.documents import RangesReport

_STYLES = {
    "blank": "",
    "grid": "dim",
    "bar": "cyan",
    "point": "bold cyan",
    "marker": "bold magenta",
    "marker_in_bar": "bold magenta",
}
_BASIS_TITLE = {
    "per_kg": "per kg of body weight",
    "per_patient": "per patient (per administration)",
    "per_m2": "per m² of body surface",
    "per_cm2": "per cm² of lesion",
    "per_ml": "per mL",
}
MAX_LABEL = 40
MIN_LABEL = 16
MIN_BAR = 24
# bar colour by the strongest evidence behind it
EVIDENCE_STYLE = {
    "label": "bold green",
    "rct": "green",
    "trial": "cyan",
    "case_series": "yellow",
    "case_report": "yellow",
    "review": "dim",
}


def _clip(text: str, width: int, ascii: bool = False) -> str:
    if len(text) <= width:
        return text
    return text[: width - 1] + ("~" if ascii else "…")


def render_chart(
    rows: Sequence[ChartRow],
    *,
    title: str | None = None,
    marker: float | None = None,
    marker_label: str = "proposed",
    ascii: bool = False,
    out: Console | None = None,
    highlight: Sequence[int] = (),
    styles: Sequence[str] | None = None,
) -> None:
    """Draw ``rows`` as bars on one log axis; ``marker`` adds a vertical line at that value.

    ``highlight`` lists the indices of rows drawn in bold (e.g. the proposal itself);
    ``styles`` gives each row's bar a rich style (e.g. by evidence).
    """
    from rich.text import Text

    # imported on first use, to keep start-up fast
    from mscdose.cli.output import console

    out = out or console()
    if not rows:
        return
    label_w = min(MAX_LABEL, max(len(r.label) for r in rows))
    note_w = max(len(r.note) for r in rows)
    bar_w = max(MIN_BAR, out.width - label_w - note_w - 2)
    if label_w + bar_w + note_w + 2 > out.width:  # narrow terminal: shorten the labels
        label_w = max(MIN_LABEL, out.width - bar_w - note_w - 2)
    chart = layout(rows, bar_w, marker)
    if title:
        out.print(Text(title, style="bold"), no_wrap=True, crop=True)
    for i, bar in enumerate(chart.bars):
        row = bar.row
        line = Text(
            _clip(row.label, label_w, ascii).ljust(label_w) + " ",
            style="bold" if i in highlight else ("dim" if row.muted else ""),
        )
        for text, kind in chart.segments(bar, ascii=ascii):
            style = _STYLES[kind]
            if kind in ("bar", "point"):
                if i in highlight:
                    style = "bold magenta"
                elif row.muted:
                    style = "dim"
                elif styles is not None and i < len(styles):
                    style = styles[i]
            line.append(text, style=style)
        if row.note:
            line.append(" " + row.note, style="dim" if row.muted else "")
        out.print(line, no_wrap=True, crop=True)
    pad = " " * (label_w + 1)
    out.print(Text(pad + chart.axis.rule_line(ascii=ascii), style="dim"), no_wrap=True, crop=True)
    out.print(Text(pad + chart.axis.label_line(ascii=ascii), style="dim"), no_wrap=True, crop=True)
    if chart.marker is not None:
        out.print(
            Text(pad + chart.marker_line(marker_label, ascii=ascii), style="bold magenta"),
            no_wrap=True,
            crop=True,
        )


def render_ranges(
    report: RangesReport, *, ascii: bool = False, excluded: int = 0, out: Console | None = None
) -> None:
    """``mscdose ranges``: one chart per basis, one bar per indication × route."""
    from rich.text import Text

    # imported on first use, to keep start-up fast
    from mscdose.cli.output import console

    out = out or console()
    sep = " / " if ascii else " · "
    if not report.ranges:
        out.print("No reported doses match.")
    bases: list[str] = []
    for item in report.ranges:
        if item.basis not in bases:
            bases.append(item.basis)
    for basis in bases:
        items = [r for r in report.ranges if r.basis == basis]
        notes = [f"{format_range(r.low, r.high, ascii=ascii)} ({r.studies})" for r in items]
        room = min(MAX_LABEL, max(MIN_LABEL, out.width - MIN_BAR - max(map(len, notes)) - 2))
        rows = [
            ChartRow(
                label=_clip(r.indication, max(8, room - len(sep + r.route)), ascii) + sep + r.route,
                low=r.low,
                high=r.high,
                note=note,
            )
            for r, note in zip(items, notes, strict=True)
        ]
        unit = unit_label(basis, ascii=ascii)
        title = f"{unit} — {_BASIS_TITLE.get(basis, basis)}"
        render_chart(
            rows,
            title=to_ascii(title).replace("—", "-") if ascii else title,
            ascii=ascii,
            out=out,
            styles=[EVIDENCE_STYLE[r.best_evidence] for r in items],
        )
        out.print()
    legend = Text("Log scale; (number of studies) after each range.", style="dim")
    if out.color_system is not None:
        legend.append(" Bar colour, strongest evidence:", style="dim")
        for name, style in EVIDENCE_STYLE.items():
            legend.append(" " + name, style=style)
    out.print(legend)
    out.print(
        f"Table {report.table.version}. 'mscdose studies --route R --indication I' lists "
        "the rows behind a bar.",
        style="dim",
        markup=False,
    )
    if excluded:
        out.print(
            f"{excluded} unconfirmed {'row sets' if excluded == 1 else 'rows set'} no "
            "bound here (--include-unconfirmed adds them).",
            style="dim",
            markup=False,
        )


def draw_marked_chart(
    report: CheckReport, *, out: Console | None = None, ascii: bool = False
) -> None:
    """A checked dose among the rows it was compared with, on the proposal's basis."""
    p = report.proposed
    dose = p.dose
    if dose.basis == "per_ml" and p.per_patient is not None:  # compared as the cells given
        dose = dose.model_copy(
            update={"low": p.per_patient.low, "high": p.per_patient.high, "basis": "per_patient"}
        )
    rows = [
        ChartRow(
            label="proposed",
            low=dose.low,
            high=dose.high,
            note=format_range(dose.low, dose.high, ascii=ascii),
        )
    ]
    for m in _charted(report):
        assert m.compared is not None
        rows.append(
            ChartRow(
                label=m.id,
                low=m.compared.low,
                high=m.compared.high,
                note=format_range(m.compared.low, m.compared.high, ascii=ascii)
                + ("" if m.sets_bound else " (no bound)"),
                muted=not m.sets_bound,
            )
        )
    marker = dose.low if dose.low == dose.high else None
    title = f"Reported doses, {unit_label(dose.basis, dose.cells, ascii=ascii)} (log scale)"
    render_chart(rows, title=title, marker=marker, ascii=ascii, out=out, highlight=(0,))
    left = sum(1 for m in report.matches if m.compared is not None) - (len(rows) - 1)
    if left > 0:
        # imported on first use, to keep start-up fast
        from mscdose.cli.output import console

        (out or console()).print(f"  … and {left} more rows in the range (--json lists them all)")


CHART_ROWS = 12


def _charted(report: CheckReport) -> list[Match]:
    """The rows a chart shows: the nearest, and always the two that set the range's ends."""
    comparable = [m for m in report.matches if m.compared is not None]
    if len(comparable) <= CHART_ROWS:
        return comparable
    bound = [m for m in comparable if m.sets_bound] or comparable
    ends = {
        min(bound, key=lambda m: m.compared.low if m.compared else 0.0).id,
        max(bound, key=lambda m: m.compared.high if m.compared else 0.0).id,
    }
    shown = comparable[: CHART_ROWS - 2]
    shown += [m for m in comparable[CHART_ROWS - 2 :] if m.id in ends]
    return shown
