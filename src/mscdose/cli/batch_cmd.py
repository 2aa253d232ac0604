"""``mscdose batch``: check many proposed doses; one JSON line per input row."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Annotated

import typer

from mscdose.cli.app import app
from mscdose.cli.options import Table, TableOnly

if TYPE_CHECKING:
    from mscdose.batching.run import TextSink


@app.command(
    short_help="Check every row of a CSV or JSON Lines file; one JSON line per row.",
    epilog="""Examples:

\b
  mscdose batch doses.csv
  mscdose batch doses.csv --output results.jsonl
  printf 'dose,route\\n2e6/kg,iv\\n' | mscdose batch -""",
)
def batch(
    input: Annotated[
        str,
        typer.Argument(
            metavar="INPUT", help="CSV (with a header) or JSON Lines file, or - for stdin."
        ),
    ],
    format: Annotated[
        str | None,
        typer.Option("--format", help="csv or jsonl (default: from the name or the first line)."),
    ] = None,
    output: Annotated[
        str | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the output here (atomically; a symlink is written through, a device written to) instead of stdout.",
        ),
    ] = None,
    full: Annotated[
        bool, typer.Option("--full", help="Each row gets the whole check document.")
    ] = False,
    include_unconfirmed: Annotated[
        bool, typer.Option("--include-unconfirmed", help="Let unconfirmed rows set bounds.")
    ] = False,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            show_default=False,
            help="Worker processes; 0: one per core (at most 4 per core). Default: one per core for a file over 1 MB, else 1. Output order is input order either way.",
        ),
    ] = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--output-format",
            help="jsonl (one JSON object per row) or csv (the input's columns, then verdict, compared_at, reported_low, reported_high, distance_fold, warning_codes, schedule_verdict, error).",
        ),
    ] = "jsonl",
    delimiter: Annotated[
        str | None,
        typer.Option(
            "--delimiter",
            "-d",
            help="The CSV delimiter: one character, or 'tab' (default: comma, semicolon or tab, found in the header).",
        ),
    ] = None,
    table: Table = None,
    table_only: TableOnly = False,
) -> None:
    """Check every row of a file: columns dose, route, indication, source, weight, height, bsa,
    age, population, schedule, viability, volume, dmso, rate (a column close to one of these
    names, or one of them twice, stops the run). One JSON line per row, or CSV with
    --output-format csv. Exit 0 when every row is within range, 1 when any row is outside,
    has no data or is invalid, 2 when the input cannot be read."""
    # imported on first use, to keep start-up fast
    from mscdose.batching.run import Utf8Sink, detect_format, fast_dumps, run_batch
    from mscdose.cli.options import load
    from mscdose.cli.outfile import output_file
    from mscdose.cli.output import utf8
    from mscdose.errors import InputError

    if format is not None and format not in ("csv", "jsonl"):
        raise InputError(f"unknown format '{format}'", hint="use --format csv or --format jsonl")
    if output_format not in ("csv", "jsonl"):
        raise InputError(
            f"unknown output format '{output_format}'",
            hint="use --output-format jsonl or --output-format csv",
        )
    if output_format == "csv" and full:
        raise InputError(
            "--full gives each row a whole JSON document, which a CSV line cannot hold",
            hint="use --full with --output-format jsonl",
        )
    delimiter = _delimiter(delimiter)
    if table == "-" and input == "-":
        raise InputError(
            "stdin cannot be both the rows and the table",
            hint="give the rows or the table as a file: batch rows.csv --table -",
        )
    loaded = load(table, only=table_only)
    try:
        stream = sys.stdin.buffer if input == "-" else open(input, "rb")  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"cannot read {input}: {exc.strerror}") from None
    with stream, _sigterm_as_interrupt():
        first = stream.peek(1 << 12)[:4096] if hasattr(stream, "peek") else b""
        fmt = format or detect_format(first.split(b"\n", 1)[0], None if input == "-" else input)
        workers = _workers(jobs, stream, input)
        with contextlib.ExitStack() as stack:
            out: TextSink
            if output is not None:
                out = Utf8Sink(stack.enter_context(output_file(output)))
            elif workers > 1:  # one process writes a line at a time anyway
                out = _LineByLine(sys.stdout)
            else:
                out = sys.stdout
            if output is None and output_format == "jsonl" and not utf8(sys.stdout):
                out = _AsciiJson(out)  # JSON Lines that a cp1252 stdout holds exactly
            tick = stack.enter_context(_progress(stream, input))
            try:
                summary = run_batch(
                    stream,
                    fmt,
                    loaded,
                    out,
                    full=full,
                    include_unconfirmed=include_unconfirmed,
                    dumps=fast_dumps(),
                    progress=tick,
                    jobs=workers,
                    delimiter=delimiter,
                    output_format=output_format,
                )
            except BrokenPipeError:
                raise  # stdout's reader went away: main() ends quietly
            except OSError as exc:  # a full disk, a folder gone: not a bug, and not input
                if output is not None:
                    raise  # output_file says what was (not) written
                where = f" ({exc.filename})" if exc.filename else ""
                raise InputError(
                    f"batch stopped: {exc.strerror or exc}{where}",
                    hint="check the free space and permissions of the temporary folder (TMPDIR)",
                ) from None
    print(f"mscdose batch: {summary}", file=sys.stderr)
    raise typer.Exit(0 if summary.all_within else 1)


def _delimiter(given: str | None) -> str | None:
    # imported on first use, to keep start-up fast
    from mscdose.errors import InputError

    if given is None:
        return None
    if given.lower() in ("tab", "\\t"):
        return "\t"
    if len(given) != 1 or given in '"\r\n' or given.isalnum():
        raise InputError(
            f"--delimiter {given!r} is not a delimiter mscdose can read",
            given=given,
            hint="give one character such as ';' or '|', or 'tab'",
        )
    return given


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """SIGTERM ends a run as Ctrl-C does: workers stopped, no file left, exit 130."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


class _AsciiJson:
    """JSON lines for a stdout that is not UTF-8: characters beyond ASCII as escapes."""

    def __init__(self, inner: TextSink) -> None:
        self.inner = inner

    def write(self, text: str) -> None:
        # imported on first use, to keep start-up fast
        from mscdose.cli.output import ascii_json

        self.inner.write(ascii_json(text))


class _LineByLine:
    """stdout for batch with workers: a chunk is written a line at a time. One large write can be
    cut short by Ctrl-C and tear a line; a line fits the stream's buffer, which is flushed
    whole at exit. (An --output file needs none of this: an interrupted run removes it.)"""

    def __init__(self, stream: IO[str]) -> None:
        self.stream = stream

    def write(self, text: str) -> None:
        for line in text.splitlines(keepends=True):
            self.stream.write(line)


# Past these sizes a file gets one worker per core by default (benchmarks/workers.py, 2 cores):
# forked workers already win at 0.2 MB and save a third at 1 MB (about 20,000 rows); spawned
# ones (macOS, Windows) take ~160 ms more to start and only break even near 1 MB.
AUTO_PARALLEL_BYTES = 1 << 20
MAX_JOBS_PER_CORE = 4
AUTO_PARALLEL_BYTES_SPAWNED = 4 << 20


def _workers(jobs: int | None, stream: IO[bytes], name: str) -> int:
    if jobs is None:
        # imported on first use, to keep start-up fast
        from mscdose.batching.run import workers_fork

        limit = AUTO_PARALLEL_BYTES if workers_fork() else AUTO_PARALLEL_BYTES_SPAWNED
        try:
            big = name != "-" and os.fstat(stream.fileno()).st_size > limit
        except (OSError, ValueError):
            big = False
        jobs = 0 if big else 1
    cores = os.cpu_count() or 1
    return min(jobs or cores, MAX_JOBS_PER_CORE * cores)  # --jobs 99999 must not fork 99999


@contextmanager
def _progress(stream: IO[bytes], name: str) -> Iterator[Callable[[int], None] | None]:
    """A rich progress bar on stderr, only for a file read on a terminal."""
    if name == "-" or not sys.stderr.isatty() or os.environ.get("TERM") == "dumb":
        yield None
        return
    from rich.progress import (
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeRemainingColumn,
    )

    # imported on first use, to keep start-up fast
    from mscdose.cli.output import console

    # the share is of the bytes read (rows are not counted ahead); rows done are shown as rows
    with Progress(
        TextColumn("checking"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rows]:,} rows"),
        TimeRemainingColumn(),
        TextColumn("left"),
        console=console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("rows", total=os.path.getsize(name), rows=0)

        shown = [0]

        def tick(n: int) -> None:  # n: rows done; workers report a chunk at a time
            if n - shown[0] >= 2048:
                shown[0] = n
                bar.update(task, completed=stream.tell(), rows=n)

        yield tick
