"""The workbook of one State's questionnaire, in one language, holding its current answers.

A sheet per section; a row per question with its number, text and answer cells (a table's rows
below it), then a row with its help and how to fill it in. Column A, hidden, names each row
(``q:<id>``, ``h:<id>``, ``c:<id>``, ``r:<id>:<row>``); only the answer cells are unlocked, the
sheets and the workbook's structure are protected. A very hidden sheet holds the workbook's
*stamp*: the State, cycle, questionnaire version, the revision each answer was downloaded at
and the layout of every sheet, signed with the application's secret, so that an upload can be
refused when it belongs elsewhere or was rearranged (app/workbooks/reading.py)."""
import hashlib
import hmac
import io
import json
import re

from flask import current_app
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, NamedStyle, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.cell_range import MultiCellRange
from openpyxl.worksheet.datavalidation import DataValidation

from app.questionnaires.answers import option_label
from app.questionnaires.texts import localized

#: Bumped when the layout changes in a way older uploads cannot be read with.
FORMAT = 1
STAMP_SHEET = "_stamp"
LISTS_SHEET = "_lists"
#: A cell holds at most 32,767 characters: the stamp's JSON is cut in pieces of this size.
CHUNK = 30000
#: The first answer column (D): A holds the row's key, B the number, C the text.
FIRST_ANSWER = 4
WRAP = Alignment(wrap_text=True, vertical="top")
#: Named styles, set once per cell (a style set piece by piece costs a lookup for each piece).
STYLES = {
    "tip_text": NamedStyle("tip_text", alignment=WRAP),
    "tip_question": NamedStyle("tip_question", font=Font(bold=True), alignment=WRAP),
    "tip_title": NamedStyle("tip_title", font=Font(bold=True, size=14)),
    "tip_hint": NamedStyle("tip_hint", font=Font(italic=True, color="555555"), alignment=WRAP),
    "tip_answer": NamedStyle("tip_answer", fill=PatternFill("solid", fgColor="FFF9E5"), alignment=WRAP,
                             protection=Protection(locked=False)),
    "tip_date": NamedStyle("tip_date", fill=PatternFill("solid", fgColor="FFF9E5"), alignment=WRAP,
                           protection=Protection(locked=False), number_format="yyyy-mm-dd"),
}
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sign(data: str) -> str:
    return hmac.new(current_app.config["SECRET_KEY"].encode(), data.encode(), hashlib.sha256).hexdigest()


def sheet_title(section, locale: str) -> str:
    title = SHEET_FORBIDDEN.sub(" ", f"{section.number}. {localized(section.title, locale)}")
    return title[:31].strip().rstrip("'")  # Excel refuses a sheet name that ends with an apostrophe


def _text(value):
    return ILLEGAL_CHARACTERS_RE.sub(" ", value) if isinstance(value, str) else value


def _put(sheet, row: int, column: int, value):
    """A cell holding ``value``; text stays text, never a formula, whatever it starts with."""
    cell = sheet.cell(row, column, _text(value))
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


class _Lists:
    """The labels of drop-down lists, one column each on a hidden sheet (a list written in the
    validation itself may not exceed 255 characters)."""

    def __init__(self, workbook):
        self.sheet = workbook.create_sheet(LISTS_SHEET)
        self.sheet.sheet_state = "hidden"
        self.columns: dict[tuple, str] = {}

    def range(self, labels: list[str]) -> str:
        key = tuple(labels)
        if key not in self.columns:
            letter = get_column_letter(len(self.columns) + 1)
            for row, label in enumerate(labels, start=1):
                _put(self.sheet, row, len(self.columns) + 1, label)
            self.columns[key] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$1:${letter}${len(labels)}"
        return self.columns[key]


def _validation(spec: dict, lists: _Lists) -> DataValidation:
    error = _("This value cannot be accepted here; see the hint below the question.")
    common = {"allow_blank": True, "showErrorMessage": True, "error": error, "errorStyle": "warning"}
    if spec["type"] == "list":
        return DataValidation(type="list", formula1=lists.range(spec["labels"]), **common)
    if spec["type"] == "date":
        return DataValidation(type="date", operator="greaterThan", formula1="1", **common)
    if spec["type"] == "textLength":
        return DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(spec["max"]), **common)
    low, high = spec.get("min"), spec.get("max")
    if low is not None and high is not None:
        return DataValidation(type=spec["type"], operator="between", formula1=str(low), formula2=str(high), **common)
    if low is not None:
        return DataValidation(type=spec["type"], operator="greaterThanOrEqual", formula1=str(low), **common)
    if high is not None:
        return DataValidation(type=spec["type"], operator="lessThanOrEqual", formula1=str(high), **common)
    return DataValidation(type=spec["type"], operator="between", formula1="-1E+15", formula2="1E+15", **common)


def _condition(questionnaire, question, locale: str) -> str:
    """When a follow-up question applies: "Only if the answer to 2.1 is Yes or Partly."."""
    if question.condition is None:
        return ""
    trigger = questionnaire.questions[question.condition.question]
    values = " / ".join(option_label(trigger, value, locale) for value in question.condition.values)
    return _("Only if the answer to %(number)s is %(values)s.", number=trigger.number, values=values)


class _SheetWriter:
    def __init__(self, sheet, lists: _Lists, locale: str, questionnaire):
        self.sheet, self.lists, self.locale, self.questionnaire = sheet, lists, locale, questionnaire
        self.keys: list[str] = []
        #: The cells of each data validation (added at the end: DataValidation.add is slow).
        self.validations: dict[str, tuple[DataValidation, list[str]]] = {}

    def row(self, key: str, *values, style="tip_text") -> int:
        self.keys.append(key)
        number = len(self.keys)
        for column, value in enumerate(values, start=1):
            if value is not None:
                _put(self.sheet, number, column, value).style = style
        _put(self.sheet, number, 1, key)
        return number

    def answers(self, number: int, question, cells: list, specs: list) -> None:
        for offset, value in enumerate(cells):
            cell = _put(self.sheet, number, FIRST_ANSWER + offset, value)
            cell.style = "tip_date" if hasattr(value, "year") and not hasattr(value, "hour") else "tip_answer"
            spec = specs[offset] if offset < len(specs) else specs[-1]
            if spec is not None:
                self._validate(spec, cell.coordinate)

    def _validate(self, spec: dict, coordinate: str) -> None:
        key = json.dumps(spec, sort_keys=True, default=str)
        if key not in self.validations:
            self.validations[key] = (_validation(spec, self.lists), [])
        self.validations[key][1].append(coordinate)

    def finish(self) -> None:
        for validation, coordinates in self.validations.values():
            validation.sqref = MultiCellRange(" ".join(coordinates))
            self.sheet.add_data_validation(validation)

    def question(self, question, value) -> None:
        kind, locale = question.answer_type, self.locale
        number = self.row(f"q:{question.id}", None, question.number, localized(question.text, locale),
                          style="tip_question")
        self._note(number, question)
        cells, specs = kind.workbook_cells(question, value, locale), kind.workbook_validation(question, locale)
        rows = kind.workbook_rows(question, value, locale)
        if rows:
            self._table(question, kind.workbook_columns(question, locale), rows, cells, specs)
        else:
            self.answers(number, question, cells.get("", [None]), specs)
        parts = (_condition(self.questionnaire, question, locale),
                 localized(question.help, locale) if question.help else "", kind.workbook_hint(question, locale))
        self.row(f"h:{question.id}", None, None, "\n".join(filter(None, parts)), style="tip_hint")

    def _table(self, question, columns: list[str], rows, cells: dict, specs: list) -> None:
        """A row of column headers, then a row of cells per table row (or law), labelled."""
        header = self.row(f"c:{question.id}", None, None, None)
        for offset, label in enumerate(columns):
            _put(self.sheet, header, FIRST_ANSWER + offset, label).style = "tip_question"
        for key, label in rows:
            line = self.row(f"r:{question.id}:{key}", None, None, label)
            self.answers(line, question, cells.get(key) or [None] * len(columns), specs)

    def _note(self, number: int, question) -> None:
        summary = localized(question.summary, self.locale) if question.summary else ""
        if question.provision or summary:
            text = "\n".join(filter(None, (question.provision, summary)))
            self.sheet.cell(number, 3).comment = Comment(_text(text), _("Provision"), width=360, height=160)


def _section_sheet(workbook, questionnaire, section, answers: dict, lists: _Lists, locale: str) -> list[str]:
    sheet = workbook.create_sheet(sheet_title(section, locale))
    sheet.sheet_view.rightToLeft = locale == "ar"
    writer = _SheetWriter(sheet, lists, locale, questionnaire)
    writer.row(f"s:{section.id}", None, None, localized(section.title, locale), style="tip_title")
    for question in section.questions:
        writer.question(question, answers.get(question.id))
    writer.finish()
    sheet.column_dimensions["A"].hidden = True
    for letter, width in (("B", 7), ("C", 60)):
        sheet.column_dimensions[letter].width = width
    for column in range(FIRST_ANSWER, FIRST_ANSWER + 8):
        sheet.column_dimensions[get_column_letter(column)].width = 22
    sheet.freeze_panes = "D2"
    sheet.protection.sheet = True
    # Widths and heights may change (a reader may even show column A): its keys stay locked, and
    # rows and columns cannot be inserted or deleted.
    sheet.protection.formatColumns = sheet.protection.formatRows = False
    return writer.keys


def _stamp(workbook, data: dict) -> None:
    sheet = workbook.create_sheet(STAMP_SHEET)
    sheet.sheet_state = "veryHidden"
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    sheet["A1"], sheet["B1"] = "signature", sign(text)
    for index in range(0, len(text), CHUNK):
        sheet.cell(2 + index // CHUNK, 2, text[index:index + CHUNK])
        sheet.cell(2 + index // CHUNK, 1, "data")
    sheet.protection.sheet = True


def build_workbook(ctx, states: dict, locale: str) -> bytes:
    """The workbook of ``ctx`` (a ResponseContext) holding the answers in ``states`` (question id
    -> AnswerState), as the bytes of an .xlsx file."""
    answers = {qid: state.value for qid, state in states.items() if state.value is not None}
    workbook = Workbook()
    workbook.remove(workbook.active)
    for style in STYLES.values():
        workbook.add_named_style(style)
    lists = _Lists(workbook)
    layout = [[sheet_title(section, locale),
               _section_sheet(workbook, ctx.questionnaire, section, answers, lists, locale)]
              for section in ctx.questionnaire.sections]
    workbook.move_sheet(LISTS_SHEET, offset=len(workbook.sheetnames))
    _stamp(workbook, {
        "format": FORMAT, "state": ctx.state.code, "alpha2": ctx.state.alpha2, "cycle": ctx.cycle.id,
        "version": ctx.cycle.questionnaire_version_id,
        "questionnaire": f"{ctx.questionnaire.id}/{ctx.questionnaire.version}", "locale": locale,
        "loaded": {qid: state.revision_number for qid, state in states.items()}, "layout": layout})
    workbook.active = 0
    workbook.security = WorkbookProtection(lockStructure=True)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
