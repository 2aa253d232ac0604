"""Rich output of a check, safety first: the verdict in words and the doses, every danger and
caution, then the chart and the nearest studies with citations; info notes on request."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from mscdose.text.display import format_dose, format_quantity, to_ascii

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from mscdose.checking.report import CheckReport

NEAREST = 6
_STYLE = {
    "within": "bold green",
    "below": "bold yellow",
    "above": "bold red",
    "no_data": "bold magenta",
}
_SEVERITY = {"danger": "bold red", "caution": "yellow", "info": "cyan"}
_RELATION = {
    "within": "proposal within",
    "below": "proposal below it",
    "above": "proposal above it",
    "not_comparable": "not comparable",
}
_RELATION_STYLE = {"within": "green", "below": "yellow", "above": "red", "not_comparable": "dim"}
_LEVEL = {
    "indication_route": "{indication} by {route}",
    "indication_broader": "{indication} by {route} (from its broader terms' rows)",
    "route": "{route}, any indication",
}
_CONTEXT = {
    "indication_route": "the indication's rows without that filter",
    "route": "other indications' doses by this route",
    "all": "every route's doses",
}


def _question(report: CheckReport) -> str:
    p = report.proposed
    route = p.route.replace("_", "-")
    if p.indication is None:
        return f"{route}, any indication"
    return f"{p.indication.replace('_', ' ')} by {route}"


def verdict_sentence(report: CheckReport, *, ascii: bool = False) -> str:
    """The verdict in one sentence, for the question that was asked."""
    p, r = report.proposed, report.reported
    dose = p.display if not ascii else to_ascii(p.display)
    if r is None or report.compared_at is None:
        filtered = {
            "source": f" with {(p.source or '').replace('_', ' ')} cells",
            "population": f" in {p.population} patients",
            "source and population": f" with {(p.source or '').replace('_', ' ')} "
            f"cells in {p.population} patients",
        }
        by = filtered.get(report.emptied_by or "", "")
        return (
            f"NO DATA: the table has no reported dose for {_question(report)}{by} that "
            f"{dose} can be compared with. This dose could not be checked."
        )
    rng = format_dose(r.low, r.high, r.basis, p.dose.cells, ascii=ascii)
    where = _LEVEL[report.compared_at].format(
        indication=(p.indication or "").replace("_", " "), route=p.route.replace("_", "-")
    )
    n = f"{r.studies} {'row' if r.studies == 1 else 'rows'}, strongest evidence: {r.evidence}"
    if report.verdict == "within":
        how = "WITHIN"
        if report.within_only_with_margin:
            how = f"WITHIN ONLY WITH THE {format_quantity(report.margin * 100)}% MARGIN of"
        return f"{dose} is {how} the reported range for {where}: {rng} ({n})."
    fold = format_quantity(report.distance_fold or 1.0)
    side = "ABOVE" if report.verdict == "above" else "BELOW"
    return f"{dose} is {side} the reported range for {where} by {fold}-fold: {rng} ({n})."


def _facts(report: CheckReport, ascii: bool) -> list[str]:
    p = report.proposed
    facts = []
    if p.per_patient is not None:
        facts.append(
            "per administration: "
            + format_dose(
                p.per_patient.low, p.per_patient.high, "per_patient", p.dose.cells, ascii=ascii
            )
        )
    if p.per_kg is not None:
        facts.append(
            "per kg: "
            + format_dose(p.per_kg.low, p.per_kg.high, "per_kg", p.dose.cells, ascii=ascii)
        )
    lines = ["; ".join(facts)] if facts else []
    if report.context is not None:
        c = report.context
        lines.append(
            f"for context only, never the verdict — {_CONTEXT[c.level]}: "
            f"{format_dose(c.low, c.high, c.basis, p.dose.cells, ascii=ascii)} "
            f"({c.studies} {'row' if c.studies == 1 else 'rows'})"
        )
    if report.schedule_verdict is not None:
        said = {
            "within": "within the reported schedules",
            "outside": "OUTSIDE the reported schedules",
            "no_data": "no matched row reports a schedule: not checked",
        }
        rows = f" ({', '.join(report.schedule_rows)})" if report.schedule_rows else ""
        lines.append(f"schedule: {said[report.schedule_verdict]}{rows}")
    return lines


def render_check(
    report: CheckReport,
    *,
    explain: bool = False,
    ascii: bool = False,
    show_all: bool = False,
    out: Console | None = None,
) -> None:
    """Safety first: the verdict and the doses, every danger and caution, then the chart and
    the nearest studies; info notes fold into one line unless asked for."""
    from rich.panel import Panel
    from rich.text import Text

    # imported on first use, to keep start-up fast
    from mscdose._version import DISCLAIMER
    from mscdose.cli.output import console

    out = out or console()
    fix = to_ascii if ascii else (lambda s: s)
    lines = Text(verdict_sentence(report, ascii=ascii), style=_STYLE[report.verdict])
    for fact in _facts(report, ascii):
        lines.append("\n" + fix(fact), style="")
    title = f"mscdose check — {report.verdict.replace('_', ' ')}"
    out.print(Panel(lines, title=title, expand=False))

    notes = [w for w in report.warnings if w.severity == "info"]
    serious = [w for w in report.warnings if w.severity != "info"]
    for w in serious + (notes if show_all or explain else []):
        _warning(out, w.severity, w.code, fix(w.message), fix(w.source or ""))
    if notes and not (show_all or explain):
        codes = ", ".join(w.code for w in notes)
        count = f"{len(notes)} info {'note' if len(notes) == 1 else 'notes'}"
        _indented(out, 2, Text(f"{count}: {codes} (--all or --explain shows them)", style="dim"))

    if explain:
        out.print("[bold]How this was worked out[/bold]")
        for step in report.steps:
            out.print(f"  {fix(step)}", markup=False)

    if any(m.compared is not None for m in report.matches):
        # imported on first use, to keep start-up fast
        from mscdose.cli.render_table import draw_marked_chart

        draw_marked_chart(report, out=out, ascii=ascii)
    _nearest(report, out, ascii, fix)
    out.print(Text(DISCLAIMER, style="dim"))


def _warning(out: Console, severity: str, code: str, message: str, source: str) -> None:
    """One warning; wrapped lines keep the indent of the text."""
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=0, expand=False)
    grid.add_column(width=4, no_wrap=True)
    grid.add_column()
    style = _SEVERITY[severity]
    grid.add_row(
        Text("  ● ", style=style),
        Text.assemble((f"{severity.upper()} {code}: ", style), message, (f"  [{source}]", "dim")),
    )
    out.print(grid)


def _indented(out: Console, indent: int, text: Text) -> None:
    """Print ``text`` with every wrapped line indented alike."""
    from rich.padding import Padding

    out.print(Padding(text, (0, 0, 0, indent), expand=False))


def _nearest(report: CheckReport, out: Console, ascii: bool, fix: Callable[[str], str]) -> None:
    from rich.text import Text

    p = report.proposed
    if not report.matches:
        return
    out.print("[bold]Nearest reported regimens[/bold]")
    for i, m in enumerate(report.matches[:NEAREST], 1):
        as_reported = format_dose(m.dose.low, m.dose.high, m.dose.basis, m.dose.cells, ascii=ascii)
        if m.compared is not None and m.dose.basis != p.dose.basis:
            as_reported += " = " + format_dose(
                m.compared.low, m.compared.high, p.dose.basis, ascii=ascii
            )
        grade = m.evidence if m.confidence == "confirmed" else f"{m.evidence}, {m.confidence}"
        if not m.sets_bound:
            grade += ", sets no bound"
        if m.local:
            grade += ", local table"
        line = Text.assemble(
            (f"{i}. {m.id}  ", "bold"),
            as_reported,
            f" ({grade})",
            (f" — {_RELATION[m.relation]}", _RELATION_STYLE[m.relation]),
        )
        _indented(out, 2, line)
        detail = m.citation + (f"; {m.note}" if m.note else "")
        _indented(out, 5, Text(fix(detail), style="dim"))
    if len(report.matches) > NEAREST:
        out.print(f"  … and {len(report.matches) - NEAREST} more rows (--json lists them all)")
