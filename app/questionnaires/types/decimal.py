"""``decimal``: a number with up to 6 decimals (a comma or a point); stored as exact text."""
import re
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.questionnaires.answers import AnswerError
from app.questionnaires.types.base import NumberType

DECIMAL = re.compile(r"^[+-]?\d{1,15}([.,]\d{1,6})?$")


class DecimalNumber(NumberType):
    name = "decimal"
    label = _l("Number")
    inputmode = "decimal"

    def parse_text(self, question, text):
        text = text.strip()
        if not DECIMAL.match(text):
            raise AnswerError(_("Enter a number, such as 12 or 12.5."))
        try:
            number = Decimal(text.replace(",", "."))
        except InvalidOperation:
            raise AnswerError(_("Enter a number, such as 12 or 12.5."))
        self.check_bounds(question, number)
        return format(number.normalize(), "f")

    def sheet_cell(self, question, value, row, column, locale):
        return Decimal(value)

    def blank_hint(self, question):
        return _("A number.")

    def sample(self, question, index, variant=0):
        return format(Decimal(str(self.within(question, Decimal("12.5")))).normalize(), "f")


TYPE = DecimalNumber()
