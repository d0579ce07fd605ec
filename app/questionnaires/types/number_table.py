"""``number_table``: a grid of whole numbers of 0 or more (``rows`` × ``columns``), some rows or
columns the totals of others (``total_of``), with statistical ``checks`` computed by
app/questionnaires/checks.py. Stored as ``{row: {column: number}}``, empty cells left out.

The form's inputs are ``<field>-<row>-<column>``; a grid posted as ``{row: {column: text}}``."""
import re

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.i18n import current_locale
from app.questionnaires.answers import AnswerError, format_number, table_cell
from app.questionnaires.schema import CHECK_KINDS, CHECK_LEVELS, COMPARING_KINDS, Check, TableAxis
from app.questionnaires.textdiff import CellChange
from app.questionnaires.types.base import AnswerType, cell_empty, cell_text
from app.questionnaires.types.marks import MARK_LABELS, MARKS, WHOLE, mark_choices, mark_label, marks_of, row_mark
from app.questionnaires.validation import scalar

AXIS_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
YEAR_PATTERN = re.compile(r"^(19|20)\d\d$")
#: A chart can draw a table whose rows (or columns) are years.
YEAR = re.compile(r"(19|20|21)\d\d")
CELL = re.compile(r"\d{1,12}")
#: ``rows: reference_years``: one row per year of the cycle's reference period.
REFERENCE_YEARS = "reference_years"
#: The years of a ``reference_years`` table where no cycle gives them (a definition's preview,
#: its API description), and of cycles opened before cycles had a reference period.
DEFAULT_PERIOD = (2021, 2025)


def year_axes(first_year: int, last_year: int) -> tuple[TableAxis, ...]:
    return tuple(TableAxis(str(year), None) for year in range(first_year, last_year + 1))


def _axes(check, raw, where: str, name: str) -> tuple[TableAxis, ...]:
    if not isinstance(raw, list) or not raw:
        check.problem(where, _("a table needs a list of %(name)s.", name=name))
        return ()
    axes, seen, listed_totals = [], set(), set()
    for item in raw:
        item = item if isinstance(item, dict) else {"id": item}
        axis_id = scalar(item.get("id"))
        if not isinstance(axis_id, str) or not AXIS_PATTERN.match(axis_id):
            check.problem(where, _("%(name)s has an invalid id %(id)s.", name=name, id=axis_id))
            continue
        if axis_id in seen:
            check.problem(where, _("%(name)s id %(id)s is used twice.", name=name, id=axis_id))
        seen.add(axis_id)
        label = item.get("label")
        if label is not None:
            label = check.texts(label, where, _("the label of %(id)s", id=axis_id))
        if "total_of" in item:
            listed_totals.add(axis_id)
        axes.append(TableAxis(axis_id, label, tuple(scalar(part) for part in item.get("total_of") or ())))
    _check_totals(check, axes, seen, listed_totals, where, name)
    return tuple(axes)


def _check_totals(check, axes, seen, listed_totals, where, name) -> None:
    totals = {axis.id for axis in axes if axis.total_of}
    for axis in axes:
        if axis.id not in listed_totals:
            continue
        if not axis.total_of or axis.id in axis.total_of:
            check.problem(where, _("total_of of %(id)s must list other %(name)s.", id=axis.id, name=name))
        for part in axis.total_of:
            if part not in seen or part in totals:
                check.problem(where, _("total_of of %(id)s refers to %(part)s, which is not an ordinary %(name)s id.",
                                       id=axis.id, part=part, name=name))


def _checks(check, raw, where: str, rows) -> tuple[Check, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        check.problem(where, _("checks must be a list."))
        return ()
    checks = []
    for item in raw:
        if not isinstance(item, dict) or item.get("kind") not in CHECK_KINDS:
            check.problem(where, _("each check needs a kind: %(kinds)s.", kinds=", ".join(CHECK_KINDS)))
            continue
        level = item.get("level", "warning")
        if level not in CHECK_LEVELS:
            check.problem(where, _("the level of a check must be one of %(levels)s.", levels=", ".join(CHECK_LEVELS)))
        other, factor = None, None
        if item["kind"] in COMPARING_KINDS:
            other = item.get("question")
            if not isinstance(other, str):
                check.problem(where, _("a %(kind)s check needs the question it is compared with.", kind=item["kind"]))
        else:
            factor = item.get("factor")
            if not isinstance(factor, (int, float)) or isinstance(factor, bool) or factor <= 1:
                check.problem(where, _("a year_on_year check needs a factor greater than 1."))
            if not all(YEAR_PATTERN.match(row.id) for row in rows):
                check.problem(where, _("a year_on_year check needs rows that are years."))
        message = check.texts(item["message"], where, _("the message of a check")) if "message" in item else None
        checks.append(Check(item["kind"], level, other, factor, message))
    return tuple(checks)


def _axis_json(axis: TableAxis) -> dict:
    data = {"id": axis.id, "label": axis.label}
    if axis.total_of:
        data["total_of"] = list(axis.total_of)
    return data


def _check_json(item: Check) -> dict:
    data = {"kind": item.kind, "level": item.level}
    if item.kind in COMPARING_KINDS:
        data["question"] = item.question
    else:
        data["factor"] = item.factor
    if item.message is not None:
        data["message"] = item.message
    return data


def _comparable_totals(table, other) -> bool:
    return ([r.id for r in table.rows] == [r.id for r in other.rows]
            and sum(1 for c in table.columns if c.total_of) == sum(1 for c in other.columns if c.total_of) == 1)


#: A table refused names at most this many of its wrong cells (in reading order).
CELL_ERRORS_SHOWN = 10


def _cell_errors(bad) -> list[str]:
    """One message per wrong cell naming its row and column ("2023, Girls: ..."), so that a
    screen reader user knows which cell to correct."""
    locale = str(get_locale() or "en")
    return [_("%(row)s, %(column)s: enter a whole number of 0 or more, not “%(cell)s”.",
              row=row.text(locale), column=column.text(locale), cell=cell[:40])
            for row, column, cell in bad[:CELL_ERRORS_SHOWN]]


def _read_marks(question, raw) -> dict[str, str]:
    """The marks posted, checked: a known mark, and no figure in what it marks."""
    posted = (raw or {}).get(MARKS) or {}
    marks = {key: mark for key in (WHOLE, *(row.id for row in question.rows if not row.total_of))
             if (mark := (posted.get(key) or "").strip())}
    if any(mark not in MARK_LABELS for mark in marks.values()):
        raise AnswerError(_("Choose one of the reasons offered for a table without figures."))
    if marks.get(WHOLE):
        return {WHOLE: marks[WHOLE]}
    return marks


def _typed_figures(question, raw) -> dict:
    """The figures of the ordinary cells posted; raises ``AnswerError`` naming the bad ones."""
    table, bad = {}, []
    for row in question.rows:
        for column in question.columns:
            cell = ((raw or {}).get(row.id, {}).get(column.id) or "").strip()
            if not cell or is_total(row, column):
                continue
            if not CELL.fullmatch(cell):
                bad.append((row, column, cell))
                continue
            table.setdefault(row.id, {})[column.id] = int(cell)
    if bad:
        raise AnswerError(*_cell_errors(bad))
    return table


def _mark_keys(question) -> list[str]:
    """What a mark may apply to: the whole table, or an ordinary row."""
    return [WHOLE, *(row.id for row in question.rows if not row.total_of)]


def is_total(row: TableAxis, column: TableAxis) -> bool:
    """A cell of a total row or column: computed, never typed."""
    return bool(row.total_of or column.total_of)


def computed_totals(question, figures: dict):
    """(row, column, total) of each total cell with figures among its parts: a total column's
    cells first (ordinary rows), then a total row's cells (every column, from the cells
    already summed). A total whose parts are all empty stays empty. ``figures`` is not changed."""
    cells = {row: dict(columns) for row, columns in figures.items()}
    totals = [(row, column, [(row.id, part) for part in column.total_of])
              for column in question.columns if column.total_of for row in question.rows if not row.total_of]
    totals += [(row, column, [(part, column.id) for part in row.total_of])
               for row in question.rows if row.total_of for column in question.columns]
    for row, column, parts in totals:
        given = [cells.get(r, {}).get(c) for r, c in parts]
        given = [value for value in given if value is not None]
        if given:
            cells.setdefault(row.id, {})[column.id] = sum(given)
            yield row.id, column.id, sum(given)


def _sum(values) -> int | None:
    present = [v for v in values if v is not None]
    return sum(present) if present else None


def _is_year_axis(axes) -> bool:
    return len(axes) >= 2 and all(YEAR.fullmatch(axis.id) for axis in axes)


def _parts(categories) -> list[TableAxis]:
    """The categories a chart stacks: the parts of the first total, or every ordinary one."""
    by_id = {axis.id: axis for axis in categories}
    total = next((axis for axis in categories if axis.total_of), None)
    if total is not None:
        return [by_id[part] for part in total.total_of if part in by_id]
    return list(categories)


def year_series(question, value: dict, locale: str) -> dict | None:
    """The table as series over years (rows or columns that are years): ``years`` and
    ``series`` [(category label, one figure per year, 0 where empty)]; None when it is not one or
    fewer than two years have figures."""
    rows = tuple(axis for axis in question.rows if not axis.total_of)
    columns = tuple(axis for axis in question.columns if not axis.total_of)
    if _is_year_axis(rows):
        rows = tuple(row for row in rows if not row_mark(value, row.id))  # a year without figures is no 0
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
    return {"years": tuple(year.id for year in years), "series": series}


def totals_by_year(question, value: dict) -> list[tuple[str, int | None]] | None:
    """Each year's total: the table's total cell where it has one, else the sum of the parts
    (None where no figure was given, as in a year marked as having none); None when neither rows
    nor columns are years (rows of a reference period are, even of one year)."""
    rows = tuple(axis for axis in question.rows if not axis.total_of)
    columns = tuple(axis for axis in question.columns if not axis.total_of)
    if _is_year_axis(rows) or (question.year_rows and rows):
        years, categories, cell = rows, question.columns, lambda year, cat: table_cell(value, year, cat)
    elif _is_year_axis(columns):
        years, categories, cell = columns, question.rows, lambda year, cat: table_cell(value, cat, year)
    else:
        return None
    total = next((axis for axis in categories if axis.total_of), None)
    parts = _parts(categories)

    def year_total(year):
        given = cell(year.id, total.id) if total is not None else None
        return given if given is not None else _sum(cell(year.id, part.id) for part in parts)

    return [(year.id, year_total(year)) for year in years]


def table_data(question, value: dict, locale: str) -> dict:
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
        row["cells"] = ["" if cell is None else format_number(cell, locale) for cell in cells]
    for row, axis in zip(rows, question.rows):
        if mark := row_mark(value, axis.id):
            row["cells"] = [mark_label(mark)] + [""] * (len(row["cells"]) - 1)
            row["mark"] = mark_label(mark)
    return {"columns": columns, "rows": rows}


class NumberTable(AnswerType):
    name = "number_table"
    keys = frozenset({"rows", "columns", "checks"})
    label = _l("Count in a table cell")
    input = "table"
    display = "table"
    distribution = "table"
    marks = MARK_LABELS

    def read(self, check, raw, where):
        year_rows = raw.get("rows") == REFERENCE_YEARS
        rows = year_axes(*DEFAULT_PERIOD) if year_rows else _axes(check, raw.get("rows"), where, _("rows"))
        return {"rows": rows, "columns": _axes(check, raw.get("columns"), where, _("columns")),
                "checks": _checks(check, raw.get("checks"), where, rows), "year_rows": year_rows}

    def read_references(self, check, question, questions) -> None:
        """Checks that compare two tables must name a table with the same rows and columns."""
        where = _("question %(id)s", id=question.id)
        for item in question.checks:
            other = questions.get(item.question) if item.kind in COMPARING_KINDS else question
            if other is None or other.answer_type is not self:
                check.problem(where, _("the check refers to %(target)s, which is not a number_table question.",
                                       target=item.question))
            elif item.kind == "same_totals" and not _comparable_totals(question, other):
                check.problem(where, _("a same_totals check needs two tables with the same rows and one total "
                                       "column each."))
            elif other is not question and item.kind == "not_more_than" and (
                    [r.id for r in other.rows] != [r.id for r in question.rows]
                    or [c.id for c in other.columns] != [c.id for c in question.columns]):
                check.problem(where, _("the check compares with %(target)s, whose rows or columns differ.",
                                       target=other.id))

    def canonical(self, question):
        return {"options": None, "rows": REFERENCE_YEARS if question.year_rows else [_axis_json(r) for r in question.rows],
                "columns": [_axis_json(c) for c in question.columns],
                "checks": [_check_json(c) for c in question.checks]}

    def posted(self, question, formdata, field, **context):
        """The cells typed; totals are not typed (the page computes them as it goes): they are
        the sums of the figures posted, as the page shows them."""
        grid = {row.id: {column.id: "" if is_total(row, column) else formdata.get(f"{field}-{row.id}-{column.id}", "")
                         for column in question.columns} for row in question.rows}
        figures = {row: {column: int(text.strip()) for column, text in cells.items() if CELL.fullmatch(text.strip())}
                   for row, cells in grid.items()}
        for row, column, total in computed_totals(question, figures):
            grid[row][column] = str(total)
        grid[MARKS] = {key: formdata.get(f"{field}-{key}-mark", "") for key in _mark_keys(question)}
        return grid

    def parse(self, question, raw):
        """The figures typed, and the totals computed from them (a posted total is ignored);
        the marks of rows or of the whole table without figures."""
        table = _typed_figures(question, raw)
        marks = _read_marks(question, raw)
        marked = [row.text(current_locale()) for row in question.rows
                  if (WHOLE in marks or row.id in marks) and row.id in table]
        if marked:
            raise AnswerError(_("A table or year marked as having no figures cannot have figures: remove the "
                                "figures or the mark (%(rows)s).", rows=", ".join(marked[:5])))
        for row, column, total in computed_totals(question, table):
            table.setdefault(row, {})[column] = total
        if marks:
            table[MARKS] = marks
        return table or None

    def shown(self, question, value):
        stored = value if isinstance(value, dict) else {}
        grid = {row.id: {column.id: "" if (cell := stored.get(row.id, {}).get(column.id)) is None else str(cell)
                         for column in question.columns} for row in question.rows}
        marks = marks_of(stored)
        grid[MARKS] = {key: marks.get(key, "") for key in _mark_keys(question)}
        return grid

    def carried(self, question, value):
        """The rows and columns the question still has (the years both periods share)."""
        rows, columns = {r.id for r in question.rows}, {c.id for c in question.columns}
        kept = {row: cells for row, cells in (value or {}).items() if row in rows and isinstance(cells, dict)}
        kept = {row: {c: v for c, v in cells.items() if c in columns} for row, cells in kept.items()}
        kept = {row: cells for row, cells in kept.items() if cells}
        marks = {key: mark for key, mark in marks_of(value).items() if key == WHOLE or key in rows}
        if marks:
            kept[MARKS] = marks  # a mark of the whole table, or of a year both periods share
        return kept or None

    def format(self, question, value, locale):
        return mark_label(marks_of(value).get(WHOLE))  # otherwise laid out as a table by the templates

    def diff(self, question, old, new, locale):
        """The cells whose figure differs, row by row."""
        old, new = old or {}, new or {}
        text = lambda value: "" if value is None else format_number(value, locale)  # noqa: E731
        cells = tuple(
            CellChange(row.text(locale), column.text(locale), text(before), text(after))
            for row in question.rows for column in question.columns
            if (before := old.get(row.id, {}).get(column.id)) != (after := new.get(row.id, {}).get(column.id)))
        marks = tuple(
            CellChange(_("Whole table") if key == WHOLE else key, _("Without figures"), mark_label(before),
                       mark_label(after))
            for key in _mark_keys(question)
            if (before := marks_of(old).get(key)) != (after := marks_of(new).get(key)))
        return {"cells": cells + marks}

    def atoms(self, question, value):
        """Figures, and each mark as the value of the row it marks (column empty; "*" for the
        whole table): a mark is never a number, so sums of the figures leave it out."""
        for key, mark in marks_of(value).items():
            yield key, "", mark
        for row in question.rows:
            for column in question.columns:
                if (cell := value.get(row.id, {}).get(column.id)) is not None:
                    yield row.id, column.id, cell

    def sheet_columns(self, question, locale):
        from app.questionnaires.texts import localized

        text = localized(question.text, locale)
        return [(f"{text} — {row.text(locale)} — {column.text(locale)}", row.id, column.id)
                for row in question.rows for column in question.columns]

    def sheet_cell(self, question, value, row, column, locale):
        """The figure, or the mark of its row (as text: a spreadsheet's sums leave it out)."""
        return table_cell(value, row, column) if (mark := row_mark(value, row)) is None else mark_label(mark)

    def pdf(self, question, value, locale):
        whole = marks_of(value).get(WHOLE)
        if whole:
            return {"kind": "text", "answer": mark_label(whole)}
        return {"kind": "table", "table": table_data(question, value, locale),
                "series": year_series(question, value, locale)}

    def year_totals(self, question, value):
        return totals_by_year(question, value or {})

    def blank_hint(self, question):
        return _("Whole numbers of 0 or more; a total is the sum of its parts. A table or year without figures: "
                 "write why (data not collected, not available or confidential).")

    def blank_grid(self, question, locale):
        return {"columns": [{"label": c.text(locale), "total": bool(c.total_of)} for c in question.columns],
                "rows": [{"label": r.text(locale), "total": bool(r.total_of)} for r in question.rows]}

    def api_extras(self, question, locale):
        axis = lambda a: {"id": a.id, "label": a.text(locale), "total_of": list(a.total_of)}  # noqa: E731
        return {"rows": [axis(row) for row in question.rows], "columns": [axis(column) for column in question.columns],
                "marks": mark_choices(self.marks_for(question), locale)}

    def workbook_columns(self, question, locale):
        return [column.text(locale) for column in question.columns]

    def workbook_rows(self, question, value, locale):
        return [(row.id, row.text(locale)) for row in question.rows]

    def workbook_cells(self, question, value, locale):
        return {row.id: [table_cell(value, row.id, column.id) for column in question.columns] for row in question.rows}

    def workbook_validation(self, question, locale):
        return [{"type": "whole", "min": 0, "max": None}] * len(question.columns)

    def workbook_hint(self, question, locale):
        return self.blank_hint(question)

    def workbook_raw(self, question, cells, locale, current=None):
        """The grid as the form posts it; a table whose cells are all empty is left out."""
        grid = {row.id: {column.id: "" if cell_empty(cell) else cell_text(cell)
                         for column, cell in zip(question.columns, cells.get(row.id) or [])} for row in question.rows}
        return grid if any(text for cells in grid.values() for text in cells.values()) else None

    def sample(self, question, index, variant=0):
        """Figures that pass the table's own checks: totals are the sum of their parts, a table
        bounded by others ("not more than") is smaller, and no year differs threefold from the next."""
        divisor = 2 ** sum(1 for check in question.checks if check.kind == "not_more_than")
        parts_rows = [row for row in question.rows if not row.total_of]
        parts_cols = [col for col in question.columns if not col.total_of]
        table = {row.id: {col.id: (20 + 7 * ((i + 2 * j + variant) % 5)) // divisor
                          for j, col in enumerate(parts_cols)} for i, row in enumerate(parts_rows)}
        for row in parts_rows:
            for col in question.columns:
                if col.total_of:
                    table[row.id][col.id] = sum(table[row.id][part] for part in col.total_of)
        for row in question.rows:
            if row.total_of:
                table[row.id] = {col.id: sum(table[part][col.id] for part in row.total_of) for col in question.columns}
        return table


TYPE = NumberTable()
