"""``check … --report FILE.html|FILE.md``: one self-contained document to attach to a case
discussion or a pharmacy-committee note. Jinja2 lives here (the ``mscdose[report]`` extra);
autoescaping is on for both templates, so every string from the input or the table is
escaped; the chart is matplotlib's SVG, inline (its text XML-escaped by matplotlib).

It holds the inputs as typed, the verdict in words, what it rests on (the context shown
beside a ``no_data`` verdict, the filter that emptied the match, the schedule's verdict, a
margin that decides), the chart, every warning, the nearest studies with links (PubMed,
PMC, ClinicalTrials.gov, DOI), the tool's and the table's versions with the table's sha256,
the date, and the disclaimer.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from mscdose._version import DISCLAIMER, __version__
from mscdose.cli.render_check import verdict_sentence
from mscdose.errors import InputError
from mscdose.text.display import format_dose, format_quantity

if TYPE_CHECKING:
    from mscdose.checking.report import CheckReport
    from mscdose.table.index import Table
    from mscdose.table.row import Citation

FORMATS = {".html": "html", ".htm": "html", ".md": "md", ".markdown": "md"}
EXTRA = "pip install 'mscdose[report]'"
NEAREST = 10
_CONTEXT = {
    "indication_route": "the indication's rows without the filter",
    "route": "other indications' doses by this route",
    "all": "every route's doses",
}


def report_format(path: str) -> str:
    """``html`` or ``md``, from the file's name; refused before any work is done."""
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise InputError(
            f"--report {path!r}: cannot tell the format from the name",
            given=path,
            hint="end the name in .html or .md",
        )
    return fmt


def links(citation: Citation) -> list[tuple[str, str]]:
    """(label, address) for each identifier a row's citation carries."""
    found = []
    if citation.pmid:
        found.append(
            (f"PMID {citation.pmid}", f"https://pubmed.ncbi.nlm.nih.gov/{quote(citation.pmid)}/")
        )
    if citation.pmcid:
        found.append(
            (citation.pmcid, f"https://pmc.ncbi.nlm.nih.gov/articles/{quote(citation.pmcid)}/")
        )
    if citation.nct:
        found.append((citation.nct, f"https://clinicaltrials.gov/study/{quote(citation.nct)}"))
    if citation.doi:
        found.append((f"doi {citation.doi}", f"https://doi.org/{quote(citation.doi, safe='/')}"))
    return found


def _rests_on(report: CheckReport) -> list[str]:
    """What the verdict rests on, in words (the fields a script reads in --json)."""
    lines = []
    cells = report.proposed.dose.cells
    if report.context is not None:
        c = report.context
        lines.append(
            f"For context only, never the verdict ({_CONTEXT[c.level]}): "
            f"{format_dose(c.low, c.high, c.basis, cells)} from {c.studies} "
            f"{'row' if c.studies == 1 else 'rows'}."
        )
    if report.emptied_by:
        lines.append(f"The {report.emptied_by} filter left no row to compare with.")
    if report.within_only_with_margin:
        lines.append(f"Within only because of the {format_quantity(report.margin * 100)}% margin.")
    elif report.margin:
        lines.append(f"The range was widened by a {format_quantity(report.margin * 100)}% margin.")
    if report.schedule_verdict is not None:
        rows = f" ({', '.join(report.schedule_rows)})" if report.schedule_rows else ""
        lines.append(f"Schedule: {report.schedule_verdict.replace('_', ' ')}{rows}.")
    return lines


def context(
    report: CheckReport, table: Table, inputs: list[tuple[str, str]], chart: str | None
) -> dict[str, Any]:
    """What the templates show, as plain values."""
    studies = []
    for m in report.matches[:NEAREST]:
        row = table.by_id.get(m.id)
        studies.append(
            {
                "id": m.id,
                "citation": m.citation,
                "dose": format_dose(m.dose.low, m.dose.high, m.dose.basis, m.dose.cells),
                "evidence": m.evidence.replace("_", " "),
                "confidence": m.confidence,
                "relation": m.relation.replace("_", " "),
                "sets_bound": m.sets_bound,
                "links": links(row.citation) if row is not None else [],
            }
        )
    p = report.patient
    patient = []
    if p is not None:
        for name, value, unit in (
            ("weight", p.weight_kg, "kg"),
            ("height", p.height_cm, "cm"),
            ("BSA", p.bsa_m2, "m²"),
            ("age", p.age_years, "years"),
        ):
            if value is not None:
                patient.append((name, f"{format_quantity(value)} {unit}"))
        if p.population:
            patient.append(("population", p.population))
    identity = report.table
    return {
        "verdict": report.verdict,
        "sentence": verdict_sentence(report),
        "rests_on": _rests_on(report),
        "inputs": inputs,
        "patient": patient,
        "steps": report.steps,
        "warnings": [w.model_dump() for w in report.warnings],
        "studies": studies,
        "more": max(0, len(report.matches) - NEAREST),
        "chart": chart,
        "tool": report.mscdose or __version__,
        "table_version": identity.version if identity else table.version,
        "table_sha256": identity.sha256 if identity else table.sha256,
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "disclaimer": DISCLAIMER,
    }


def _environment() -> Any:
    try:
        import jinja2
    except ImportError:
        raise InputError(f"--report needs Jinja2, which is not installed: {EXTRA}") from None
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("mscdose.cli", "templates"),
        autoescape=True,  # every template, .md too: a string from the input or table is data
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["md"] = _markdown_escape
    return env


def _markdown_escape(value: object) -> Any:
    """Markdown's specials escaped, then HTML's as entities, so that a table's text can make
    no tag, link, heading or table cell; the result is Markup, so autoescape does not escape
    the entities again."""
    import markupsafe  # Jinja2's own dependency

    text = str(value)
    for ch in "\\`*_{}[]()#+!|":
        text = text.replace(ch, "\\" + ch)
    escaped = markupsafe.escape(text.replace("\n", " "))  # < > & as entities; Markup
    # quotes make nothing in Markdown text: kept readable
    return markupsafe.Markup(str(escaped).replace("&#39;", "'").replace("&#34;", '"'))


def _chart(report: CheckReport, table: Table) -> str | None:
    """The range chart as an inline ``<svg>``, or None without matplotlib (said in the page)."""
    # imported on first use, to keep start-up fast
    from mscdose.cli.figures import check_panel, svg_element

    if not [m for m in report.matches if m.compared is not None]:
        return None
    try:
        return svg_element([check_panel(report, table)])
    except InputError:  # matplotlib absent: the report says how to add the chart
        return None


def render_report(
    report: CheckReport, table: Table, fmt: str, inputs: list[tuple[str, str]]
) -> str:
    """The document's text."""
    env = _environment()
    chart = _chart(report, table) if fmt == "html" else None
    template = env.get_template(f"report.{fmt}.j2")
    text: str = template.render(**context(report, table, inputs, chart), fmt=fmt)
    return text


def write_report(
    report: CheckReport, table: Table, path: str, *, inputs: list[tuple[str, str]]
) -> None:
    text = render_report(report, table, report_format(path), inputs)
    try:
        Path(path).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the report {path!r}: {exc.strerror}") from None
