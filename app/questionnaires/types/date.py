"""``date``: a date, stored as ``YYYY-MM-DD``."""
from datetime import date

from babel.dates import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.questionnaires.answers import AnswerError, is_answered
from app.questionnaires.types.base import AnswerType


class Date(AnswerType):
    name = "date"
    label = _l("Date")
    input = "date"
    distribution = "years"

    def parse_text(self, question, text):
        try:
            return date.fromisoformat(text.strip()).isoformat()
        except ValueError:
            raise AnswerError(_("Enter a date as year-month-day, such as 2024-03-31."))

    def format(self, question, value, locale):
        return format_date(date.fromisoformat(value), format="long", locale=locale) if is_answered(value) else ""

    def sheet_cell(self, question, value, row, column, locale):
        return date.fromisoformat(value)

    def workbook_cells(self, question, value, locale):
        return {"": [date.fromisoformat(value) if is_answered(value) else None]}

    def workbook_validation(self, question, locale):
        return [{"type": "date"}]

    def blank_hint(self, question):
        return _("A date as year-month-day, such as 2024-03-31.")

    def sample(self, question, index, variant=0):
        return "2019-06-30"


TYPE = Date()
