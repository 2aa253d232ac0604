"""Rich output of a check: the verdict in words, the doses, the range, the chart, the nearest
studies with citations, and the warnings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mscdose.text.display import format_dose, format_quantity, to_ascii

if TYPE_CHECKING:
    from rich.console import Console

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
    "indication_route": "this indication and route",
    "route": "this route (any indication)",
    "all": "every route and indication",
}


def verdict_sentence(report: CheckReport, *, ascii: bool = False) -> str:
    p, r = report.proposed, report.reported
    dose = p.display if not ascii else to_ascii(p.display)
    if r is None:
        return f"{dose} by {p.route}: no reported dose could be compared."
    rng = format_dose(r.low, r.high, r.basis, p.dose.cells, ascii=ascii)
    where = _LEVEL[report.compared_at or "all"]
    n = f"{r.studies} {'row' if r.studies == 1 else 'rows'}, strongest evidence: {r.evidence}"
    if report.verdict == "within":
        return f"{dose} is WITHIN the reported range for {where}: {rng} ({n})."
    fold = format_quantity(report.distance_fold or 1.0)
    side = "ABOVE" if report.verdict == "above" else "BELOW"
    return f"{dose} is {side} the reported range for {where} by {fold}-fold: {rng} ({n})."


def render_check(
    report: CheckReport, *, explain: bool = False, ascii: bool = False, out: Console | None = None
) -> None:
    from rich.panel import Panel
    from rich.text import Text

    # imported on first use, to keep start-up fast
    from mscdose.cli.output import console

    out = out or console()
    fix = to_ascii if ascii else (lambda s: s)
    p = report.proposed
    lines = Text(verdict_sentence(report, ascii=ascii), style=_STYLE[report.verdict])
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
    if facts:
        lines.append("\n" + "; ".join(facts), style="")
    out.print(
        Panel(lines, title=f"mscdose check — {report.verdict.replace('_', ' ')}", expand=False)
    )

    if explain:
        out.print("[bold]How this was worked out[/bold]")
        for step in report.steps:
            out.print(f"  {fix(step)}", markup=False)

    comparable = [m for m in report.matches if m.compared is not None]
    if comparable:
        # imported on first use, to keep start-up fast
        from mscdose.cli.render_table import draw_marked_chart

        draw_marked_chart(report, out=out, ascii=ascii)

    if report.matches:
        out.print("[bold]Nearest reported regimens[/bold]")
        for i, m in enumerate(report.matches[:NEAREST], 1):
            as_reported = format_dose(
                m.dose.low, m.dose.high, m.dose.basis, m.dose.cells, ascii=ascii
            )
            if m.compared is not None and m.dose.basis != p.dose.basis:
                as_reported += " = " + format_dose(
                    m.compared.low, m.compared.high, p.dose.basis, ascii=ascii
                )
            relation = _RELATION[m.relation]
            grade = m.evidence if m.confidence == "confirmed" else f"{m.evidence}, {m.confidence}"
            if not m.sets_bound:
                grade += ", sets no bound"
            line = Text.assemble(
                (f"  {i}. {m.id}  ", "bold"),
                as_reported,
                f" ({grade})",
                (f" — {relation}", _RELATION_STYLE[m.relation]),
            )
            out.print(line)
            detail = m.citation + (f"; {m.note}" if m.note else "")
            out.print(Text("     " + fix(detail), style="dim"))
        if len(report.matches) > NEAREST:
            out.print(f"  … and {len(report.matches) - NEAREST} more rows (--json lists them all)")

    if report.warnings:
        out.print("[bold]Warnings[/bold]")
        for w in report.warnings:
            out.print(
                Text.assemble(
                    ("  ● ", _SEVERITY[w.severity]),
                    (f"{w.severity.upper()} {w.code}: ", _SEVERITY[w.severity]),
                    fix(w.message),
                    (f"  [{fix(w.source or '')}]", "dim"),
                )
            )
