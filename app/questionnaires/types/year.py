"""``year``: four digits, 1900–2100 unless ``min`` and ``max`` say otherwise; stored as a number."""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.questionnaires.answers import AnswerError
from app.questionnaires.types.base import NumberType

YEAR_RANGE = (1900, 2100)


class Year(NumberType):
    name = "year"
    label = _l("Year")
    distribution = "years"

    def bounds(self, question):
        low, high = question.min, question.max
        return (YEAR_RANGE[0] if low is None else low), (YEAR_RANGE[1] if high is None else high)

    def parse_text(self, question, text):
        text = text.strip()
        if not re.fullmatch(r"\d{4}", text):
            raise AnswerError(_("Enter a year with four digits, such as 2024."))
        year = int(text)
        self.check_bounds(question, year)
        return year

    def format(self, question, value, locale):
        return str(value) if value is not None else ""

    def blank_hint(self, question):
        return _("A year, such as 2024.")

    def sample(self, question, index, variant=0):
        return int(self.within(question, 2019))


TYPE = Year()
