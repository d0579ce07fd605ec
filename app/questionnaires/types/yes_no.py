"""``yes_no``: Yes or No, with the platform's translated labels."""
from flask_babel import lazy_gettext as _l

from app.questionnaires.types.base import BuiltinChoiceType


class YesNo(BuiltinChoiceType):
    name = "yes_no"
    values = ("yes", "no")
    label = _l("Yes or no")

    def sample(self, question, index, variant=0):
        return "yes" if (index + variant) % 4 else "no"


TYPE = YesNo()
