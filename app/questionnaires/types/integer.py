"""``integer``: a whole number, bounded by ``min`` and ``max``; stored as a number."""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.questionnaires.answers import AnswerError
from app.questionnaires.types.base import NumberType

INTEGER = re.compile(r"^[+-]?\d{1,15}$")


class Integer(NumberType):
    name = "integer"
    label = _l("Whole number")

    def parse_text(self, question, text):
        text = text.strip()
        if not INTEGER.match(text):
            raise AnswerError(_("Enter a whole number, such as 12."))
        number = int(text)
        self.check_bounds(question, number)
        return number

    def blank_hint(self, question):
        return _("A whole number.")

    def sample(self, question, index, variant=0):
        return int(self.within(question, 10 + index + variant))


TYPE = Integer()
