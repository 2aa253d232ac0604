"""The batch progress bar (issue 19.7): rows done, the percentage and the time left."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest


def test_the_progress_bar_shows_rows_percentage_and_time_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    from rich.console import Console

    from mscdose.cli import batch_cmd, output

    screen = io.StringIO()
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.delenv("TERM", raising=False)
    monkeypatch.setattr(
        output,
        "console",
        lambda **_: Console(file=screen, force_terminal=True, width=120, color_system=None),
    )
    rows = tmp_path / "rows.csv"
    rows.write_bytes(b"dose,route\n" + b"2e6,iv\n" * 10_000)
    with rows.open("rb") as stream, batch_cmd._progress(stream, str(rows)) as tick:
        assert tick is not None
        stream.read(35_000)
        tick(5_000)
        stream.read(35_000)
        tick(10_000)
    shown = screen.getvalue()
    assert re.search(r"10,000 rows", shown), shown
    assert re.search(r"\d+%", shown), shown
    assert re.search(r"(-:--:--|\d+:\d\d:\d\d) left", shown), shown
    assert "/s" not in shown  # no transfer speed: rows mean more than kB/s
