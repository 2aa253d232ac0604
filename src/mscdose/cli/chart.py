"""Layout of a log-scale range chart for a terminal: columns, ticks and glyphs, no colours.

Each row is a bar from its low to its high dose on a shared axis of powers of ten, so
clusters and outliers show at a glance. A marker (a proposed dose) can be drawn as a
vertical line through every row. The CLI colours the segments this module returns.

>>> chart = layout([ChartRow("a", 1e6, 2e6), ChartRow("b", 1e8, 1e8)], width=21)
>>> chart.axis.label_line()
'10⁶      10⁷      10⁸'
>>> "".join(text for text, _ in chart.segments(chart.bars[1], ascii=True))
'                    o'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
MIN_WIDTH = 10

# kind → (unicode, ascii) glyph
GLYPHS: dict[str, tuple[str, str]] = {
    "blank": (" ", " "),
    "grid": ("·", " "),
    "bar": ("━", "="),
    "point": ("●", "o"),
    "marker": ("┃", "|"),
    "marker_in_bar": ("╋", "#"),
}


def power_label(exponent: int, *, ascii: bool = False) -> str:
    """``10⁶`` (or ``10^6``)."""
    return f"10^{exponent}" if ascii else "10" + str(exponent).translate(_SUPERSCRIPT)


@dataclass(frozen=True)
class ChartRow:
    """One bar: a label, its low and high value, a note for the right-hand side."""

    label: str
    low: float
    high: float
    note: str = ""
    muted: bool = False


@dataclass(frozen=True)
class LogAxis:
    """Powers of ten ``10**low_exp`` … ``10**high_exp`` over columns ``0 … width-1``."""

    low_exp: int
    high_exp: int
    width: int

    @classmethod
    def spanning(cls, values: Sequence[float], width: int) -> LogAxis:
        positive = [v for v in values if v > 0 and math.isfinite(v)]
        if not positive:
            raise ValueError("a log axis needs positive values")
        low = math.floor(math.log10(min(positive)))
        high = math.ceil(math.log10(max(positive)))
        return cls(low_exp=low, high_exp=max(high, low + 1), width=max(width, MIN_WIDTH))

    def column(self, value: float) -> int:
        """The column of ``value`` (clamped to the axis).

        >>> LogAxis(6, 8, 21).column(1e7)
        10
        """
        if value <= 0:
            return 0
        share = (math.log10(value) - self.low_exp) / (self.high_exp - self.low_exp)
        return min(self.width - 1, max(0, round(share * (self.width - 1))))

    def ticks(self) -> tuple[tuple[int, int], ...]:
        """``(column, exponent)`` of every power of ten on the axis."""
        return tuple((self.column(10.0**e), e) for e in range(self.low_exp, self.high_exp + 1))

    def labelled_ticks(self, *, ascii: bool = False) -> tuple[tuple[int, int], ...]:
        """The ticks that get a label: every power of ten, or every 2nd, 3rd … when crowded."""
        longest = max(len(power_label(e, ascii=ascii)) for _, e in self.ticks())
        per_decade = (self.width - 1) / (self.high_exp - self.low_exp)
        step = 1
        while step * per_decade < longest + 1 and step < self.high_exp - self.low_exp:
            step += 1
        return tuple((c, e) for c, e in self.ticks() if e % step == 0)

    def label_line(self, *, ascii: bool = False) -> str:
        """The tick labels, each centred on its tick where room allows."""
        line = [" "] * self.width
        end = -1
        for column, exponent in self.labelled_ticks(ascii=ascii):
            text = power_label(exponent, ascii=ascii)
            start = min(max(0, column - len(text) // 2), self.width - len(text))
            if start <= end:
                continue
            line[start : start + len(text)] = list(text)
            end = start + len(text)
        return "".join(line).rstrip()

    def rule_line(self, *, ascii: bool = False) -> str:
        """``──┬────┬──``: the axis with a tick at each power of ten."""
        line = ["-" if ascii else "─"] * self.width
        for column, _ in self.ticks():
            line[column] = "+" if ascii else "┬"
        return "".join(line)


@dataclass(frozen=True)
class PlacedBar:
    row: ChartRow
    start: int
    end: int


@dataclass(frozen=True)
class Chart:
    axis: LogAxis
    bars: tuple[PlacedBar, ...]
    marker: int | None = None
    marker_value: float | None = None

    def kinds(self, bar: PlacedBar) -> list[str]:
        """What each column of a bar's line shows (see ``GLYPHS``)."""
        grid = {c for c, _ in self.axis.ticks()}
        kinds = []
        for column in range(self.axis.width):
            inside = bar.start <= column <= bar.end
            if column == self.marker:
                kinds.append("marker_in_bar" if inside else "marker")
            elif inside:
                kinds.append("point" if bar.start == bar.end else "bar")
            elif column in grid:
                kinds.append("grid")
            else:
                kinds.append("blank")
        return kinds

    def segments(self, bar: PlacedBar, *, ascii: bool = False) -> list[tuple[str, str]]:
        """A bar's line as runs of ``(text, kind)`` for the renderer to colour."""
        out: list[tuple[str, str]] = []
        for kind in self.kinds(bar):
            glyph = GLYPHS[kind][1 if ascii else 0]
            if out and out[-1][1] == kind:
                out[-1] = (out[-1][0] + glyph, kind)
            else:
                out.append((glyph, kind))
        return out

    def marker_line(self, label: str, *, ascii: bool = False) -> str:
        """``      ▲ proposed`` under the axis, pointing at the marker (empty without one)."""
        if self.marker is None:
            return ""
        arrow = "^" if ascii else "▲"
        text = f"{arrow} {label}".rstrip()
        if self.marker + len(text) <= self.axis.width + 24:
            return " " * self.marker + text
        return " " * max(0, self.marker - len(text) + 1) + f"{label} {arrow}".lstrip()


def layout(rows: Sequence[ChartRow], width: int, marker: float | None = None) -> Chart:
    """Place every row's bar (and the marker) on one shared log axis ``width`` columns wide."""
    values = [v for r in rows for v in (r.low, r.high)]
    if marker is not None:
        values.append(marker)
    axis = LogAxis.spanning(values, width)
    bars = tuple(PlacedBar(r, axis.column(r.low), axis.column(r.high)) for r in rows)
    return Chart(
        axis=axis,
        bars=bars,
        marker=axis.column(marker) if marker is not None else None,
        marker_value=marker,
    )
