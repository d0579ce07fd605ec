"""``number_table``: a grid of whole numbers of 0 or more (``rows`` × ``columns``), some rows or
columns the totals of others (``total_of``), with statistical ``checks`` computed by
app/questionnaires/checks.py. Stored as ``{row: {column: number}}``, empty cells left out.

The form's inputs are ``<field>-<row>-<column>``; a grid posted as ``{row: {column: text}}``."""
import re

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.questionnaires.answers import AnswerError, format_number, table_cell
from app.questionnaires.schema import CHECK_KINDS, CHECK_LEVELS, COMPARING_KINDS, Check, TableAxis
from app.questionnaires.textdiff import CellChange
from app.questionnaires.types.base import AnswerType
from app.questionnaires.validation import scalar

AXIS_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")
YEAR_PATTERN = re.compile(r"^(19|20)\d\d$")
#: A chart can draw a table whose rows (or columns) are years.
YEAR = re.compile(r"(19|20|21)\d\d")
CELL = re.compile(r"\d{1,12}")


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
    return {"columns": columns, "rows": rows}


class NumberTable(AnswerType):
    name = "number_table"
    keys = frozenset({"rows", "columns", "checks"})
    label = _l("Count in a table cell")
    input = "table"
    display = "table"
    distribution = "table"

    def read(self, check, raw, where):
        rows = _axes(check, raw.get("rows"), where, _("rows"))
        return {"rows": rows, "columns": _axes(check, raw.get("columns"), where, _("columns")),
                "checks": _checks(check, raw.get("checks"), where, rows)}

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
        return {"options": None, "rows": [_axis_json(r) for r in question.rows],
                "columns": [_axis_json(c) for c in question.columns],
                "checks": [_check_json(c) for c in question.checks]}

    def posted(self, question, formdata, field, **context):
        return {row.id: {column.id: formdata.get(f"{field}-{row.id}-{column.id}", "") for column in question.columns}
                for row in question.rows}

    def parse(self, question, raw):
        table, bad = {}, []
        for row in question.rows:
            for column in question.columns:
                cell = ((raw or {}).get(row.id, {}).get(column.id) or "").strip()
                if not cell:
                    continue
                if not CELL.fullmatch(cell):
                    bad.append((row, column, cell))
                    continue
                table.setdefault(row.id, {})[column.id] = int(cell)
        if bad:
            raise AnswerError(*_cell_errors(bad))
        return table or None

    def shown(self, question, value):
        stored = value if isinstance(value, dict) else {}
        return {row.id: {column.id: "" if (cell := stored.get(row.id, {}).get(column.id)) is None else str(cell)
                         for column in question.columns} for row in question.rows}

    def format(self, question, value, locale):
        return ""  # laid out as a table by the templates

    def diff(self, question, old, new, locale):
        """The cells whose figure differs, row by row."""
        old, new = old or {}, new or {}
        text = lambda value: "" if value is None else format_number(value, locale)  # noqa: E731
        return {"cells": tuple(
            CellChange(row.text(locale), column.text(locale), text(before), text(after))
            for row in question.rows for column in question.columns
            if (before := old.get(row.id, {}).get(column.id)) != (after := new.get(row.id, {}).get(column.id)))}

    def atoms(self, question, value):
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
        return table_cell(value, row, column)

    def pdf(self, question, value, locale):
        return {"kind": "table", "table": table_data(question, value, locale),
                "series": year_series(question, value, locale)}

    def blank_hint(self, question):
        return _("Whole numbers of 0 or more; a total must equal the sum of its parts.")

    def blank_grid(self, question, locale):
        return {"columns": [{"label": c.text(locale), "total": bool(c.total_of)} for c in question.columns],
                "rows": [{"label": r.text(locale), "total": bool(r.total_of)} for r in question.rows]}

    def api_extras(self, question, locale):
        axis = lambda a: {"id": a.id, "label": a.text(locale), "total_of": list(a.total_of)}  # noqa: E731
        return {"rows": [axis(row) for row in question.rows], "columns": [axis(column) for column in question.columns]}

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
