"""Charts as inline SVG, drawn in Python: the report must open offline, with no scripts.

Each function returns an lxml element (`<svg>`), so every label from the data is a text node
that the serializer escapes. Geometry uses floats; the figures printed on the bars are
formatted by the caller (money as Decimal, never float).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from lxml import etree

FONT_PX = 12
CHAR_PX = 7.6  # average width of a 12px sans-serif character (upper case): sizes the label gutter
BAR_PX = 18
GAP_PX = 8
NOTE_CHAR_PX = 6.6  # an 11px digit, for the figures after the bars
MAX_LABEL_CHARS = 34
MIN_PLOT_PX = 160


@dataclass(frozen=True)
class Series:
    """One stacked or grouped series: its name in the legend and its colour."""

    name: str
    color: str


@dataclass(frozen=True)
class Bar:
    """One bar (or stack): its label and one value per series."""

    label: str
    values: Sequence[float]
    note: str = ""  # printed after the bar, e.g. the formatted total


def _svg(width: float, height: float, title: str) -> etree._Element:
    svg = etree.Element(
        "svg",
        width=_n(width),
        height=_n(height),
        viewBox=f"0 0 {_n(width)} {_n(height)}",
        role="img",
        **{"aria-label": title, "class": "chart"},
    )
    etree.SubElement(svg, "title").text = title
    return svg


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(parent, x: float, y: float, text: str, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, "text", x=_n(x), y=_n(y), **attrs)
    el.text = text
    return el


def _rect(parent, x: float, y: float, w: float, h: float, color: str, tip: str) -> None:
    rect = etree.SubElement(
        parent, "rect", x=_n(x), y=_n(y), width=_n(max(w, 0.0)), height=_n(h), fill=color
    )
    etree.SubElement(rect, "title").text = tip


def _short(label: str) -> str:
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "\u2026"


def _gutter(bars: Sequence[Bar]) -> float:
    """Room for the labels left of the bars."""
    return max((len(_short(b.label)) for b in bars), default=4) * CHAR_PX + 12


def _note_px(bars: Sequence[Bar]) -> float:
    """Room for the figures printed after the bars."""
    return max((len(b.note) for b in bars), default=0) * NOTE_CHAR_PX + 12


def _legend(svg, series: Sequence[Series], x: float, y: float) -> None:
    for s in series:
        _rect(svg, x, y - 10, 12, 12, s.color, s.name)
        _text(svg, x + 16, y, s.name, **{"class": "legend"})
        x += 16 + len(s.name) * CHAR_PX + 18


def stacked_bars(
    title: str,
    bars: Sequence[Bar],
    series: Sequence[Series],
    *,
    value_format: Callable[[float], str] = lambda v: f"{v:g}",
    width: float = 640,
) -> etree._Element:
    """Horizontal bars, one per label, stacked by series (e.g. open exceptions by severity)."""
    gutter = _gutter(bars)
    note_px = _note_px(bars)
    plot = max(width - gutter - note_px, MIN_PLOT_PX)
    width = gutter + plot + note_px
    total = max((sum(v for v in b.values if v > 0) for b in bars), default=0) or 1
    height = 30 + len(bars) * (BAR_PX + GAP_PX) + 10
    svg = _svg(width, height, title)
    _legend(svg, series, gutter, 16)
    y = 30.0
    for bar in bars:
        _text(svg, gutter - 8, y + BAR_PX - 5, _short(bar.label), **{"text-anchor": "end"})
        x = gutter
        for s, value in zip(series, bar.values, strict=True):
            if value <= 0:
                continue
            w = plot * value / total
            _rect(svg, x, y, w, BAR_PX, s.color, f"{bar.label}, {s.name}: {value_format(value)}")
            x += w
        _text(svg, x + 6, y + BAR_PX - 5, bar.note, **{"class": "value"})
        y += BAR_PX + GAP_PX
    return svg


def diverging_bars(
    title: str,
    bars: Sequence[Bar],
    *,
    positive: Series,
    negative: Series | None = None,
    width: float = 640,
) -> etree._Element:
    """Horizontal bars from a zero line: right for positive values, left for negative ones.

    For money at stake: right, what customers were charged beyond the contract; left, what
    providers did not bill. `Bar.values` holds one number; `Bar.note` the formatted amount.
    """
    gutter = _gutter(bars)
    note_px = _note_px(bars)
    high = max((b.values[0] for b in bars), default=0.0)
    low = min((b.values[0] for b in bars), default=0.0)
    left_note = note_px if low < 0 else 0.0
    plot = max(width - gutter - left_note - note_px, MIN_PLOT_PX)
    width = gutter + left_note + plot + note_px
    span = (max(high, 0.0) - min(low, 0.0)) or 1.0
    zero = gutter + left_note + plot * (-min(low, 0.0)) / span
    height = 30 + len(bars) * (BAR_PX + GAP_PX) + 10
    svg = _svg(width, height, title)
    _legend(svg, [positive] if negative is None else [positive, negative], gutter, 16)
    y = 30.0
    for bar in bars:
        value = bar.values[0]
        _text(svg, gutter - 8, y + BAR_PX - 5, _short(bar.label), **{"text-anchor": "end"})
        w = plot * abs(value) / span
        if value >= 0:
            _rect(svg, zero, y, w, BAR_PX, positive.color, f"{bar.label}: {bar.note}")
            _text(svg, zero + w + 6, y + BAR_PX - 5, bar.note, **{"class": "value"})
        else:
            color = (negative or positive).color
            _rect(svg, zero - w, y, w, BAR_PX, color, f"{bar.label}: {bar.note}")
            attrs = {"class": "value", "text-anchor": "end"}
            _text(svg, zero - w - 6, y + BAR_PX - 5, bar.note, **attrs)
        y += BAR_PX + GAP_PX
    etree.SubElement(
        svg,
        "line",
        x1=_n(zero),
        x2=_n(zero),
        y1="26",
        y2=_n(y),
        stroke="#555",
        **{"stroke-width": "1"},
    )
    return svg


def grouped_columns(
    title: str,
    groups: Sequence[Bar],
    series: Sequence[Series],
    *,
    unit: str = "",
    width: float = 320,
    height: float = 180,
) -> etree._Element:
    """Vertical columns, one group per label (e.g. per month), one column per series."""
    top, bottom, left = 40.0, 22.0, 46.0
    plot_h = height - top - bottom
    high = max((v for g in groups for v in g.values if v is not None), default=0.0) or 1.0
    svg = _svg(width, height, title)
    _legend(svg, series, left, 14)
    etree.SubElement(
        svg, "line", x1=_n(left), x2=_n(width - 4), y1=_n(top + plot_h), y2=_n(top + plot_h),
        stroke="#555", **{"stroke-width": "1"},
    )  # fmt: skip
    _text(svg, left - 4, top + 8, f"{high:g}{unit}", **{"text-anchor": "end", "class": "axis"})
    _text(svg, left - 4, top + plot_h, "0", **{"text-anchor": "end", "class": "axis"})
    slot = (width - left - 4) / max(len(groups), 1)
    col = min(28.0, (slot - 10) / max(len(series), 1))
    for i, group in enumerate(groups):
        x = left + i * slot + (slot - col * len(series)) / 2
        for s, value in zip(series, group.values, strict=True):
            if value is not None:
                h = plot_h * value / high
                tip = f"{group.label}, {s.name}: {value:g}{unit}"
                _rect(svg, x, top + plot_h - h, col - 2, h, s.color, tip)
                attrs = {"text-anchor": "middle", "class": "value"}
                _text(svg, x + col / 2 - 1, top + plot_h - h - 3, f"{value:g}", **attrs)
            x += col
        label_x = left + i * slot + slot / 2
        _text(svg, label_x, height - 6, group.label, **{"text-anchor": "middle", "class": "axis"})
    return svg
