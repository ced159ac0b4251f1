"""Bar charts drawn on the server as inline SVG (the CSP allows no script): geometry here, markup in
`talentmap/_bars.html`. Colours are SVG presentation attributes, not inline styles, for the same reason."""

from __future__ import annotations

from dataclasses import dataclass

DEMAND_COLOUR = "#b4232a"  # the brand red: demand
SUPPLY_COLOUR = "#1d7a46"  # the "ok" green: supply
LABEL_WIDTH, BAR_WIDTH, VALUE_WIDTH = 120, 220, 40
ROW, BAR, TOP = 40, 13, 30


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    value: int
    colour: str
    text_x: int
    text_y: int


@dataclass(frozen=True)
class Row:
    label: str
    label_y: int
    bars: tuple[Bar, ...]
    note: str  # e.g. the gap, written under the label
    note_y: int


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    rows: tuple[Row, ...]
    legend: tuple[tuple[str, str, int], ...]  # (label, colour, x)
    axis_x: int


def paired_bars(title: str, rows: list[tuple[str, int, int, str]], labels: tuple[str, str]) -> Chart:
    """Two bars per row (demand above supply), scaled to the largest value; `rows` are (label, demand,
    supply, note).

    >>> chart = paired_bars("t", [("计算机类", 10, 5, "+5"), ("机械类", 0, 20, "-20")], ("需求", "供给"))
    >>> [b.width for b in chart.rows[0].bars], [b.width for b in chart.rows[1].bars]
    ([110, 55], [0, 220])
    """
    top = max([max(a, b) for _, a, b, _ in rows] + [1])
    out = []
    for i, (label, demand, supply, note) in enumerate(rows):
        y = TOP + i * ROW
        bars = []
        for j, (value, colour) in enumerate(((demand, DEMAND_COLOUR), (supply, SUPPLY_COLOUR))):
            width = round(BAR_WIDTH * value / top)
            bar_y = y + 4 + j * (BAR + 2)
            bars.append(Bar(LABEL_WIDTH, bar_y, width, BAR, value, colour, LABEL_WIDTH + width + 4, bar_y + BAR - 2))
        out.append(Row(label, y + 16, tuple(bars), note, y + 32))
    legend = ((labels[0], DEMAND_COLOUR, LABEL_WIDTH), (labels[1], SUPPLY_COLOUR, LABEL_WIDTH + 90))
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    return Chart(title, width, TOP + len(rows) * ROW + 6, tuple(out), legend, LABEL_WIDTH)
