"""The bar chart of a country page's figures by year: drawn on the server as SVG, so it shows
without JavaScript, with each bar's year under it and its figure above it. The browser shapes
the SVG's text, so labels are real text (unlike the PDF's charts, app/reports/charts.py). The
chart is an image whose name is its title and whose description lists every figure; the page
prints the same figures as a table beside it. Right-to-left pages draw the years from right to
left, as their tables read."""
from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.questionnaires.answers import format_number

WIDTH, HEIGHT = 480, 200
#: Room above the bars for their figures, and below them for the years.
TOP, BOTTOM = 22, 26
BAR_SHARE = 0.6
COLOUR = "#1b4f8a"


def figure_text(total: int | None, locale: str) -> str:
    return "–" if total is None else format_number(total, locale)


def _bar(index: int, count: int, year: dict, scale: float, locale: str, rtl: bool) -> str:
    band = WIDTH / count
    position = count - 1 - index if rtl else index
    centre, width = position * band + band / 2, band * BAR_SHARE
    height = (year["total"] or 0) * scale
    base = HEIGHT - BOTTOM
    bar = (f'<rect x="{centre - width / 2:.1f}" y="{base - height:.1f}" width="{width:.1f}" '
           f'height="{height:.1f}" fill="{COLOUR}"/>') if height else ""
    figure = (f'<text x="{centre:.1f}" y="{base - height - 6:.1f}" text-anchor="middle" class="chart-figure">'
              f'{escape(figure_text(year["total"], locale))}</text>')
    label = (f'<text x="{centre:.1f}" y="{HEIGHT - 6}" text-anchor="middle" class="chart-year">'
             f'{escape(year["year"])}</text>')
    return bar + figure + label


def year_chart(chart_id: str, title: str, years: list[dict], locale: str, rtl: bool) -> Markup:
    """An SVG bar per year (``years``: [{"year", "total"}]), named by ``title``."""
    largest = max((year["total"] or 0 for year in years), default=0)
    scale = (HEIGHT - TOP - BOTTOM) / max(largest, 1)
    description = _("; ").join(_("%(year)s: %(figure)s", year=year["year"], figure=figure_text(year["total"], locale))
                               for year in years)
    bars = "".join(_bar(index, len(years), year, scale, locale, rtl) for index, year in enumerate(years))
    baseline = (f'<line x1="0" x2="{WIDTH}" y1="{HEIGHT - BOTTOM}" y2="{HEIGHT - BOTTOM}" '
                f'stroke="#5b6a76" stroke-width="1"/>')
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="year-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title><desc id="{chart_id}-desc">{escape(description)}</desc>'
        f'{bars}{baseline}</svg>'
    )
