"""``batch --output-format csv``: the input's columns as they were written, then the answers
(the csvkit and sqlite-utils habit: a spreadsheet gets its rows back with the results)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

RESULT_COLUMNS = (
    "verdict",
    "compared_at",
    "reported_low",
    "reported_high",
    "distance_fold",
    "warning_codes",
    "schedule_verdict",
    "error",
)


class CsvLines:
    """Formats one CSV line at a time: ``width`` pass-through columns, then the results."""

    def __init__(self, width: int, delimiter: str = ",") -> None:
        self.width = width
        self._buffer = io.StringIO()
        self._writer = csv.writer(self._buffer, delimiter=delimiter, lineterminator="\n")

    def _line(self, values: Sequence[object]) -> str:
        self._buffer.seek(0)
        self._buffer.truncate()
        self._writer.writerow(values)
        return self._buffer.getvalue()

    def header(self, names: Sequence[str]) -> str:
        return self._line([*names, *RESULT_COLUMNS])

    def line(self, given: Sequence[str] | None, result: dict[str, Any]) -> str:
        passed = list(given or ())[: self.width]
        passed += [""] * (self.width - len(passed))
        reported = result.get("reported") or {}
        return self._line(
            [
                *passed,
                result.get("verdict") or "",
                result.get("compared_at") or "",
                _number(reported.get("low")),
                _number(reported.get("high")),
                _number(result.get("distance_fold")),
                " ".join(result.get("warning_codes") or ()),
                result.get("schedule_verdict") or "",
                result.get("error", ""),
            ]
        )


def _number(value: object) -> str:
    return "" if value is None else repr(value)
