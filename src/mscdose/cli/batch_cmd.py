"""``mscdose batch``: check many proposed doses; one JSON line per input row."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Annotated

import typer

from mscdose.cli.app import app
from mscdose.cli.options import Table


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
            "--output", "-o", help="Write the JSON Lines here (atomically) instead of stdout."
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
            help="Worker processes; 0: one per core. Default: one per core for a file over 1 MB, else 1. Output order is input order either way.",
        ),
    ] = None,
    table: Table = None,
) -> None:
    """Check every row of a file: columns dose, route, indication, source, weight, height, bsa,
    age, population, schedule, viability, volume, dmso, rate. Exit 0 when every row is within
    range, 1 when any row is outside, has no data or is invalid, 2 when the input cannot be
    read."""
    import tempfile

    # imported on first use, to keep start-up fast
    from mscdose.batching.run import TextSink, Utf8Sink, detect_format, fast_dumps, run_batch
    from mscdose.errors import InputError
    from mscdose.table.load import load_table

    if format is not None and format not in ("csv", "jsonl"):
        raise InputError(f"unknown format '{format}'", hint="use --format csv or --format jsonl")
    loaded = load_table(table)
    try:
        stream = sys.stdin.buffer if input == "-" else open(input, "rb")  # noqa: SIM115
    except OSError as exc:
        raise InputError(f"cannot read {input}: {exc.strerror}") from None
    with stream:
        first = stream.peek(1 << 12)[:4096] if hasattr(stream, "peek") else b""
        fmt = format or detect_format(first.split(b"\n", 1)[0], None if input == "-" else input)
        target = file = None
        workers = _workers(jobs, stream, input)
        # one process writes a line at a time anyway; workers hand back whole chunks
        out: TextSink = _LineByLine(sys.stdout) if workers > 1 else sys.stdout
        if output is not None:
            if os.path.isdir(output):
                raise InputError(
                    f"--output {output} is a folder",
                    given=output,
                    hint="give the path of the file to write, e.g. results.jsonl",
                )
            folder = os.path.dirname(os.path.abspath(output))
            try:
                fd, target = tempfile.mkstemp(prefix=".mscdose-", suffix=".jsonl", dir=folder)
            except OSError as exc:
                raise InputError(
                    f"cannot write to {output}: {exc.strerror or exc}",
                    given=output,
                    hint="give a path in a folder you can write to",
                ) from None
            file = os.fdopen(fd, "wb")
            out = Utf8Sink(file)
        try:
            with _progress(stream, input) as tick:
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
                )
            if file is not None and target is not None and output is not None:
                file.close()
                os.replace(target, output)
                target = None
        except BrokenPipeError:
            raise  # stdout's reader went away: main() ends quietly
        except OSError as exc:  # a full disk, a folder that went away: not a bug, and not input
            where = f" ({exc.filename})" if exc.filename else ""
            raise InputError(
                f"batch stopped: {exc.strerror or exc}{where}",
                hint="check the free space and permissions of the output folder "
                "and of the temporary folder (TMPDIR)",
            ) from None
        finally:
            if file is not None and target is not None:  # interrupted or failed: leave no
                file.close()  # half-written file behind
                os.unlink(target)
    print(f"mscdose batch: {summary}", file=sys.stderr)
    raise typer.Exit(0 if summary.all_within else 1)


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
    return jobs or os.cpu_count() or 1


@contextmanager
def _progress(stream: IO[bytes], name: str) -> Iterator[Callable[[int], None] | None]:
    """A rich progress bar on stderr, only for a file read on a terminal."""
    if name == "-" or not sys.stderr.isatty() or os.environ.get("TERM") == "dumb":
        yield None
        return
    from rich.progress import BarColumn, Progress, TextColumn, TransferSpeedColumn

    # imported on first use, to keep start-up fast
    from mscdose.cli.output import console

    with Progress(
        TextColumn("checking"),
        BarColumn(),
        TransferSpeedColumn(),
        console=console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("rows", total=os.path.getsize(name))

        shown = [0]

        def tick(n: int) -> None:  # n: rows done; workers report a chunk at a time
            if n - shown[0] >= 2048:
                shown[0] = n
                bar.update(task, completed=stream.tell())

        yield tick
