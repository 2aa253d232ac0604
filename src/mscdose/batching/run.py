"""Rows in (CSV with a header, or JSON Lines), one result out per row, streaming.

Nothing is dropped and nothing reordered: a row that cannot be read or checked becomes
``{"row": n, "ok": false, "error": "..."}``. The hot path stays in floats: the dose grammar,
cached vocabulary and unit look-ups, and a :class:`~mscdose.checking.plan.CheckPlan` for each
kind of row, which does once what the row's numbers don't change.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from mscdose._version import __version__
from mscdose.batching.csvout import CsvLines
from mscdose.batching.rows import (
    COLUMNS,
    Header,
    Row,
    detect_format,
    given_fields,
    parse_header,
    read_rows,
    records,
    rows_of,
    split_csv_line,
)
from mscdose.checking.plan import CheckPlan, kind_of, weight_for_predicted_rows
from mscdose.checking.select import Proposal
from mscdose.dose.body import read_sex
from mscdose.dose.conversion import comparable, infer_population
from mscdose.errors import InputError, MscdoseError
from mscdose.text import units, vocab
from mscdose.text.grammar import read_dose

__all__ = [
    "COLUMNS",
    "Summary",
    "TextSink",
    "Utf8Sink",
    "check_row",
    "detect_format",
    "fast_dumps",
    "given_fields",
    "read_rows",
    "run_batch",
    "split_csv_line",
]

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


# Refusals of the look-ups below, by argument: lru_cache keeps only what a call returns, and a
# misspelt indication used to cost eight valid rows, its suggestions computed again per row.
_REFUSED: dict[tuple[str | None, ...], MscdoseError] = {}
_REFUSED_KEEP = 4096


def _refused(key: tuple[str | None, ...]) -> None:
    """Raise the refusal already met for ``key`` (its traceback not grown), if any."""
    found = _REFUSED.get(key)
    if found is not None:
        raise found.with_traceback(None)


def _remember(key: tuple[str | None, ...], exc: MscdoseError) -> None:
    if len(_REFUSED) >= _REFUSED_KEEP:
        _REFUSED.clear()
    _REFUSED[key] = exc


@lru_cache(maxsize=1024)
def _names(
    route: str, indication: str | None, source: str | None, population: str | None
) -> tuple[str, str | None, str | None, str | None]:
    """The canonical names of a row's terms (they repeat across rows: resolved once, and a
    refused one refused once, suggestions included)."""
    key = ("names", route, indication, source, population)
    _refused(key)
    try:
        return (
            vocab.resolve_route(route),
            None if indication is None else vocab.resolve_indication(indication),
            None if source is None else vocab.resolve_source(source),
            None if population is None else vocab.resolve_population(population),
        )
    except MscdoseError as exc:
        _remember(key, exc)
        raise


@lru_cache(maxsize=4096)
def _quantity(kind: str, text: str) -> float:
    """Unit strings repeat across rows ("70 kg"): read each spelling once (pint is slow), and
    a refused one once."""
    key = (kind, text)
    _refused(key)
    try:
        return _PARSE[kind](text)
    except MscdoseError as exc:
        _remember(key, exc)
        raise


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
            sex=read_sex(given["sex"]) if "sex" in given else None,
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
    if not plan.predicted_rows:
        return plan.run(p, row, viability, volume, dmso, rate, schedule)
    sex = read_sex(given["sex"]) if "sex" in given else None
    p, note = weight_for_predicted_rows(p, q.get("height"), sex)
    result = plan.run(p, row, viability, volume, dmso, rate, schedule)
    if note is not None:
        result["warning_codes"].append(note.code)
    return result


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
    delimiter: str | None = None,
    output_format: str = "jsonl",
) -> Summary:
    """Check every record and write one line per record, in order; returns the counts.

    ``output_format`` ``jsonl`` gives a JSON object per record; ``csv`` a header, then each
    record's columns as written followed by the results. With ``jobs`` > 1, chunks of records
    are checked in that many worker processes and written back in input order; at most two
    chunks per worker are in flight, so memory stays flat. Records are numbered here, in the
    parent, so a number is a record's place in the input in every mode.
    """
    if output_format not in ("jsonl", "csv"):
        raise InputError(f"unknown output format '{output_format}'", hint="use jsonl or csv")
    it = iter(lines)
    header: Header | None = None
    found: Iterator[bytes]
    if fmt == "csv":
        header_line = next((raw for raw in it if raw.strip()), None)
        if header_line is None:
            return Summary()
        header = parse_header(header_line, delimiter)
        found = records(it, header.delimiter)
    else:
        found = (raw for raw in it if raw.strip())
    form = _form(header, output_format)
    if form is not None:
        out.write(form.header(header.written if header is not None else COLUMNS))
    if jobs > 1:
        return _run_parallel(
            found,
            fmt,
            table,
            out,
            header=header,
            output_format=output_format,
            full=full,
            include_unconfirmed=include_unconfirmed,
            progress=progress,
            jobs=jobs,
        )
    dumps = dumps or _compact_json
    summary = Summary()
    rows = rows_of(found, fmt, header)
    for n, line in _check_lines(rows, table, full, include_unconfirmed, dumps, summary, form):
        out.write(line)  # one whole line per write: an interrupted run never tears a line
        if progress is not None:
            progress(n)
    return summary


def _form(header: Header | None, output_format: str) -> CsvLines | None:
    """The CSV formatter of the output, or None for JSON Lines."""
    if output_format != "csv":
        return None
    if header is None:
        return CsvLines(len(COLUMNS))
    return CsvLines(len(header.written), header.delimiter)


def _check_lines(
    rows: Iterable[Row],
    table: Table,
    full: bool,
    include_unconfirmed: bool,
    dumps: Callable[[Any], str],
    summary: Summary,
    form: CsvLines | None = None,
    plans: dict[tuple[object, ...], CheckPlan] | None = None,
) -> Iterator[tuple[int, str]]:
    """(row number, output line) for each row, counted in ``summary``; ``plans`` can outlive
    the call (a worker keeps its plans from chunk to chunk)."""
    plans = {} if plans is None else plans
    identity = {"version": table.version, "sha256": table.sha256}
    # what every row rests on (cli-contract), the same on every line: written once, appended
    rests_on = dumps({"table": identity, "mscdose": __version__})[1:] + "\n"
    for n, fields, written in rows:
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
        summary.add(result)
        if form is not None:
            yield n, form.line(written, result)
            continue
        if not full:  # the compact row says nothing of a schedule or filter it did not have
            if result.get("schedule_verdict", 0) is None:
                del result["schedule_verdict"]
            if result.get("emptied_by", 0) is None:
                del result["emptied_by"]
        try:
            yield n, dumps(result)[:-1] + "," + rests_on
        except (TypeError, ValueError):  # text JSON cannot hold: the row says so, the run goes on
            result = {"row": n, "ok": False, "error": "the row holds text that JSON cannot carry"}
            yield n, dumps({**result, "table": identity, "mscdose": __version__}) + "\n"


CHUNK_LINES = 2000
_WORKER: dict[str, Any] = {}


def _start_worker(table: Table | str, full: bool, include_unconfirmed: bool) -> None:
    """A forked worker gets the parent's table; a spawned one reads it from its path. SIGTERM
    ends a worker at once (the parent stops its workers that way when it is stopped)."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
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
    chunk: list[bytes],
    fmt: str,
    header: Header | None,
    output_format: str,
    first_row: int,
    path: str,
) -> Summary:
    """In a worker: check a chunk of records, write its output lines to the empty file at
    ``path``, return its counts.

    A file hands the lines back for a fraction of what a pipe costs (the pickled text goes
    through it in 64 KB pieces, waking both processes each time): ~0.1 s per 100,000 rows.
    The file is opened, never created: once a stopped run has removed it, nothing is left."""
    w = _WORKER
    summary = Summary()
    lines = [
        line
        for _, line in _check_lines(
            rows_of(chunk, fmt, header, first_row),
            w["table"],
            w["full"],
            w["include_unconfirmed"],
            w["dumps"],
            summary,
            _form(header, output_format),
            w["plans"],
        )
    ]
    with open(path, "r+", encoding="utf-8", newline="") as f:
        f.write("".join(lines))
    return summary


def _run_parallel(
    found: Iterator[bytes],
    fmt: str,
    table: Table,
    out: TextSink,
    *,
    header: Header | None,
    output_format: str,
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
        while chunk := list(itertools.islice(found, CHUNK_LINES)):
            path = os.path.join(folder, f"{next_row}.jsonl")
            open(path, "x").close()  # empty: the worker fills it (see _check_chunk)
            job = pool.submit(_check_chunk, chunk, fmt, header, output_format, next_row, path)
            pending.append((path, job))
            next_row += len(chunk)  # records, blank lines already left out
            while pending and (len(pending) >= 2 * jobs or pending[0][1].done()):
                drain()  # in order, as soon as the oldest chunk is back
        while pending:
            drain()
    except BaseException:
        _stop_workers(pool)  # stopped (SIGINT, SIGTERM) or failed: no worker lives on
        raise
    finally:
        # wait even when stopped: the workers are ended, and a manager thread left running
        # would race the interpreter's exit for the pipes it writes ("Bad file descriptor")
        pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(folder, ignore_errors=True)
    return summary


def _stop_workers(pool: Any) -> None:
    """End a pool's worker processes now (``terminate_workers`` from Python 3.14)."""
    stop = getattr(pool, "terminate_workers", None)
    if stop is not None:
        stop()
        return
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()


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
