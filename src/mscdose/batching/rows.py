"""Batch input: the CSV header, records and their numbers, and each record's given fields.

- The header decides nothing silently: a column close to a known name (``indicaton``) or a
  known column given twice stops the run; other columns are passed by.
- The delimiter is the one given, else found in the header (comma, semicolon or tab).
- A record is a record whatever its newlines: a quoted field may hold them. A quote left open
  swallows at most :data:`MAX_RECORD_LINES` lines; past that its first line stands alone, so a
  broken line never swallows the ones after it.
- Blank lines are no records. A record's number is its place among the records, whether one
  process reads them or workers read them in chunks (the parent numbers the chunks).
- A line that cannot be read (not UTF-8, JSON nested too deeply, a lone surrogate escape)
  becomes its own error: every record gets its answer.
"""

from __future__ import annotations

import csv
import difflib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from mscdose.errors import InputError

COLUMNS = (
    "dose",
    "route",
    "indication",
    "source",
    "weight",
    "height",
    "bsa",
    "age",
    "population",
    "schedule",
    "viability",
    "volume",
    "dmso",
    "rate",
    "sex",
)
DELIMITERS = (",", ";", "\t")
MAX_RECORD_LINES = 100
_CLOSE = 0.8  # difflib's ratio from which an unknown column is read as a misspelt known one
_SURROGATE = re.compile("[\ud800-\udfff]")

# (record number, the given fields or the reason the record cannot be read, the fields as
# written for CSV output: None when there are none)
Row = tuple[int, "dict[str, str] | str", "list[str] | None"]


@dataclass(frozen=True)
class Header:
    """A CSV header: its names as written, in lower case, and the delimiter of the file."""

    written: tuple[str, ...]
    names: tuple[str, ...]
    delimiter: str


def detect_format(first_line: bytes, name: str | None = None) -> str:
    """``jsonl`` or ``csv``, from the file name, else from the first line."""
    if name:
        lower = name.lower()
        if lower.endswith((".jsonl", ".ndjson", ".json")):
            return "jsonl"
        if lower.endswith((".csv", ".tsv", ".txt")):
            return "csv"
    return "jsonl" if first_line.lstrip().startswith(b"{") else "csv"


def parse_header(raw: bytes, delimiter: str | None = None) -> Header:
    """The header of a CSV file from its first non-blank line; raises InputError when it
    cannot be read, lacks dose or route, names a known column twice, or has a column close to
    a known name."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            "the CSV header is not valid UTF-8", hint="save the file as UTF-8"
        ) from None
    candidates = (delimiter,) if delimiter else DELIMITERS
    found: list[tuple[list[str], str]] = []
    for candidate in candidates:
        try:
            fields = split_csv_line(text, candidate)
        except csv.Error as exc:
            raise InputError(f"cannot read the CSV header: {exc}") from None
        found.append((fields, candidate))
    # the delimiter that gives dose and route, else the one that splits the line most
    fields, chosen = max(
        found,
        key=lambda f: ({"dose", "route"} <= {h.strip().lower() for h in f[0]}, len(f[0])),
    )
    names = tuple(h.strip().lower() for h in fields)
    _check_names(names)
    return Header(tuple(fields), names, chosen)


_KNOWN = frozenset(COLUMNS)


@lru_cache(maxsize=1024)
def _close_name(name: str) -> str | None:
    """The known column an unknown one is close to (``indicaton`` → ``indication``), if any."""
    close = difflib.get_close_matches(name, COLUMNS, n=1, cutoff=_CLOSE)
    return close[0] if close else None


def _check_names(names: tuple[str, ...]) -> None:
    for name in COLUMNS:
        if names.count(name) > 1:
            raise InputError(
                f"the CSV header names the column '{name}' twice",
                hint="keep one: which of them should be checked is not for mscdose to guess",
            )
    for name in names:
        if name in _KNOWN or not name:
            continue
        close = _close_name(name)
        if close:
            raise InputError(
                f"the CSV column '{name}' is not one mscdose reads, and may mean '{close}'",
                given=name,
                hint=f"rename it '{close}' to have it checked, or to something unlike "
                "mscdose's columns (" + ", ".join(COLUMNS) + ") to pass it by",
            )
    if "dose" not in names or "route" not in names:
        raise InputError(
            "the CSV header needs at least the columns dose and route",
            hint="columns: " + ",".join(COLUMNS),
        )


def records(lines: Iterable[bytes], delimiter: str = ",") -> Iterator[bytes]:
    """The non-blank CSV records of ``lines``: a line whose quoted field is left open is
    joined with the next ones until it closes (at most :data:`MAX_RECORD_LINES` lines)."""
    it = iter(lines)
    pushed: list[bytes] = []  # lines read ahead and given back, last first
    quote, delim = ord('"'), ord(delimiter)
    while True:
        line = pushed.pop() if pushed else next(it, None)
        if line is None:
            return
        raw = line
        if b'"' not in raw:
            if raw.strip():
                yield raw
            continue
        if not _left_open(raw, quote, delim, inside=False):
            yield raw
            continue
        parts = [raw]
        inside = True
        while inside and len(parts) < MAX_RECORD_LINES:
            nxt = pushed.pop() if pushed else next(it, None)
            if nxt is None:
                break
            parts.append(nxt)
            inside = _left_open(nxt, quote, delim, inside=True)
        if inside:  # never closed: the line stands alone, the others are read again
            yield raw
            pushed.extend(reversed(parts[1:]))
        else:
            yield b"".join(p if p.endswith(b"\n") else p + b"\n" for p in parts[:-1]) + parts[-1]


def _left_open(line: bytes, quote: int, delim: int, *, inside: bool) -> bool:
    """Whether a quoted field is still open at the end of ``line`` (the csv module's rule: a
    quote opens a field only at its start; ``""`` inside one is a quote)."""
    start = not inside
    i, size = 0, len(line)
    while i < size:
        c = line[i]
        if inside:
            if c == quote:
                if i + 1 < size and line[i + 1] == quote:
                    i += 1
                else:
                    inside = False
        elif c == quote and start:
            inside = True
        else:
            start = c in (delim, 10, 13)
            i += 1
            continue
        start = False
        i += 1
    return inside


def read_rows(
    lines: Iterable[bytes],
    fmt: str,
    *,
    header_line: bytes | None = None,
    first_row: int = 1,
    delimiter: str | None = None,
) -> Iterator[tuple[int, dict[str, str] | str]]:
    """(record number, given fields) for each record, or (record number, error) for one that
    can't be read. A row's given fields are its non-empty ones, stripped (:func:`given_fields`).
    A CSV header is the first non-blank line, or ``header_line`` when a chunk is read alone."""
    for n, fields, _ in read_records(
        lines, fmt, header_line=header_line, first_row=first_row, delimiter=delimiter
    ):
        yield n, fields


def read_records(
    lines: Iterable[bytes],
    fmt: str,
    *,
    header_line: bytes | None = None,
    first_row: int = 1,
    delimiter: str | None = None,
) -> Iterator[Row]:
    """:func:`read_rows`, with each CSV record's fields as written."""
    it = iter(lines)
    if fmt != "csv":
        yield from rows_of((raw for raw in it if raw.strip()), fmt, None, first_row)
        return
    if header_line is None:
        header_line = next((raw for raw in it if raw.strip()), None)
        if header_line is None:
            return
    header = parse_header(header_line, delimiter)
    yield from rows_of(records(it, header.delimiter), fmt, header, first_row)


def rows_of(
    found: Iterable[bytes], fmt: str, header: Header | None, first_row: int = 1
) -> Iterator[Row]:
    """The rows of records already split (non-blank, quoted newlines joined), numbered from
    ``first_row``: what a worker does with its chunk."""
    names = header.names if header is not None else ()
    delimiter = header.delimiter if header is not None else ","
    width = len(names)
    for n, raw in enumerate(found, first_row):
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            yield n, "the line is not valid UTF-8", None
            continue
        if fmt == "csv":
            try:
                fields = split_csv_line(text, delimiter)
            except csv.Error as exc:
                yield n, f"cannot read the CSV line: {exc}", None
                continue
            if len(fields) != width:
                yield n, f"expected {width} columns, found {len(fields)}", fields
                continue
            yield (
                n,
                {k: v for k, raw in zip(names, fields, strict=True) if (v := raw.strip())},
                fields,
            )
        else:
            yield n, *_json_row(text)


def _json_row(text: str) -> tuple[dict[str, str] | str, list[str] | None]:
    try:
        obj = json.loads(text)
    except RecursionError:
        return "the JSON is nested too deeply to be a row", None
    except ValueError as exc:
        return f"not a JSON object: {exc.args[0] if exc.args else exc}", None
    if not isinstance(obj, dict):
        return "not a JSON object", None
    given = given_fields(obj)
    if "\\u" in text and any(_SURROGATE.search(k + v) for k, v in given.items()):
        return "the line holds a lone surrogate escape (such as \\ud800), which is no text", None
    if not _KNOWN.issuperset(given):  # a key no row's header could have: read like one
        for key in given:
            close = None if key in _KNOWN else _close_name(key)
            if close:
                return (
                    f"the key '{key}' is not one mscdose reads, and may mean '{close}'; "
                    "rename it to have it checked, or to something unlike mscdose's keys",
                    None,
                )
    return given, [given.get(name, "") for name in COLUMNS]


def given_fields(raw: dict[Any, Any]) -> dict[str, str]:
    """A row's given fields: names in lower case, values as stripped text, empty ones and
    nulls left out (a column left empty gives nothing)."""
    return {
        str(k).lower(): v
        for k, value in raw.items()
        if value is not None and (v := str(value).strip())
    }


def split_csv_line(text: str, delimiter: str = ",") -> list[str]:
    """The fields of one non-blank CSV record: a plain split unless it holds quotes or control
    characters the csv module treats specially (it is several times slower)."""
    body = text[:-1] if text.endswith("\n") else text
    body = body[:-1] if body.endswith("\r") else body
    if '"' in body or "\r" in body or "\n" in body or "\x00" in body:
        return next(csv.reader([text], delimiter=delimiter))
    return body.split(delimiter)
