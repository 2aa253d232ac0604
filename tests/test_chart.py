"""The log-scale chart's arithmetic: columns, ticks, bars and the marker."""

from __future__ import annotations

import pytest

from mscdose.cli.chart import ChartRow, LogAxis, layout, power_label


@pytest.mark.parametrize(
    ("value", "column"),
    [(1e6, 0), (1e7, 10), (1e8, 20), (3.16e6, 5), (1e3, 0), (1e12, 20), (0.0, 0)],
)
def test_columns_on_a_log_axis(value: float, column: int) -> None:
    assert LogAxis(6, 8, 21).column(value) == column


def test_the_axis_spans_whole_powers_of_ten() -> None:
    axis = LogAxis.spanning([2e6, 5e7], 40)
    assert (axis.low_exp, axis.high_exp) == (6, 8)
    single = LogAxis.spanning([1e6], 40)
    assert (single.low_exp, single.high_exp) == (6, 7)
    assert LogAxis.spanning([1e6], 3).width >= 10
    with pytest.raises(ValueError):
        LogAxis.spanning([], 40)


def test_tick_labels_sit_under_their_ticks() -> None:
    axis = LogAxis(5, 9, 41)
    rule, labels = axis.rule_line(), axis.label_line()
    assert [i for i, c in enumerate(rule) if c == "┬"] == [0, 10, 20, 30, 40]
    for column, exponent in axis.ticks():
        text = power_label(exponent)
        assert text in labels
        assert abs(labels.index(text) + 1 - column) <= len(text)
    assert axis.label_line(ascii=True).split() == ["10^5", "10^6", "10^7", "10^8", "10^9"]
    assert set(axis.rule_line(ascii=True)) == {"-", "+"}


def test_crowded_ticks_are_thinned_not_overlapped() -> None:
    axis = LogAxis(2, 14, 24)
    labels = axis.label_line(ascii=True).split()
    assert 2 <= len(labels) < 13
    assert all(label.startswith("10^") for label in labels)


def test_bars_points_and_the_marker() -> None:
    rows = [ChartRow("range", 1e6, 1e7), ChartRow("point", 1e8, 1e8)]
    chart = layout(rows, width=21, marker=1e7)
    assert [(b.start, b.end) for b in chart.bars] == [(0, 10), (20, 20)]
    assert chart.marker == 10
    first = chart.kinds(chart.bars[0])
    assert first[:10] == ["bar"] * 10 and first[10] == "marker_in_bar"
    second = chart.kinds(chart.bars[1])
    assert second[20] == "point" and second[10] == "marker" and second[0] == "grid"
    text = "".join(t for t, _ in chart.segments(chart.bars[0], ascii=True))
    assert text == "==========#         ."[:21].replace(".", " ")
    assert chart.marker_line("proposed").startswith(" " * 10 + "▲ proposed")
    assert layout(rows, width=21).marker_line("x") == ""


def test_the_marker_widens_the_axis() -> None:
    chart = layout([ChartRow("a", 1e6, 2e6)], width=30, marker=5e9)
    assert (chart.axis.low_exp, chart.axis.high_exp) == (6, 10)
    assert chart.marker == 27  # log10(5e9) = 9.7 of 6..10 on 30 columns
