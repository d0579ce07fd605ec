"""``yes_no_partly``: Yes, Partly or No, with the platform's translated labels."""
from flask_babel import lazy_gettext as _l

from app.questionnaires.types.base import BuiltinChoiceType


class YesNoPartly(BuiltinChoiceType):
    name = "yes_no_partly"
    values = ("yes", "partly", "no")
    label = _l("Yes, partly or no")

    def sample(self, question, index, variant=0):
        return "yes" if (index + variant) % 4 else "partly"


TYPE = YesNoPartly()
