"""Where batch workers start to pay: one process against forked and spawned workers.

    python benchmarks/workers.py [--repeat 3]

Runs ``run_batch`` in this process on files of several sizes (rows from benchmarks/batch.py),
with one process, with one forked worker per core and with one spawned worker per core (as on
macOS and Windows; forced here by presenting another platform). Prints medians in ms; the
defaults in ``mscdose.cli.batch_cmd`` (AUTO_PARALLEL_BYTES*) come from these figures.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import generate  # the sibling benchmark's rows

from mscdose.batching.run import fast_dumps, run_batch
from mscdose.table.load import load_table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    table = load_table()
    jobs = os.cpu_count() or 1
    real = sys.platform
    print(
        f"{'rows':>8} {'MB':>6} {'one process':>12} {'forked':>8} {'spawned':>8}  (ms, {jobs} "
        "workers)"
    )
    for n in (5_000, 10_000, 20_000, 40_000, 80_000):
        lines = generate(n, seed=3)
        size = sum(len(line) + 1 for line in lines)
        medians = []
        for workers, platform in ((1, real), (jobs, "linux"), (jobs, "darwin")):
            times = []
            for _ in range(args.repeat):
                sys.platform = platform  # batch forks only on Linux
                try:
                    start = time.perf_counter()
                    run_batch(lines, "csv", table, io.StringIO(), dumps=fast_dumps(), jobs=workers)
                    times.append(time.perf_counter() - start)
                finally:
                    sys.platform = real
            medians.append(statistics.median(times) * 1000)
        print(f"{n:8,} {size / 1e6:6.2f} {medians[0]:12.0f} {medians[1]:8.0f} {medians[2]:8.0f}")


if __name__ == "__main__":  # spawned workers import this module again
    main()
