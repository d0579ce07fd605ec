"""The XLSX export: a sheet per section with a line per State and a column per question (or
table cell), labels in the chosen language, and a sheet describing every column. openpyxl's
write-only mode puts rows on disk as they come, so the workbook never sits whole in memory."""
import re
from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from app.analysis.cells import neutralise
from app.analysis.derived import state_classes
from app.analysis.exports import Export
from app.database import utcnow
from app.questionnaires.answers import option_label
from app.questionnaires.schema import Question, Section, localized
from app.responses.labels import status_label
from app.states.names import state_name

BOLD = Font(bold=True)
CONFIDENTIAL_FILL = PatternFill("solid", fgColor="FFF2CC")
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
@dataclass(frozen=True)
class Column:
    header: str
    question: Question
    #: For a table's cell: its row and column ids.
    row: str | None = None
    column: str | None = None


def section_columns(section: Section, locale: str) -> list[Column]:
    """A column per question, or per cell of a table, as the question's type lays them out."""
    return [Column(header, question, row, column) for question in section.questions
            for header, row, column in question.answer_type.sheet_columns(question, locale)]


def cell_value(column: Column, value, locale: str):
    """What a spreadsheet cell holds: numbers and dates as such, choices as labels, texts as text."""
    question = column.question
    return question.answer_type.sheet_cell(question, value, column.row, column.column, locale)


def _cell(sheet, value, font=None, fill=None) -> WriteOnlyCell:
    if isinstance(value, str):  # control characters XML cannot carry, as in a text pasted from Word
        value = ILLEGAL_CHARACTERS_RE.sub(" ", value)
    cell = WriteOnlyCell(sheet, value=neutralise(value))
    if isinstance(cell.value, str):
        cell.data_type = "s"  # never a formula, whatever the text
    if font:
        cell.font = font
    if fill:
        cell.fill = fill
    return cell


def _sheet_title(title: str, used: set[str]) -> str:
    base = SHEET_NAME_FORBIDDEN.sub(" ", title).strip()[:28] or "Sheet"
    name, number = base, 2
    while name.casefold() in used:
        name, number = f"{base} {number}", number + 1
    used.add(name.casefold())
    return name


def _common_headers() -> list[tuple[str, str]]:
    """(header, description) of the columns that start every section sheet."""
    return [(_("State"), _("Name of the State")), (_("ISO code"), _("ISO 3166-1 alpha-3 code")),
            (_("Status"), _("Status of the response")), (_("Revision"), _("Number of the revision exported"))]


def _confidential_header() -> tuple[str, str]:
    return (_("Confidential answers"),
            _("Columns whose answer the State marked confidential (highlighted); never in public data"))


class _SectionSheet:
    def __init__(self, workbook: Workbook, export: Export, section: Section, used: set[str]):
        self.export = export
        self.sheet = workbook.create_sheet(_sheet_title(localized(section.title, export.locale), used))
        self.columns = section_columns(section, export.locale)
        self.common = _common_headers()
        headers = [header for header, text in self.common] + [column.header for column in self.columns]
        if export.scope.confidential:
            headers.append(_confidential_header()[0])
        self.sheet.append([_cell(self.sheet, header, font=BOLD) for header in headers])

    def add(self, item) -> None:
        locale, response = self.export.locale, item.response
        cells = [_cell(self.sheet, state_name(response.alpha2, locale)), _cell(self.sheet, response.state_code),
                 _cell(self.sheet, status_label(response.status)), _cell(self.sheet, response.revision)]
        confidential = []
        for column in self.columns:
            answer = item.answers.get(column.question.id)
            value = cell_value(column, answer.value, locale) if answer else None
            if answer and answer.confidential and value is not None:
                confidential.append(column.header)
            cells.append(_cell(self.sheet, value, fill=CONFIDENTIAL_FILL if answer and answer.confidential else None))
        if self.export.scope.confidential:
            cells.append(_cell(self.sheet, "; ".join(confidential)))
        self.sheet.append(cells)

    def descriptions(self):
        """(sheet, column letter, header, question id, row, column, type, description) per column."""
        title = self.sheet.title
        rows = [(title, get_column_letter(n), header, "", "", "", "", text)
                for n, (header, text) in enumerate(self.common, start=1)]
        for n, column in enumerate(self.columns, start=len(self.common) + 1):
            question = column.question
            rows.append((title, get_column_letter(n), column.header, question.id,
                         column.row or "", column.column or "", str(question.answer_type.label),
                         self._values(question)))
        if self.export.scope.confidential:
            header, text = _confidential_header()
            rows.append((title, get_column_letter(len(rows) + 1), header, "", "", "", "", text))
        return rows

    def _values(self, question: Question) -> str:
        if not question.options:
            return ""
        return "; ".join(f"{option.value} = {option_label(question, option.value, self.export.locale)}"
                         for option in question.options)


class _DerivedSheet:
    """A line per State with its class in each derived classification (label in the export's
    language); only for questionnaires that have classifications."""

    def __init__(self, workbook: Workbook, export: Export, used: set[str]):
        self.export = export
        self.sheet = workbook.create_sheet(_sheet_title(_("Derived indicators"), used))
        headers = [_("State"), _("ISO code")] + [localized(c.title, export.locale)
                                                 for c in export.questionnaire.classifications]
        self.sheet.append([_cell(self.sheet, header, font=BOLD) for header in headers])

    def add(self, item) -> None:
        questionnaire, locale, response = self.export.questionnaire, self.export.locale, item.response
        classes = state_classes(questionnaire, item)
        self.sheet.append([_cell(self.sheet, state_name(response.alpha2, locale)),
                           _cell(self.sheet, response.state_code)] +
                          [_cell(self.sheet, c.label(classes[c.id], locale)) for c in questionnaire.classifications])


def _describe(workbook: Workbook, sections: list[_SectionSheet], used: set[str]) -> None:
    sheet = workbook.create_sheet(_sheet_title(_("Columns"), used), 0)
    headers = (_("Sheet"), _("Column"), _("Header"), _("Question id"), _("Table row"), _("Table column"),
               _("Answer"), _("Values and meaning"))
    sheet.append([_cell(sheet, header, font=BOLD) for header in headers])
    for section in sections:
        for row in section.descriptions():
            sheet.append([_cell(sheet, value) for value in row])


def _about(workbook: Workbook, export: Export, used: set[str]) -> None:
    sheet = workbook.create_sheet(_sheet_title(_("About"), used), 0)
    scope = (_("Published responses only, without confidential answers") if export.scope.is_public
             else _("Responses with status: %(statuses)s; confidential answers included and highlighted",
                    statuses=", ".join(status_label(status) for status in export.scope.statuses)))
    lines = [(_("Questionnaire"), f"{localized(export.questionnaire.title, export.locale)} "
                                  f"({export.questionnaire.id}, {export.questionnaire.version})"),
             (_("Reporting cycle"), export.cycle.name), (_("Data included"), scope),
             (_("Created"), utcnow().strftime("%Y-%m-%d %H:%M UTC"))]
    for label, value in lines:
        sheet.append([_cell(sheet, label, font=BOLD), _cell(sheet, value)])


def write_workbook(export: Export, target) -> None:
    """Write the XLSX of ``export`` to ``target`` (a path or a binary file)."""
    with force_locale(export.locale):
        workbook = Workbook(write_only=True)
        used: set[str] = set()
        sections = [_SectionSheet(workbook, export, section, used) for section in export.questionnaire.sections]
        sheets = sections + ([_DerivedSheet(workbook, export, used)] if export.questionnaire.classifications else [])
        for item in export.items():
            for sheet in sheets:
                sheet.add(item)
        _describe(workbook, sections, used)
        _about(workbook, export, used)
        workbook.save(target)
