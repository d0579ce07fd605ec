"""A small SVG builder for the profile's charts: stacked bars per year with the total on top.

The output is SVG markup (every label escaped) that WeasyPrint draws as vector graphics; the
chart's <title> becomes its alternative text in the tagged PDF. Only numbers are drawn as SVG
text; the legend's words are HTML (see ``legend``). Right-to-left profiles get a mirrored chart,
years running from right to left like their tables."""
import math

from markupsafe import Markup, escape

from app.questionnaires.answers import format_number
from app.reports.tables import YearSeries

WIDTH, PLOT_HEIGHT = 480, 150
MARGIN_START, MARGIN_END, MARGIN_TOP = 46, 8, 14
FONT_SIZE = 9
#: Chart text is numbers only, in every language.
FONT_FAMILY = "Noto Sans"
#: Distinct under the common colour-vision deficiencies, and in greyscale print.
COLOURS = ("#1b4f8a", "#e69f00", "#56b4e9", "#009e73", "#cc79a7", "#d55e00", "#7f7f7f", "#f0e442")


def nice_ticks(maximum: int, count: int = 4) -> list[int]:
    """Round axis values from 0 to at least ``maximum``: steps of 1, 2 or 5 times a power of ten."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(1, int(step))
    return list(range(0, int(math.ceil(maximum / step)) * step + 1, step))


def _text(x, y, content, anchor="middle", extra="") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(content)}</text>'


class _Frame:
    """Coordinates of the plot area, mirrored for right-to-left."""

    def __init__(self, slots: int, top: int, rtl: bool):
        self.rtl, self.top, self.slots = rtl, top, slots
        self.left = MARGIN_END if rtl else MARGIN_START
        self.right = WIDTH - (MARGIN_START if rtl else MARGIN_END)
        self.bottom = top + PLOT_HEIGHT
        self.band = (self.right - self.left) / slots

    def slot_x(self, index: int) -> float:
        """The left edge of the band of slot ``index`` (slot 0 is the first year)."""
        position = self.slots - 1 - index if self.rtl else index
        return self.left + position * self.band

    @property
    def axis_x(self) -> float:
        return self.right if self.rtl else self.left


def _axis(frame: _Frame, ticks: list[int], locale: str) -> list[str]:
    parts = []
    label_x = frame.axis_x + (4 if frame.rtl else -4)
    anchor = "start" if frame.rtl else "end"
    for tick in ticks:
        y = frame.bottom - tick / ticks[-1] * PLOT_HEIGHT
        parts.append(f'<line x1="{frame.left}" x2="{frame.right}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{"#5b6a76" if tick == 0 else "#d5dde3"}" stroke-width="0.6"/>')
        parts.append(_text(label_x, y + 3, format_number(tick, locale), anchor))
    return parts


def _bars(frame: _Frame, data: YearSeries, scale: float, locale: str) -> list[str]:
    parts, width = [], frame.band * 0.58
    for index, year in enumerate(data.years):
        x = frame.slot_x(index) + (frame.band - width) / 2
        y = frame.bottom
        for colour, (_, values) in zip(COLOURS * 4, data.series):
            height = values[index] * scale
            if height > 0:
                y -= height
                parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" '
                             f'fill="{colour}"/>')
        total = sum(values[index] for _, values in data.series)
        parts.append(_text(x + width / 2, y - 3, format_number(total, locale), extra=' font-weight="bold"'))
        parts.append(_text(x + width / 2, frame.bottom + 12, year))
    return parts


def legend(data: YearSeries) -> list[dict]:
    """The chart's categories with their colours, laid out as HTML under the chart: WeasyPrint
    draws SVG text letter by letter, which would break Arabic words apart."""
    return [{"label": label, "colour": colour} for colour, (label, _) in zip(COLOURS * 4, data.series)]


def stacked_bar_chart(data: YearSeries, title: str, locale: str, rtl: bool) -> Markup:
    """The SVG of ``data`` as stacked bars, one per year."""
    frame = _Frame(len(data.years), MARGIN_TOP, rtl)
    maximum = max(sum(values[i] for _, values in data.series) for i in range(len(data.years)))
    ticks = nice_ticks(maximum)
    height = frame.bottom + 18
    body = _axis(frame, ticks, locale) + _bars(frame, data, PLOT_HEIGHT / ticks[-1], locale)
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'width="{WIDTH}" height="{height:.0f}" font-family="{FONT_FAMILY}" font-size="{FONT_SIZE}" '
        f'fill="#1d2b36"><title>{escape(title)}</title>{"".join(body)}</svg>'
    )
