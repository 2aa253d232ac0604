"""Rich output for people: table rows with their citations, one study, the vocabularies."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mscdose.text.display import format_dose, format_quantity, to_ascii

if TYPE_CHECKING:
    from rich.console import Console

    from mscdose.documents import IndicationsReport, RoutesReport, StudiesReport, StudyItem
    from mscdose.models import Dose

_CONFIDENCE_STYLE = {"confirmed": "green", "probable": "yellow", "unconfirmed": "red"}


def _dose(d: Dose, ascii: bool) -> str:
    return format_dose(d.low, d.high, d.basis, d.cells, ascii=ascii)


def _fix(text: str, ascii: bool) -> str:
    return to_ascii(text) if ascii else text


def render_studies(
    report: StudiesReport, *, ascii: bool = False, out: Console | None = None
) -> None:
    """``mscdose studies``: a short block per row — id and evidence, dose, where, citation."""
    from rich.padding import Padding
    from rich.text import Text

    # imported on first use, to keep start-up fast
    from mscdose.cli.output import console

    out = out or console()
    if not report.studies:
        out.print(f"No study in table {report.table.version} matches.", markup=False)
        return
    sep = " / " if ascii else " · "
    for s in report.studies:
        head = Text(s.id, style="bold")
        head.append("  " + s.evidence + (f", n={s.n}" if s.n is not None else "") + ", ")
        head.append(s.confidence, style=_CONFIDENCE_STYLE[s.confidence])
        out.print(head)
        dose = _dose(s.dose, ascii) + (f"; {s.schedule.text}" if s.schedule is not None else "")
        where = sep.join([s.indication, s.route, s.source, s.population])
        for line, style in ((dose, ""), (where, ""), (s.citation, "dim")):
            out.print(Padding(Text(_fix(line, ascii), style=style), (0, 0, 0, 2), expand=False))
    count = len(report.studies)
    out.print(
        f"{count} {'study' if count == 1 else 'studies'} (table {report.table.version}); "
        "'mscdose show ID' gives the details of one.",
        style="dim",
        markup=False,
    )


def render_study(s: StudyItem, *, ascii: bool = False, out: Console | None = None) -> None:
    """``mscdose show ID``: every field of one row."""
    from rich.table import Table
    from rich.text import Text

    # imported on first use, to keep start-up fast
    from mscdose.cli.output import console

    out = out or console()
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")

    def add(name: str, value: object) -> None:
        if value is None or value == "" or value == []:
            return
        table.add_row(name, value if isinstance(value, Text) else _fix(str(value), ascii))

    add("id", s.id)
    add("indication", s.indication + (f" ({s.indication_detail})" if s.indication_detail else ""))
    add("category", s.category)
    add("route", s.route)
    add("source", s.source + (f", {s.donor}" if s.donor else ""))
    add("dose", _dose(s.dose, ascii))
    add("levels", "; ".join(_dose(d, ascii) for d in s.levels))
    for band in s.bands:
        lo = f"> {format_quantity(band.above_kg)} kg" if band.above_kg is not None else ""
        hi = f"≤ {format_quantity(band.up_to_kg)} kg" if band.up_to_kg is not None else ""
        add("weight band", f"{' and '.join(x for x in (lo, hi) if x)}: {_dose(band.dose, ascii)}")
    if s.cap_per_kg is not None:
        add("cap per kg", format_dose(s.cap_per_kg, s.cap_per_kg, "per_kg", ascii=ascii))
    if s.cap_total is not None:
        add(
            "cap per administration",
            format_dose(s.cap_total, s.cap_total, "per_patient", ascii=ascii),
        )
    if s.schedule is not None:
        parts = [s.schedule.text]
        if s.schedule.doses is not None:
            parts.append(f"{s.schedule.doses} dose{'' if s.schedule.doses == 1 else 's'}")
        if s.schedule.interval_days is not None:
            iv = s.schedule.interval_days
            days = (
                format_quantity(iv.low)
                if iv.low == iv.high
                else f"{format_quantity(iv.low)}-{format_quantity(iv.high)}"
            )
            parts.append(f"{days} days apart")
        add("schedule", "; ".join(parts))
    add("population", s.population + (f", n={s.n}" if s.n is not None else ""))
    add(
        "evidence", Text.assemble(s.evidence, ", ", (s.confidence, _CONFIDENCE_STYLE[s.confidence]))
    )
    add("citation", s.citation)
    add("label date", s.label_date)
    add("provenance", s.provenance)
    add("outcome", s.outcome)
    add("notes", s.notes)
    out.print(table)


def _term_block(
    name: str,
    label: str,
    facts: list[str],
    aliases: list[str],
    notes: list[tuple[str, str]],
    ascii: bool,
    out: Console,
) -> None:
    from rich.padding import Padding
    from rich.text import Text

    head = Text(name, style="bold")
    if label and label != name:
        head.append(f" ({_fix(label, ascii)})")
    if facts:
        head.append("  " + "; ".join(facts), style="dim")
    out.print(head)
    bullet = "- " if ascii else "• "
    lines = [f"aliases: {', '.join(aliases)}"] if aliases else []
    lines += [f"{bullet}{text} [{source}]" for text, source in notes]
    for line in lines:
        out.print(Padding(Text(_fix(line, ascii)), (0, 0, 0, 2), expand=False))


def render_routes(report: RoutesReport, *, ascii: bool = False, out: Console | None = None) -> None:
    """``mscdose routes``: per route its names, dose bases and the notes a clinician should see."""
    # imported on first use, to keep start-up fast
    from mscdose.cli.output import console

    out = out or console()
    for r in report.routes:
        facts = ["systemic" if r.systemic else "local"]
        facts.append("doses " + ", ".join(b.replace("per_", "/") for b in r.bases))
        if r.broader:
            facts.append(f"a kind of {r.broader}")
        if r.narrower:
            facts.append("includes " + ", ".join(r.narrower))
        notes = [(n.text, n.source) for n in r.notes]
        _term_block(r.name, r.label, facts, r.aliases, notes, ascii, out)
    out.print(
        f"{len(report.routes)} routes; any alias works wherever a route is asked for.",
        style="dim",
        markup=False,
    )


def render_indications(
    report: IndicationsReport, *, ascii: bool = False, out: Console | None = None
) -> None:
    """``mscdose indications``: names, aliases and where each sits in the hierarchy."""
    # imported on first use, to keep start-up fast
    from mscdose.cli.output import console

    out = out or console()
    for t in report.indications:
        facts = [t.category] if t.category else []
        if t.broader:
            facts.append(f"a kind of {t.broader}")
        notes = [(n.text, n.source) for n in t.notes]
        _term_block(t.name, t.label, facts, t.aliases, notes, ascii, out)
    out.print(
        f"{len(report.indications)} indications; a broader one also finds the narrower "
        "ones ('--indication \"liver failure\"' finds acute-on-chronic liver failure).",
        style="dim",
        markup=False,
    )
