"""Cold-start cost of mscdose commands, as ratios to `python -c pass` measured in the same run.

    python benchmarks/startup.py [--runs 21]

Byte-code is compiled first (these machines set PYTHONDONTWRITEBYTECODE=1, which would
otherwise make every run recompile). Prints the median wall time of each command and its
ratio to the bare interpreter's median.
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import mscdose

# the installed console script, as a user runs it (next to this interpreter)
MSCDOSE = str(Path(sys.executable).with_name("mscdose"))
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "mscdose --help": [MSCDOSE, "--help"],
    "mscdose --version": [MSCDOSE, "--version"],
    "convert 2e6/kg --weight 70 --json": [MSCDOSE, "convert", "2e6/kg", "--weight", "70", "--json"],
    # a typed unit must cost at most ~20 ms more than a bare number (issue 19.12)
    "convert 2e6/kg --weight 70kg --json": [
        MSCDOSE,
        "convert",
        "2e6/kg",
        "--weight",
        "70kg",
        "--json",
    ],
    "check 2e6/kg -r iv -i gvhd -w 70 (table output)": [
        MSCDOSE,
        "check",
        "2e6/kg",
        "--route",
        "iv",
        "--indication",
        "gvhd",
        "--weight",
        "70",
    ],
}
TARGETS = {
    "convert 2e6/kg --weight 70 --json": 14.0,
    "check 2e6/kg -r iv -i gvhd -w 70 (table output)": 18.0,
}


def _time(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    package = Path(mscdose.__file__).parent
    compileall.compile_dir(str(package), quiet=1)
    for path in sys.path:
        if "site-packages" in path and Path(path).is_dir():
            compileall.compile_dir(path, quiet=1, workers=0)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NO_COLOR"] = "1"
    for cmd in COMMANDS.values():  # warm the page cache and any validated-table cache
        _time(cmd, env)
    samples: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):  # interleaved, so drifts in machine load hit every command alike
        for name, cmd in COMMANDS.items():
            samples[name].append(_time(cmd, env))
    base = statistics.median(samples["python -c pass"])
    typed = statistics.median(samples["convert 2e6/kg --weight 70kg --json"])
    bare = statistics.median(samples["convert 2e6/kg --weight 70 --json"])
    print(f"{'command':52} {'median ms':>10} {'ratio':>7}  target")
    for name, times in samples.items():
        med = statistics.median(times)
        target = TARGETS.get(name)
        verdict = "ok" if target is not None and med / base <= target else "MISSED"
        mark = "" if target is None else f"≤{target:g}× {verdict}"
        print(f"{name:52} {med * 1000:10.1f} {med / base:6.1f}×  {mark}")
    cost = (typed - bare) * 1000
    verdict = "ok" if cost <= 20 else "MISSED"
    print(f"a typed unit costs {cost:.1f} ms more than a bare number (≤20 ms {verdict})")


if __name__ == "__main__":
    main()
