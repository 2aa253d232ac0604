"""Throughput of ``mscdose batch`` against a floor measured in the same run.

    python benchmarks/batch.py [--rows 1000000] [--e2e-rows 100000] [--repeat 3]

In-process: the same generated CSV lines go through (a) the floor — read each line with the
csv module, build the row dict, dump it with the same JSON library and write it, no checking —
and (b) ``run_batch`` in one process (the goal's figure), then, for comparison only, with one
worker per core. End to end: ``mscdose batch FILE --output OUT`` as a subprocess on
distinct rows, with ``--jobs 1`` and by default (one worker per core for a file this size).
Prints medians in rows/s and the ratio to the floor.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mscdose.batching.run import fast_dumps, run_batch
from mscdose.table.load import load_table

# (route, indication, basis, typical mantissa range, exponent, weight range kg) — realistic mixes
PROFILES = [
    ("iv", "gvhd", "/kg", (0.5, 9.0), 6, (3, 110)),
    ("IV", "sr-agvhd", "/kg", (1.0, 3.0), 6, (8, 90)),
    ("intravenous", "copd", "", (0.5, 2.0), 8, (50, 100)),
    ("iv", "crohn's disease", "/kg", (1.0, 4.0), 6, (40, 100)),
    ("intrathecal", "cerebral palsy", "", (1.0, 3.0), 7, (10, 40)),
    ("intratracheal", "BPD", "/kg", (0.5, 3.0), 7, (0.5, 1.2)),
    ("intra-articular", "knee osteoarthritis", "", (1.0, 9.0), 7, (50, 110)),
    ("intralesional", "perianal fistula", "", (2.0, 12.0), 7, (45, 95)),
    ("intracoronary", "AMI", "", (3.0, 9.0), 7, (50, 110)),
    ("intramuscular", "critical limb ischemia", "", (1.0, 4.0), 8, (50, 100)),
]


def generate(n: int, seed: int = 20261125) -> list[bytes]:
    """A header and ``n`` distinct rows (about 1% of them invalid, as real logs have)."""
    rng = random.Random(seed)
    lines = [b"dose,route,indication,weight,viability"]
    for i in range(n):
        route, indication, basis, (lo, hi), exp, (wlo, whi) = PROFILES[i % len(PROFILES)]
        mantissa = rng.uniform(lo, hi)
        dose = f"{mantissa:.4f}x10^{exp}{basis}" if i % 100 else f"{mantissa:.1f}X10{exp}"
        weight = f"{rng.uniform(wlo, whi):.2f}"
        viability = f"{rng.randint(65, 99)}%" if i % 3 == 0 else ""
        lines.append(f"{dose},{route},{indication},{weight},{viability}".encode())
    return lines


def floor(lines: list[bytes], out: io.StringIO) -> None:
    dumps = fast_dumps()
    header: list[str] | None = None
    for n, raw in enumerate(lines):
        fields = next(csv.reader([raw.decode("utf-8")]))
        if header is None:
            header = fields
            continue
        out.write(dumps({"row": n, **dict(zip(header, fields, strict=True))}) + "\n")


def timed(fn: object, *args: object) -> float:
    start = time.perf_counter()
    fn(*args)  # type: ignore[operator]
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--e2e-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    table = load_table()
    lines = generate(args.rows)
    workers = os.cpu_count() or 1
    floors, checks, pooled = [], [], []
    for _ in range(args.repeat):  # interleaved so machine noise hits both alike
        floors.append(timed(floor, lines, io.StringIO()))
        checks.append(
            timed(lambda: run_batch(lines, "csv", table, io.StringIO(), dumps=fast_dumps()))
        )
        if workers > 1:
            pooled.append(
                timed(lambda: run_batch(lines, "csv", table, io.StringIO(), jobs=workers))
            )
    f_rate = args.rows / statistics.median(floors)
    c_rate = args.rows / statistics.median(checks)
    print(f"in-process, {args.rows:,} rows, median of {args.repeat}:")
    print(f"  floor (csv → dict → JSON line)  {f_rate:12,.0f} rows/s")
    print(
        f"  mscdose batch (run_batch)       {c_rate:12,.0f} rows/s   "
        f"{c_rate / f_rate:.2f} of the floor (goal ≥ 0.33)"
    )
    if pooled:  # for comparison: the floor is one process, this uses every core
        p_rate = args.rows / statistics.median(pooled)
        print(
            f"  run_batch, jobs={workers} (not the goal's) {p_rate:9,.0f} rows/s   "
            f"{p_rate / f_rate:.2f} of the floor"
        )

    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "rows.csv"
        src.write_bytes(b"\n".join(generate(args.e2e_rows, seed=7)) + b"\n")
        out = Path(tmp) / "out.jsonl"
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        print(
            f"end to end, {args.e2e_rows:,} distinct rows, --output, median of {args.repeat}"
            " (goal ≥ 100,000 rows/s):"
        )
        for jobs in ("1", None):
            cmd = [
                sys.executable,
                "-m",
                "mscdose",
                "batch",
                str(src),
                "--output",
                str(out),
                *(["--jobs", jobs] if jobs else []),
            ]
            subprocess.run(cmd, env=env, capture_output=True, check=False)  # warm caches
            runs = []
            for _ in range(args.repeat):
                # each run writes a new file, as a user's run does: replacing the last run's
                # 30 MB would time the file system freeing it (~30 ms here)
                out.unlink()
                runs.append(timed(lambda c=cmd: subprocess.run(c, env=env, capture_output=True)))
            produced = sum(1 for _ in out.open("rb"))
            e2e = args.e2e_rows / statistics.median(runs)
            label = "--jobs 1" if jobs else f"(default: {os.cpu_count()} workers)"
            print(f"  mscdose batch {label:18}{e2e:12,.0f} rows/s   {produced:,} lines written")


if __name__ == "__main__":
    main()
