"""Figures for slides and papers (``--figure FILE.svg|png|pdf``): the log-scale range chart
drawn with matplotlib, the only module that imports it (the ``mscdose[figures]`` extra).

Each row is a bar from its low to its high dose; its marker's shape names its evidence
class (a square for a label, a diamond for an RCT …) so that the classes read in grey
print too, and its label is its citation (first author and year). The proposed dose is a
vertical band (or line) across the rows, and a star on a row of its own.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mscdose.errors import InputError
from mscdose.text.display import format_range, unit_label

if TYPE_CHECKING:
    from mscdose.checking.report import CheckReport
    from mscdose.documents import RangesReport
    from mscdose.table.index import Table
    from mscdose.table.row import Citation

FORMATS = ("svg", "png", "pdf")
EXTRA = "pip install 'mscdose[figures]'"

# evidence class → (marker, colour, name); shapes differ, colours (Okabe–Ito) only help
EVIDENCE_MARKERS: dict[str, tuple[str, str, str]] = {
    "label": ("s", "#009E73", "label"),
    "rct": ("D", "#0072B2", "RCT"),
    "trial": ("o", "#56B4E9", "trial"),
    "case_series": ("^", "#E69F00", "case series"),
    "case_report": ("v", "#D55E00", "case report"),
    "review": ("X", "#999999", "review"),
}
PROPOSED = ("*", "#CC79A7")


@dataclass(frozen=True)
class FigureRow:
    """One bar: its label (a citation), its doses, its evidence class, a note at its end."""

    label: str
    low: float
    high: float
    evidence: str | None  # None: the proposal
    note: str = ""
    muted: bool = False


@dataclass(frozen=True)
class Panel:
    title: str
    rows: list[FigureRow]
    marker: tuple[float, float] | None = None
    room: int = 1  # powers of ten right of the highest dose, for the notes


def figure_format(path: str) -> str:
    """The format a figure's file name asks for; refused before any work is done."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise InputError(
            f"--figure {path!r}: cannot tell the format from the name",
            given=path,
            hint="end the name in .svg, .png or .pdf",
        )
    return suffix


def short_citation(citation: Citation | None, fallback: str) -> str:
    """A row's label: first author (or maker and product) and year. 'Le Blanc K et al.',
    2008 → 'Le Blanc 2008'; 'Mesoblast (Ryoncil, …)', 2024 → 'Mesoblast Ryoncil 2024'; a
    study not identified is named by its row id.

    >>> from mscdose.table.row import Citation
    >>> short_citation(Citation(authors="Le Blanc K et al.", year=2008), "x")
    'Le Blanc 2008'
    >>> short_citation(Citation(authors="Mesoblast (Ryoncil, US label)", year=2024), "x")
    'Mesoblast Ryoncil 2024'
    """
    if citation is None or citation.authors.lower().startswith(
        ("not identified", "source", "msc-")
    ):
        return fallback
    authors = citation.authors
    maker = re.match(r"\s*([^(]+?)\s*\(([^,;)]+)", authors)
    if maker and not re.search(r"\bet al\b|,", maker.group(1)):
        name = f"{maker.group(1)} {maker.group(2).split(' of ')[-1].strip()}"
    else:
        first = re.split(r",| et al| \(", authors, maxsplit=1)[0].strip()
        name = re.sub(r"\s+[A-Z]{1,3}$", "", first) or first
    label = f"{name} {citation.year}" if citation.year else name
    return label if len(label) <= 36 else label[:35] + "…"


def check_panel(report: CheckReport, table: Table | None = None) -> Panel:
    """The proposal among the rows it was compared with, on the proposal's basis."""
    p = report.proposed
    dose = p.dose
    low, high, basis = dose.low, dose.high, dose.basis
    if basis == "per_ml" and p.per_patient is not None:  # compared as the cells given
        low, high, basis = p.per_patient.low, p.per_patient.high, "per_patient"
    rows = [FigureRow("proposed", low, high, None, format_range(low, high))]
    for m in report.matches:
        if m.compared is None:
            continue
        row = table.by_id.get(m.id) if table is not None else None
        label = short_citation(row.citation if row is not None else None, m.id)
        rows.append(
            FigureRow(
                label,
                m.compared.low,
                m.compared.high,
                m.evidence,
                format_range(m.compared.low, m.compared.high)
                + ("" if m.sets_bound else " (sets no bound)"),
                muted=not m.sets_bound,
            )
        )
    title = (
        f"{p.display} {p.route.replace('_', ' ')}"
        + (f", {p.indication.replace('_', ' ')}" if p.indication else "")
        + f": {report.verdict.replace('_', ' ')}"
    )
    return Panel(f"{title}\n{unit_label(basis, dose.cells)} (log scale)", rows, marker=(low, high))


def ranges_panels(report: RangesReport, table: Table | None = None) -> list[Panel]:
    """One panel per basis: a bar per indication × route, labelled with its citations."""
    panels: list[Panel] = []
    for basis in dict.fromkeys(r.basis for r in report.ranges):
        rows = []
        for r in (r for r in report.ranges if r.basis == basis):
            cites = ""
            if table is not None:
                names = [short_citation(table.get(i).citation, i) for i in r.ids[:2]]
                cites = "; ".join(names) + (" …" if len(r.ids) > 2 else "")
            label = f"{r.indication.replace('_', ' ')} · {r.route.replace('_', ' ')}"
            rows.append(
                FigureRow(
                    label[:44],
                    r.low,
                    r.high,
                    r.best_evidence,
                    f"{cites} ({r.studies})" if cites else f"({r.studies})",
                )
            )
        panels.append(Panel(f"{unit_label(basis)} (log scale)", rows, room=2))
    return panels


def _matplotlib() -> Any:
    """matplotlib's Figure class, or one line naming the extra that installs it."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise InputError(
            f"figures need matplotlib, which is not installed: {EXTRA}", hint=None
        ) from None
    return Figure


def render(panels: Sequence[Panel], fmt: str) -> bytes:
    """The figure, as the bytes of an SVG, PNG or PDF file."""
    Figure = _matplotlib()
    import matplotlib

    heights = [max(1, len(p.rows)) * 0.38 + 1.3 for p in panels] or [1.5]
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "mscdose", "font.size": 9}):
        fig = Figure(figsize=(9.5, sum(heights) + 0.9), layout="constrained")
        axes = fig.subplots(len(panels) or 1, 1, squeeze=False, height_ratios=heights)[:, 0]
        for ax, panel in zip(axes, panels, strict=False):
            _draw(ax, panel)
        _legend(fig, proposed=any(p.marker is not None for p in panels))
        out = io.BytesIO()
        metadata: dict[str, Any] = {"svg": {"Date": None}, "png": {}, "pdf": {"CreationDate": None}}
        fig.savefig(out, format=fmt, dpi=150, metadata=metadata[fmt])
    return out.getvalue()


def _draw(ax: Any, panel: Panel) -> None:
    rows = panel.rows
    ys = list(range(len(rows)))[::-1]
    values = [v for r in rows for v in (r.low, r.high) if v > 0 and math.isfinite(v)]
    if panel.marker is not None:
        lo, hi = panel.marker
        if lo == hi:
            ax.axvline(lo, color=PROPOSED[1], linestyle="--", linewidth=1.2, zorder=1)
        else:
            ax.axvspan(lo, hi, color=PROPOSED[1], alpha=0.15, zorder=0)
    for n, (y, row) in enumerate(zip(ys, rows, strict=True)):
        alpha = 0.45 if row.muted else 1.0
        if row.evidence is None:
            marker, colour = PROPOSED
            size = 15
        else:
            marker, colour, _ = EVIDENCE_MARKERS.get(row.evidence, ("o", "#444444", ""))
            size = 7
        if row.high > row.low:
            ax.plot([row.low, row.high], [y, y], color=colour, linewidth=3, alpha=alpha, zorder=2)
        ends = [row.low] if row.low == row.high else [row.low, row.high]
        ax.plot(
            ends,
            [y] * len(ends),
            linestyle="none",
            marker=marker,
            markersize=size,
            color=colour,
            markeredgecolor="black",
            markeredgewidth=0.6,
            alpha=alpha,
            zorder=3,
            gid=f"marker-{row.evidence or 'proposed'}-{n}",
        )
        if row.note:
            ax.annotate(
                row.note,
                (row.high, y),
                xytext=(8, 0),
                textcoords="offset points",
                va="center",
                fontsize=7.5,
                color="#333333",
            )
    ax.set_xscale("log")
    if values:
        low_exp = math.floor(math.log10(min(values)))
        high_exp = math.ceil(math.log10(max(values))) + panel.room
        ax.set_xlim(10**low_exp, 10**high_exp)
    ax.set_yticks(ys, [r.label for r in rows])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.grid(axis="x", which="major", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_title(panel.title, loc="left", fontsize=9.5)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)


def _legend(fig: Any, *, proposed: bool) -> None:
    from matplotlib.lines import Line2D

    handles = ([
        Line2D([], [], marker=PROPOSED[0], color=PROPOSED[1], linestyle="none", markersize=11,
               markeredgecolor="black", markeredgewidth=0.6, label="proposed"),
    ] if proposed else []) + [
        Line2D([], [], marker=m, color=c, linestyle="none", markersize=7, markeredgecolor="black",
               markeredgewidth=0.6, label=name)
        for m, c, name in EVIDENCE_MARKERS.values()
    ]  # fmt: skip
    fig.legend(
        handles=handles, loc="outside lower center", ncol=len(handles), frameon=False, fontsize=8
    )


def write_figure(panels: Sequence[Panel], path: str) -> None:
    """Draw ``panels`` into ``path`` (its suffix says the format)."""
    data = render(panels, figure_format(path))
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise InputError(f"cannot write the figure {path!r}: {exc.strerror}") from None


def svg_element(panels: Sequence[Panel]) -> str:
    """The figure as an ``<svg>`` element to place inside an HTML page (its text is XML-
    escaped by matplotlib)."""
    text = render(panels, "svg").decode("utf-8")
    return text[text.index("<svg") :]
