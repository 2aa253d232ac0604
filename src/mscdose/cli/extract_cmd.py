"""``mscdose extract``: find the doses in free text and flag every reading that needed a repair."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Annotated

import typer

from mscdose.cli.app import app
from mscdose.cli.options import (
    Age,
    Ascii,
    Bsa,
    Height,
    Json,
    PopulationOpt,
    Table,
    TableOnly,
    Weight,
)
from mscdose.errors import InputError

if TYPE_CHECKING:
    from mscdose.extraction.model import Extraction


@app.command(
    short_help="Find the doses in free text; damaged notation is read but flagged.",
    epilog="""Examples:

\b
  mscdose extract "MSCs were infused at a dose of 2 × 106/kg on day 1."
  mscdose extract --file abstract.txt --json
  pbpaste | mscdose extract -""",
)
def extract(
    text: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="TEXT",
            help="Text to search; several arguments are joined with spaces; '-' (or none, "
            "with text piped in) reads stdin.",
            show_default=False,
        ),
    ] = None,
    file: Annotated[
        str | None,
        typer.Option(
            "--file", "-f", metavar="PATH", help="Read the text from PATH ('-' for stdin)."
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Check each dose found (give --route; --indication, --weight)."
        ),
    ] = False,
    route: Annotated[str | None, typer.Option("--route", "-r", help="Route for --check.")] = None,
    indication: Annotated[
        str | None, typer.Option("--indication", "-i", help="Indication for --check.")
    ] = None,
    weight: Weight = None,
    height: Height = None,
    bsa: Bsa = None,
    age: Age = None,
    population: PopulationOpt = None,
    table: Table = None,
    table_only: TableOnly = False,
    json: Json = False,
    ascii: Ascii = False,
) -> None:
    """Find dose expressions in free text (a paper, a registration, a pasted table).

    Damaged notation (2 × 106/kg, 10*7, 10(6), LaTeX, 10e6) is read but marked ambiguous with
    the reason. Offsets count characters of the text (arguments joined with single spaces).
    Exit 0 when doses were found and none is ambiguous, 1 when none was found or some are
    ambiguous, 2 when the input cannot be read.
    """
    # imported on first use, to keep start-up fast
    from mscdose.cli.output import emit_json, use_ascii
    from mscdose.extraction.scan import extract as find_doses

    source = read_source(text or [], file)
    result = find_doses(source)
    if check:
        patient = (weight, height, bsa, age, population)
        result = _checked(result, route, indication, patient, table, table_only)
    if json:
        emit_json(result)
    else:
        # imported on first use, to keep start-up fast
        from mscdose.cli.render_extract import render_extraction

        render_extraction(result, source, ascii=use_ascii(ascii))
    clean = bool(result.doses) and not any(d.ambiguous for d in result.doses)
    if result.checks is not None:
        clean = clean and all(c.verdict == "within" for c in result.checks)
    raise typer.Exit(0 if clean else 1)


def _checked(
    result: Extraction,
    route: str | None,
    indication: str | None,
    patient: tuple[str | None, str | None, str | None, str | None, str | None],
    table: str | None,
    table_only: bool,
) -> Extraction:
    """``--check``: each dose found, checked for the route (and indication, patient) given."""
    if route is None:
        raise InputError("--check needs --route", hint="e.g. extract --check --route iv TEXT")
    # imported on first use, to keep start-up fast
    from mscdose.cli.options import load, patient_from_options
    from mscdose.extraction.checked import check_found
    from mscdose.text.vocab import resolve_indication, resolve_route

    loaded = load(table, only=table_only)  # first: a local table may define its own terms
    return check_found(
        result,
        resolve_route(route),
        loaded,
        indication=resolve_indication(indication) if indication else None,
        patient=patient_from_options(*patient),
    )


def read_source(args: list[str], path: str | None) -> str:
    """The text to search: the arguments, a UTF-8 file, or stdin (``-`` as the text or the
    file, or no text with stdin piped in)."""
    if args == ["-"] and path is None:
        args, path = [], "-"
    if not args and path is None and not _interactive(sys.stdin):
        piped = _piped()
        if piped is not None:
            return piped
    if args and path is not None:
        raise InputError(
            "give the text as arguments or with --file, not both",
            hint="e.g. mscdose extract --file paper.txt",
        )
    if path is None:
        if not args:
            raise InputError(
                "no text to search", hint="give TEXT, or --file PATH ('-' reads stdin)"
            )
        text = " ".join(args)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as exc:  # undecodable bytes in argv arrive as surrogates
            raise InputError(
                "the text is not valid UTF-8",
                hint="pass UTF-8 text, or use --file with a UTF-8 file",
            ) from exc
        return text
    return _decode(_read_bytes(path), "stdin" if path == "-" else f"'{path}'")


def _piped() -> str | None:
    """Text piped in without '-', or None when there is none (an empty or unreadable stdin)."""
    try:
        data = _read_bytes("-")
    except (OSError, ValueError):  # stdin closed, or not readable here
        return None
    return _decode(data, "stdin") if data else None


def _interactive(stream: object) -> bool:
    """A terminal (or no stdin at all): nothing piped in to read."""
    isatty = getattr(stream, "isatty", None)
    try:
        return stream is None or isatty is None or bool(isatty())
    except (ValueError, OSError):  # a closed stdin
        return True


def _read_bytes(path: str) -> bytes | str:
    if path == "-":
        buffer = getattr(sys.stdin, "buffer", None)
        return buffer.read() if buffer is not None else sys.stdin.read()
    from pathlib import Path

    try:
        return Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise InputError(
            f"no such file: '{path}'", hint="check the path, or use '-' for stdin"
        ) from exc
    except IsADirectoryError as exc:
        raise InputError(f"'{path}' is a folder, not a file", hint="give a text file") from exc
    except OSError as exc:
        raise InputError(f"cannot read '{path}': {exc.strerror or exc}") from exc


def _decode(data: bytes | str, name: str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            hint="convert it first, e.g. iconv -f GB18030 -t UTF-8",
        ) from exc
