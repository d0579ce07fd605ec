"""Number tables laid out for print: the share of the width their row labels take, and the year
series a chart draws (the data of both comes from the table's answer type,
app/questionnaires/types/number_table.py)."""
import unicodedata
from dataclasses import dataclass


def _ems(text: str) -> float:
    """The rough width of ``text`` in em: Chinese characters are square, other letters about half as wide."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text)


def label_width(rows: list[dict], columns: int) -> str:
    """The share of the table's width given to the row labels (the table's layout is fixed, so
    the other columns share the rest equally): room for the longest label on one line when it is
    short (years, "Total"), so that a table with many columns leaves each of them room for its
    heading; at most 30 %, and 20 % once there are six columns or more (long labels wrap)."""
    longest = max((_ems(row["label"]) for row in rows), default=0)
    # 9.5 pt type on a 174 mm line: an em is 1.9 % of the width; the cell's padding takes 2.5 %.
    share = 2.5 + 1.9 * longest
    return f"{min(max(share, 10), 30 if columns < 6 else 20):.0f}%"


@dataclass(frozen=True)
class YearSeries:
    """Figures per year for each category of a table (the parts of its total, if it has one), as
    ``number_table.year_series`` gives them."""

    years: tuple[str, ...]
    #: (category label, one figure per year, 0 where empty)
    series: tuple[tuple[str, tuple[int, ...]], ...]
