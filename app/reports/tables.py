"""Number tables for reading: totals shown (and computed where the definition has none), and the
year series a chart can draw."""
import re
import unicodedata
from dataclasses import dataclass

from flask_babel import gettext as _

from app.questionnaires.answers import format_number, table_cell
from app.questionnaires.schema import Question, TableAxis

YEAR = re.compile(r"(19|20|21)\d\d")


def _sum(values) -> int | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _text(value, locale: str) -> str:
    return "" if value is None else format_number(value, locale)


def table_data(question: Question, value: dict, locale: str) -> dict:
    """Columns and rows with formatted cells. Where the definition has no total column (or row),
    a computed one is added (figures are counts), marked as a total like defined ones: a table
    of years by sex with a total column gets a total row over the years."""
    add_column = not any(c.total_of for c in question.columns) and len(question.columns) > 1
    add_row = not any(r.total_of for r in question.rows) and len(question.rows) > 1
    grid = [[table_cell(value, row.id, column.id) for column in question.columns] for row in question.rows]
    if add_column:
        grid = [cells + [_sum(cells)] for cells in grid]
    if add_row:
        grid.append([_sum(column) for column in zip(*grid)])
    columns = [{"label": c.text(locale), "total": bool(c.total_of)} for c in question.columns]
    if add_column:
        columns.append({"label": _("Total"), "total": True})
    rows = [{"label": r.text(locale), "total": bool(r.total_of)} for r in question.rows]
    if add_row:
        rows.append({"label": _("Total"), "total": True})
    for row, cells in zip(rows, grid):
        row["cells"] = [_text(cell, locale) for cell in cells]
    return {"columns": columns, "rows": rows, "label_width": label_width(rows, len(columns))}


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
    """Figures per year for each category of a table (the parts of its total, if it has one)."""

    years: tuple[str, ...]
    #: (category label, one figure per year, 0 where empty)
    series: tuple[tuple[str, tuple[int, ...]], ...]


def _is_year_axis(axes: tuple[TableAxis, ...]) -> bool:
    return len(axes) >= 2 and all(YEAR.fullmatch(axis.id) for axis in axes)


def _parts(categories: tuple[TableAxis, ...]) -> list[TableAxis]:
    """The categories a chart stacks: the parts of the first total, or every ordinary one."""
    by_id = {axis.id: axis for axis in categories}
    total = next((axis for axis in categories if axis.total_of), None)
    if total is not None:
        return [by_id[part] for part in total.total_of if part in by_id]
    return list(categories)


def year_series(question: Question, value: dict, locale: str) -> YearSeries | None:
    """The table as series over years (rows or columns that are years), or None when it is not
    one or fewer than two years have figures."""
    rows = tuple(axis for axis in question.rows if not axis.total_of)
    columns = tuple(axis for axis in question.columns if not axis.total_of)
    if _is_year_axis(rows):
        years, categories, cell = rows, question.columns, lambda year, cat: table_cell(value, year, cat)
    elif _is_year_axis(columns):
        years, categories, cell = columns, question.rows, lambda year, cat: table_cell(value, cat, year)
    else:
        return None
    parts = _parts(categories)
    series = tuple((part.text(locale), tuple(cell(year.id, part.id) or 0 for year in years)) for part in parts)
    years_with_data = sum(1 for i in range(len(years)) if any(values[i] for _, values in series))
    if not parts or years_with_data < 2:
        return None
    return YearSeries(tuple(year.id for year in years), series)
