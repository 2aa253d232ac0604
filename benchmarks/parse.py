"""Throughput of the strict dose grammar, against float() on the same number of strings
measured in the same run.

    python benchmarks/parse.py [--n 200000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from mscdose.errors import MscdoseError
from mscdose.text.grammar import parse_dose

FORMS = [
    "{m}x10^{e} cells/kg",
    "{m}e{e}/kg",
    "{m} × 10^{e} cells",
    "({m}-{m2})×10^{e}",
    "{m} million cells",
    "{m}亿",
    "{m}x10^{e} per patient",
    "{m}-{m2} x10^{e}/kg",
    "2X10{e}",
    "10*{e}",
]  # the last two are refusals: they cost too


def expressions(n: int) -> list[str]:
    rng = random.Random(1)
    out = []
    for i in range(n):
        m = round(rng.uniform(1, 5), 2)
        out.append(
            FORMS[i % len(FORMS)].format(
                m=m, m2=round(m + rng.uniform(0.1, 4), 2), e=rng.randint(5, 8)
            )
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    texts = expressions(args.n)
    numbers = [f"{random.Random(i).uniform(1, 9):.4f}" for i in range(args.n)]

    def run_parse() -> None:
        for text in texts:
            try:  # noqa: SIM105 (a with-block per call would add its own cost to the figure)
                parse_dose(text)
            except MscdoseError:
                pass

    def run_float() -> None:
        for text in numbers:
            float(text)

    parse_times, float_times = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        run_parse()
        parse_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        run_float()
        float_times.append(time.perf_counter() - start)
    p = args.n / statistics.median(parse_times)
    f = args.n / statistics.median(float_times)
    print(
        f"parse_dose: {p:,.0f} expressions/s (goal ≥ 100,000); float(): {f:,.0f}/s; "
        f"parse_dose costs {f / p:.0f}× a float()"
    )


if __name__ == "__main__":
    main()
