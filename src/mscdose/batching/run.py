"""Rows in (CSV with a header, or JSON Lines), one result out per row, streaming.

Nothing is dropped and nothing reordered: a row that cannot be read or checked becomes
``{"row": n, "ok": false, "error": "..."}``. The hot path stays in floats: the dose grammar,
cached vocabulary and unit look-ups, and a :class:`~mscdose.checking.plan.CheckPlan` for each
kind of row, which does once what the row's numbers don't change.
"""

from __future__ import annotations

import csv
import itertools
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from mscdose._version import __version__
from mscdose.checking.plan import CheckPlan, kind_of
from mscdose.checking.select import Proposal
from mscdose.dose.conversion import comparable, infer_population
from mscdose.errors import InputError, MscdoseError
from mscdose.text import units, vocab
from mscdose.text.grammar import read_dose

if TYPE_CHECKING:
    from mscdose.schedule.model import Schedule
    from mscdose.table.load import Table


class TextSink(Protocol):
    """Where result lines go. Each ``write`` gets whole lines: one at a time from one process,
    a chunk's worth from workers (see the CLI for how stdout keeps Ctrl-C from tearing one)."""

    def write(self, text: str, /) -> object: ...


class Utf8Sink:
    """A byte stream as a :class:`TextSink` that writes UTF-8; workers' chunks, already UTF-8,
    go to it as they are (``mscdose batch --output`` writes through one)."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw = raw

    def write(self, text: str, /) -> None:
        self.raw.write(text.encode())

    def write_utf8(self, data: bytes, /) -> None:
        self.raw.write(data)


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
)


@dataclass
class Summary:
    rows: int = 0
    within: int = 0
    outside: int = 0
    no_data: int = 0
    invalid: int = 0

    def merge(self, other: Summary) -> None:
        self.rows += other.rows
        self.within += other.within
        self.outside += other.outside
        self.no_data += other.no_data
        self.invalid += other.invalid

    def add(self, result: dict[str, Any]) -> None:
        self.rows += 1
        if not result["ok"]:
            self.invalid += 1
        elif result["verdict"] == "within" and result.get("schedule_verdict") != "outside":
            self.within += 1
        elif result["verdict"] == "no_data":
            self.no_data += 1
        else:
            self.outside += 1

    @property
    def all_within(self) -> bool:
        return self.rows > 0 and self.within == self.rows

    def __str__(self) -> str:
        return (
            f"{self.rows} rows: {self.within} within, {self.outside} outside, "
            f"{self.no_data} no data, {self.invalid} invalid"
        )


def detect_format(first_line: bytes, name: str | None = None) -> str:
    """``jsonl`` or ``csv``, from the file name, else from the first line."""
    if name:
        lower = name.lower()
        if lower.endswith((".jsonl", ".ndjson", ".json")):
            return "jsonl"
        if lower.endswith((".csv", ".tsv", ".txt")):
            return "csv"
    return "jsonl" if first_line.lstrip().startswith(b"{") else "csv"


def read_rows(
    lines: Iterable[bytes], fmt: str, *, header_line: bytes | None = None, first_row: int = 1
) -> Iterator[tuple[int, dict[str, str] | str]]:
    """(row number, given fields) for each data line, or (row number, error) for one that can't
    be read. A row's given fields are its non-empty ones, stripped (:func:`given_fields`).

    Each physical line is one row (blank lines are skipped), so a broken line never swallows
    the ones after it. A CSV header is the first line, or ``header_line`` when a chunk of a
    file is read on its own.
    """
    header: list[str] | None = None
    n = first_row - 1
    if header_line is not None:
        lines = itertools.chain([header_line], lines)
    for raw in lines:
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8-sig" if header is None and n == first_row - 1 else "utf-8")
        except UnicodeDecodeError:
            if fmt == "csv" and header is None:
                raise InputError(
                    "the CSV header is not valid UTF-8", hint="save the file as UTF-8"
                ) from None
            n += 1
            yield n, "the line is not valid UTF-8"
            continue
        if fmt == "csv":
            try:
                fields = split_csv_line(text)
            except csv.Error as exc:
                if header is None:
                    raise InputError(f"cannot read the CSV header: {exc}") from None
                n += 1
                yield n, f"cannot read the CSV line: {exc}"
                continue
            if header is None:
                header = [h.strip().lower() for h in fields]
                if "dose" not in header or "route" not in header:
                    raise InputError(
                        "the CSV header needs at least the columns dose and route",
                        hint="columns: " + ",".join(COLUMNS),
                    )
                continue
            n += 1
            if len(fields) != len(header):
                yield n, f"expected {len(header)} columns, found {len(fields)}"
                continue
            yield n, {k: v for k, raw in zip(header, fields, strict=True) if (v := raw.strip())}
        else:
            n += 1
            try:
                obj = json.loads(text)
            except ValueError as exc:
                yield n, f"not a JSON object: {exc.args[0] if exc.args else exc}"
                continue
            if not isinstance(obj, dict):
                yield n, "not a JSON object"
                continue
            yield n, given_fields(obj)


def given_fields(raw: dict[Any, Any]) -> dict[str, str]:
    """A row's given fields: names in lower case, values as stripped text, empty ones and
    nulls left out (a column left empty gives nothing)."""
    return {
        str(k).lower(): v
        for k, value in raw.items()
        if value is not None and (v := str(value).strip())
    }


def split_csv_line(text: str) -> list[str]:
    """The fields of one non-blank CSV line: a plain split unless it holds quotes or control
    characters the csv module treats specially (it is several times slower)."""
    body = text[:-1] if text.endswith("\n") else text
    body = body[:-1] if body.endswith("\r") else body
    if '"' in body or "\r" in body or "\n" in body or "\x00" in body:
        return next(csv.reader([text]))
    return body.split(",")


_PARSE: dict[str, Callable[[str], float]] = {
    "weight": units.parse_weight,
    "height": units.parse_height,
    "bsa": units.parse_bsa,
    "age": units.parse_age,
    "viability": units.parse_fraction,
    "volume": units.parse_volume,
    "dmso": units.parse_fraction,
    "rate": units.parse_rate,
}


@lru_cache(maxsize=1024)
def _names(
    route: str, indication: str | None, source: str | None, population: str | None
) -> tuple[str, str | None, str | None, str | None]:
    """The canonical names of a row's terms (they repeat across rows: resolved once)."""
    return (
        vocab.resolve_route(route),
        None if indication is None else vocab.resolve_indication(indication),
        None if source is None else vocab.resolve_source(source),
        None if population is None else vocab.resolve_population(population),
    )


@lru_cache(maxsize=4096)
def _quantity(kind: str, text: str) -> float:
    """Unit strings repeat across rows ("70 kg"): read each spelling once (pint is slow)."""
    return _PARSE[kind](text)


@lru_cache(maxsize=256)
def _schedule(text: str) -> Schedule:
    # imported on first use, to keep start-up fast
    from mscdose.schedule.grammar import parse_schedule

    return parse_schedule(text)


def check_row(
    given: dict[str, str],
    table: Table,
    *,
    row: int = 0,
    full: bool = False,
    include_unconfirmed: bool = False,
    plans: dict[tuple[object, ...], CheckPlan] | None = None,
) -> dict[str, Any]:
    """One row's result, its ``row`` number first, from its given fields as :func:`read_rows`
    and :func:`given_fields` make them; raises MscdoseError for bad input.

    ``plans`` keeps a :class:`CheckPlan` per kind of row across the rows of one run."""
    dose, route_name = given.get("dose"), given.get("route")
    if dose is None or route_name is None:
        raise InputError("a row needs a dose and a route")
    low, high, basis, cells = read_dose(dose)
    q = {k: _quantity(k, v) for k, v in given.items() if k in _PARSE}
    route, indication, source, population = _names(
        route_name, given.get("indication"), given.get("source"), given.get("population")
    )
    weight, bsa = q.get("weight"), q.get("bsa")
    if bsa is None and weight is not None and "height" in q:
        bsa = units.mosteller_bsa(weight, q["height"])
    population = population or infer_population(q.get("age"), weight)
    schedule = _schedule(given["schedule"]) if "schedule" in given else None
    if full:
        # imported on first use, to keep start-up fast
        from mscdose.checking.run import check
        from mscdose.dose.conversion import make_patient
        from mscdose.models import Dose, json_ready

        patient = make_patient(
            weight_kg=weight,
            height_cm=q.get("height"),
            bsa_m2=bsa,
            age_years=q.get("age"),
            population=population,
        )
        report = check(
            Dose.model_construct(low=low, high=high, basis=basis, cells=cells),
            route,
            table,
            indication=indication,
            source=source,
            patient=patient,
            include_unconfirmed=include_unconfirmed,
            viability=q.get("viability"),
            volume_ml=q.get("volume"),
            dmso=q.get("dmso"),
            rate_ml_per_min=q.get("rate"),
            schedule=schedule,
        )
        return {"row": row, "ok": True, **json_ready(report)}
    viability, volume, dmso = q.get("viability"), q.get("volume"), q.get("dmso")
    if basis == "per_ml":
        low, high, basis = comparable(low, high, basis, volume)
    p = Proposal(low, high, basis, cells, route, indication, source, population, weight, bsa)
    rate = q.get("rate")
    kind = kind_of(
        p,
        given.get("schedule"),
        include_unconfirmed,
        (viability is not None, volume is not None, dmso is not None, rate is not None),
    )
    plans = {} if plans is None else plans
    plan = plans.get(kind)
    if plan is None:
        plan = plans[kind] = CheckPlan(
            p,
            table,
            include_unconfirmed=include_unconfirmed,
            schedule=schedule,
            viability=viability,
            volume_ml=volume,
            dmso=dmso,
            rate=rate,
        )
    return plan.run(p, row, viability, volume, dmso, rate, schedule)


def run_batch(
    lines: Iterable[bytes],
    fmt: str,
    table: Table,
    out: TextSink,
    *,
    full: bool = False,
    include_unconfirmed: bool = False,
    dumps: Callable[[Any], str] | None = None,
    progress: Callable[[int], None] | None = None,
    jobs: int = 1,
) -> Summary:
    """Check every row and write one JSON line per row, in order; returns the counts.

    With ``jobs`` > 1, chunks of lines are checked in that many worker processes and written
    back in input order; at most two chunks per worker are in flight, so memory stays flat.
    """
    if jobs > 1:
        return _run_parallel(
            lines,
            fmt,
            table,
            out,
            full=full,
            include_unconfirmed=include_unconfirmed,
            progress=progress,
            jobs=jobs,
        )
    dumps = dumps or _compact_json
    summary = Summary()
    for n, line in _check_lines(lines, fmt, table, full, include_unconfirmed, dumps, summary):
        out.write(line)  # one whole line per write: an interrupted run never tears a line
        if progress is not None:
            progress(n)
    return summary


def _check_lines(
    lines: Iterable[bytes],
    fmt: str,
    table: Table,
    full: bool,
    include_unconfirmed: bool,
    dumps: Callable[[Any], str],
    summary: Summary,
    header_line: bytes | None = None,
    first_row: int = 1,
    plans: dict[tuple[object, ...], CheckPlan] | None = None,
) -> Iterator[tuple[int, str]]:
    """(row number, output line) for each row, counted in ``summary``; ``plans`` can outlive
    the call (a worker keeps its plans from chunk to chunk)."""
    plans = {} if plans is None else plans
    identity = {"version": table.version, "sha256": table.sha256}
    for n, fields in read_rows(lines, fmt, header_line=header_line, first_row=first_row):
        if isinstance(fields, str):
            result: dict[str, Any] = {"row": n, "ok": False, "error": fields}
        else:
            try:
                result = check_row(
                    fields,
                    table,
                    row=n,
                    full=full,
                    include_unconfirmed=include_unconfirmed,
                    plans=plans,
                )
            except MscdoseError as exc:
                result = {"row": n, "ok": False, "error": " ".join(str(exc).split())}
        result["table"] = identity  # what every row rests on (cli-contract)
        result["mscdose"] = __version__
        summary.add(result)
        yield n, dumps(result) + "\n"


CHUNK_LINES = 2000
_WORKER: dict[str, Any] = {}


def _start_worker(table: Table | str, full: bool, include_unconfirmed: bool) -> None:
    """A forked worker gets the parent's table; a spawned one reads it from its path."""
    if isinstance(table, str):
        # imported on first use, to keep start-up fast
        from mscdose.table.load import load_table

        table = load_table(table)
    _WORKER.update(
        table=table,
        full=full,
        dumps=fast_dumps(),
        plans={},
        include_unconfirmed=include_unconfirmed,
    )


def _check_chunk(
    chunk: list[bytes], fmt: str, header_line: bytes | None, first_row: int, path: str
) -> Summary:
    """In a worker: check a chunk, write its output lines to the empty file at ``path``, return
    its counts.

    A file hands the lines back for a fraction of what a pipe costs (the pickled text goes
    through it in 64 KB pieces, waking both processes each time): ~0.1 s per 100,000 rows.
    The file is opened, never created: once a stopped run has removed it, nothing is left."""
    w = _WORKER
    summary = Summary()
    lines = [
        line
        for _, line in _check_lines(
            chunk,
            fmt,
            w["table"],
            w["full"],
            w["include_unconfirmed"],
            w["dumps"],
            summary,
            header_line,
            first_row,
            w["plans"],
        )
    ]
    with open(path, "r+", encoding="utf-8", newline="") as f:
        f.write("".join(lines))
    return summary


def _run_parallel(
    lines: Iterable[bytes],
    fmt: str,
    table: Table,
    out: TextSink,
    *,
    full: bool,
    include_unconfirmed: bool,
    progress: Callable[[int], None] | None,
    jobs: int,
) -> Summary:
    import multiprocessing
    import os
    import shutil
    import tempfile
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    it = iter(lines)
    header_line = None
    if fmt == "csv":  # read (and so validate) the header here; workers get it with each chunk
        header_line = next((raw for raw in it if raw.strip()), None)
        if header_line is None:
            return Summary()
        list(read_rows([header_line], "csv"))
    fork = workers_fork()
    context = multiprocessing.get_context("fork" if fork else "spawn")
    summary = Summary()
    pending: deque[tuple[str, Future[Summary]]] = deque()
    next_row = 1
    folder = tempfile.mkdtemp(prefix="mscdose-batch-")  # a chunk's lines, until written out

    def drain() -> None:
        path, done = pending.popleft()
        counts = done.result()
        with open(path, "rb") as f:
            data = f.read()
        if isinstance(out, Utf8Sink):
            out.write_utf8(data)  # as it is: no decoding and encoding again
        else:
            out.write(data.decode())
        os.unlink(path)
        summary.merge(counts)
        if progress is not None:
            progress(summary.rows)

    pool = ProcessPoolExecutor(
        jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(table if fork else str(table.path), full, include_unconfirmed),
    )
    try:
        while chunk := list(itertools.islice(it, CHUNK_LINES)):
            path = os.path.join(folder, f"{next_row}.jsonl")
            open(path, "x").close()  # empty: the worker fills it (see _check_chunk)
            pending.append(
                (path, pool.submit(_check_chunk, chunk, fmt, header_line, next_row, path))
            )
            next_row += sum(1 for raw in chunk if raw.strip())
            while pending and (len(pending) >= 2 * jobs or pending[0][1].done()):
                drain()  # in order, as soon as the oldest chunk is back
        while pending:
            drain()
    finally:
        pool.shutdown(wait=not pending, cancel_futures=True)
        shutil.rmtree(folder, ignore_errors=True)
    return summary


def workers_fork() -> bool:
    """Whether workers are forked: only on Linux. Elsewhere (macOS) forking a process that has
    loaded system frameworks is unsafe; spawned workers import mscdose and read the table."""
    return sys.platform.startswith("linux")


def _compact_json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def fast_dumps() -> Callable[[Any], str]:
    """orjson when installed (about 5× faster on these small objects), else the json module."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is a dependency; this keeps the library usable
        return _compact_json

    def dumps(obj: Any) -> str:
        return orjson.dumps(obj).decode()

    return dumps
