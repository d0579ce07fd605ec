"""A small SVG builder for the profile's charts: stacked bars per year, the total under each.

The SVG holds the bars only; the words and numbers around them (years, totals, legend) are HTML
lines under the chart. WeasyPrint draws SVG text letter by letter, without shaping: Arabic words
would fall apart, and each letter costs a text layout. Labels are two justified lines whose
padding puts each word under its bar (one text layout per line instead of one per label: 2 ms
a chart rather than 10). The chart is an image whose alternative text is its title in the tagged
PDF; the table under it carries the figures. Right-to-left profiles get a mirrored chart, years
running from right to left like their tables and like the HTML lines, which follow the page's
direction by themselves."""
from markupsafe import Markup, escape

from app.questionnaires.answers import format_number
from app.reports.tables import YearSeries

#: A chart, its table and their question fit twice on a page, even in Arabic (taller lines): a
#: chart is kept on the page of its table, so a taller one would leave half pages blank.
WIDTH, HEIGHT = 480, 120
#: The chart's printed width and label size, as set in profile.css.
PRINTED_WIDTH_MM, LABEL_SIZE_PT = 150, 8
#: The advance of a digit in Noto Sans, in em (its figures are tabular).
DIGIT_EM = 0.572
#: Share of each year's band that its bar fills.
BAR_SHARE = 0.56
#: Distinct under the common colour-vision deficiencies, and in greyscale print.
COLOURS = ("#1b4f8a", "#e69f00", "#56b4e9", "#009e73", "#cc79a7", "#d55e00", "#7f7f7f", "#f0e442", "#6b4226")


def _colours(data: YearSeries):
    return zip(COLOURS * (1 + len(data.series) // len(COLOURS)), data.series)


def _totals(data: YearSeries) -> list[int]:
    return [sum(values[index] for _, values in data.series) for index in range(len(data.years))]


#: Segment labels: digits only (SVG text is not shaped, but digits need no shaping), in the
#: SVG's units (a unit is 0.31 mm printed: 9 units is about 8 pt), dark on the light colours.
SEGMENT_LABEL_SIZE, SEGMENT_DIGIT = 9, 9 * DIGIT_EM
LIGHT_COLOURS = {"#e69f00", "#56b4e9", "#f0e442", "#cc79a7"}


def _segment_label(x: float, y: float, width: float, height: float, colour: str, text: str) -> str:
    """The figure of one segment, inside it, when the segment has room for it."""
    if height < SEGMENT_LABEL_SIZE + 2 or width < len(text) * SEGMENT_DIGIT + 2:
        return ""
    fill = "#1d2b36" if colour in LIGHT_COLOURS else "#ffffff"
    return (f'<text x="{x + width / 2:.1f}" y="{y + height / 2 + SEGMENT_LABEL_SIZE * 0.36:.1f}" '
            f'text-anchor="middle" font-family="Noto Sans" font-size="{SEGMENT_LABEL_SIZE}" fill="{fill}">{text}</text>')


def _bars(data: YearSeries, rtl: bool, locale: str) -> list[str]:
    band, scale = WIDTH / len(data.years), (HEIGHT - 2) / max(max(_totals(data)), 1)
    width, rects = band * BAR_SHARE, []
    for index in range(len(data.years)):
        position = len(data.years) - 1 - index if rtl else index
        x, y = position * band + (band - width) / 2, float(HEIGHT)
        for colour, (_, values) in _colours(data):
            height = values[index] * scale
            if height > 0:
                y -= height
                rects.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{colour}"/>')
                rects.append(_segment_label(x, y, width, height, colour, format_number(values[index], locale)))
    return rects


def stacked_bar_chart(data: YearSeries, title: str, rtl: bool, locale: str = "en") -> Markup:
    """The bars of ``data``, one stack per year, on a baseline; each segment tall enough carries
    its figure (the legend under the chart names the colours)."""
    baseline = f'<line x1="0" x2="{WIDTH}" y1="{HEIGHT}" y2="{HEIGHT}" stroke="#5b6a76" stroke-width="1"/>'
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + 1}" width="{WIDTH}" '
        f'height="{HEIGHT + 1}"><title>{escape(title)}</title>{"".join(_bars(data, rtl, locale))}{baseline}</svg>'
    )


def _padding(words: list[str]) -> str:
    """The inline padding that centres justified ``words`` under their bars: half a band less
    half a word, from the words' average width."""
    band = PRINTED_WIDTH_MM / len(words)
    word = sum(len(w) for w in words) / len(words) * DIGIT_EM * LABEL_SIZE_PT * 0.3528
    return f"{max(band - word, 0) / 2:.2f}mm"


def year_labels(data: YearSeries, locale: str) -> dict:
    """The years and their totals, in the order of the years, with the padding that puts each
    under its bar."""
    totals = [format_number(total, locale) for total in _totals(data)]
    return {"years": list(data.years), "years_padding": _padding(list(data.years)),
            "totals": totals, "totals_padding": _padding(totals)}


def legend(data: YearSeries) -> list[dict]:
    """The chart's categories with their colours."""
    return [{"label": label, "colour": colour} for colour, (label, _) in _colours(data)]


#: The length and thickness of a key-fact bar (app/reports/key_facts.py), in the SVG's units.
BAR_LENGTH, BAR_THICKNESS = 200, 10


def bar(share: float, colour: int, rtl: bool) -> Markup:
    """One bar of a key-facts chart, ``share`` (0 to 1) of the full length, from the start of the
    line: the right in a right-to-left page. Its label and figure are HTML beside it. The
    stylesheet sets its printed size; the drawing stretches to it."""
    length = max(share * BAR_LENGTH, 0.8 if share > 0 else 0)
    x = BAR_LENGTH - length if rtl else 0
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {BAR_LENGTH} {BAR_THICKNESS}" width="{BAR_LENGTH}" '
        f'height="{BAR_THICKNESS}" preserveAspectRatio="none"><rect x="{x:.1f}" y="0" width="{length:.1f}" height="{BAR_THICKNESS}" '
        f'fill="{COLOURS[colour % len(COLOURS)]}"/></svg>'
    )
