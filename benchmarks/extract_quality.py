"""How well `mscdose extract` reads real-world dose strings: python benchmarks/extract_quality.py

The corpus (tests/data/extract_corpus.jsonl) holds dose strings as they appear in the source
article, product labels, trial reports and the field notes, with their correct readings.
Three figures:

- read right: entries whose every dose is found with the right low, high, basis, cell kind and
  ambiguity flag, and nothing else is reported;
- ambiguous flagged: of the doses that need a person's confirmation, the share flagged;
- damaged unflagged wrong: doses read from damaged entries, not flagged, with a value or basis
  that is not the correct reading. This one must be zero.
"""

from __future__ import annotations

import json
import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "extract_corpus.jsonl"


@dataclass
class Figures:
    entries: int = 0
    read_right: int = 0
    ambiguous_expected: int = 0
    ambiguous_flagged: int = 0
    damaged_unflagged_wrong: int = 0
    unflagged_wrong_anywhere: int = 0
    misread: list[str] = field(default_factory=list)

    @property
    def read_right_share(self) -> float:
        return self.read_right / self.entries if self.entries else 0.0

    @property
    def flagged_share(self) -> float:
        return self.ambiguous_flagged / self.ambiguous_expected if self.ambiguous_expected else 1.0


def load(path: Path = CORPUS) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _same_value(got: Any, want: dict[str, Any]) -> bool:
    return (
        math.isclose(got.low, want["low"], rel_tol=1e-9)
        and math.isclose(got.high, want["high"], rel_tol=1e-9)
        and got.basis == want["basis"]
    )


def _same(got: Any, want: dict[str, Any]) -> bool:
    return (
        _same_value(got, want)
        and got.cells == want.get("cells", "total")
        and got.ambiguous == want["ambiguous"]
    )


def measure(rows: list[dict[str, Any]] | None = None) -> Figures:
    from mscdose.extraction.scan import extract

    figures = Figures()
    for row in rows if rows is not None else load():
        got = extract(row["text"]).doses
        want = row["doses"]
        figures.entries += 1
        if len(got) == len(want) and all(_same(g, w) for g, w in zip(got, want, strict=True)):
            figures.read_right += 1
        else:
            figures.misread.append(row["id"])
        for w in want:
            if w["ambiguous"]:
                figures.ambiguous_expected += 1
                if any(
                    g.ambiguous
                    and math.isclose(g.low, w["low"], rel_tol=1e-9)
                    and math.isclose(g.high, w["high"], rel_tol=1e-9)
                    for g in got
                ):
                    figures.ambiguous_flagged += 1
        wrong = [g for g in got if not g.ambiguous and not any(_same_value(g, w) for w in want)]
        figures.unflagged_wrong_anywhere += len(wrong)
        if row["damaged"]:
            figures.damaged_unflagged_wrong += len(wrong)
    return figures


def main() -> int:
    """``python benchmarks/extract_quality.py [BATCH.jsonl]``: the corpus, or a new batch
    (its first run, before the code is fitted to it, is the generalisation figure)."""
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS
    f = measure(load(path))
    print(f"corpus: {f.entries} entries ({path.name})")
    print(f"read right:              {f.read_right}/{f.entries} = {f.read_right_share:.1%}")
    print(
        f"ambiguous flagged:       {f.ambiguous_flagged}/{f.ambiguous_expected} "
        f"= {f.flagged_share:.1%}"
    )
    print(f"damaged unflagged wrong: {f.damaged_unflagged_wrong}  (must be 0)")
    print(f"unflagged wrong, any entry (false positives included): {f.unflagged_wrong_anywhere}")
    if f.misread:
        print("not read right: " + ", ".join(f.misread))
    return 0 if f.damaged_unflagged_wrong == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
