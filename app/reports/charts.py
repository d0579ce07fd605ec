"""A small SVG builder for the profile's charts: stacked bars per year, the total under each.

The SVG holds the bars and the figure of each segment with room for one (drawn as outlines); the
words and numbers around them (years, totals, legend) are HTML lines under the chart. WeasyPrint draws SVG text letter by letter, without shaping: Arabic words
would fall apart, and each letter costs a text layout. Labels are two justified lines whose
padding puts each word under its bar (one text layout per line instead of one per label: 2 ms
a chart rather than 10). The chart is an image whose alternative text is its title in the tagged
PDF; the table under it carries the figures. Right-to-left profiles get a mirrored chart, years
running from right to left like their tables and like the HTML lines, which follow the page's
direction by themselves."""
import subprocess
from functools import lru_cache

from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.ttLib import TTFont, TTLibError
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


#: Segment labels: figures only, in the SVG's units (a unit is 0.31 mm printed: 9 units is about
#: 8 pt), dark on the light colours. They are drawn as the outlines of Noto Sans's figures, not as
#: SVG text: WeasyPrint lays out SVG text glyph by glyph and embeds its font again, which made a
#: profile a fifth slower to render and half as large again.
SEGMENT_LABEL_SIZE = 9
LIGHT_COLOURS = {"#e69f00", "#56b4e9", "#f0e442", "#cc79a7"}
#: The characters a figure may hold in any of the six languages (digits, group and decimal
#: separators, spaces); a figure with another character is left unlabelled.
FIGURE_CHARACTERS = "0123456789,.\u00a0\u202f "


@lru_cache(maxsize=1)
def _figure_outlines() -> tuple[dict[str, tuple[str, int]], int]:
    """Each figure character's outline (SVG path data, font units) and advance, from Noto Sans
    (the profile's Latin face), with the font's units per em; nothing when the font is missing."""
    try:
        path = subprocess.run(["fc-match", "--format", "%{file}", "Noto Sans:style=Regular"], capture_output=True,
                              text=True, timeout=10, check=False).stdout
        font = TTFont(path, lazy=True)
    except (OSError, subprocess.SubprocessError, TTLibError):  # no fontconfig, a hung fc-match, no font
        return {}, 1000
    glyphs, cmap, outlines = font.getGlyphSet(), font.getBestCmap(), {}
    for character in FIGURE_CHARACTERS:
        name = cmap.get(ord(character))
        if name is not None:
            pen = SVGPathPen(glyphs)
            glyphs[name].draw(pen)
            outlines[character] = (pen.getCommands(), glyphs[name].width)
    return outlines, font["head"].unitsPerEm


def _figure(text: str, centre_x: float, baseline: float, fill: str) -> tuple[str, float]:
    """``text`` drawn as outlines centred on ``centre_x``, and its width; ("", 0) when a
    character has no outline."""
    outlines, units = _figure_outlines()
    if not text or any(character not in outlines for character in text):
        return "", 0
    scale = SEGMENT_LABEL_SIZE / units
    width = sum(outlines[character][1] for character in text) * scale
    x, paths = centre_x - width / 2, []
    for character in text:
        commands, advance = outlines[character]
        if commands:
            paths.append(f'<path transform="translate({x:.2f} {baseline:.2f}) scale({scale:.5f} {-scale:.5f})" '
                         f'd="{commands}"/>')
        x += advance * scale
    return f'<g fill="{fill}">{"".join(paths)}</g>', width


def _segment_label(x: float, y: float, width: float, height: float, colour: str, text: str) -> str:
    """The figure of one segment, inside it, when the segment has room for it."""
    if height < SEGMENT_LABEL_SIZE + 2:
        return ""
    fill = "#1d2b36" if colour in LIGHT_COLOURS else "#ffffff"
    label, label_width = _figure(text, x + width / 2, y + height / 2 + SEGMENT_LABEL_SIZE * 0.36, fill)
    return label if label_width + 2 <= width else ""


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


#: The length and thickness of a key-fact bar (app/reports/glance.py), in the SVG's units.
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
