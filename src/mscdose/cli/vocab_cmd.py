"""``mscdose routes`` and ``mscdose indications``: the names mscdose understands."""

from __future__ import annotations

from mscdose.cli.app import app
from mscdose.cli.options import Ascii, Json


@app.command(
    short_help="Routes of administration: names, aliases, dose bases, clinical notes.",
    epilog="""Examples:

\b
  mscdose routes
  mscdose routes --json | jq -r '.routes[].name'""",
)
def routes(json: Json = False, ascii: Ascii = False) -> None:
    """Routes of administration: canonical names, aliases, dose bases and clinical notes."""
    # imported on first use, to keep start-up fast
    from mscdose.cli.output import emit_json, use_ascii
    from mscdose.documents import routes_report

    report = routes_report()
    if json:
        emit_json(report)
        # imported on first use, to keep start-up fast
        return
    from mscdose.cli.render_studies import render_routes

    render_routes(report, ascii=use_ascii(ascii))


@app.command(
    short_help="Indications: names, aliases (English, abbreviations, Chinese), hierarchy.",
    epilog="""Examples:

\b
  mscdose indications
  mscdose indications --json | jq -r '.indications[] | .name + ": " + (.aliases | join(", "))'""",
)
def indications(json: Json = False, ascii: Ascii = False) -> None:
    """Indications: canonical names, aliases (English, abbreviations, Chinese) and hierarchy."""
    # imported on first use, to keep start-up fast
    from mscdose.cli.output import emit_json, use_ascii
    from mscdose.documents import indications_report

    report = indications_report()
    if json:
        emit_json(report)
        # imported on first use, to keep start-up fast
        return
    from mscdose.cli.render_studies import render_indications

    render_indications(report, ascii=use_ascii(ascii))
