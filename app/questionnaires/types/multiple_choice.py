"""``multiple_choice``: any of the definition's options (check boxes); stored as the list of the
values ticked, in the order of the options."""
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.questionnaires.answers import AnswerError, is_answered, option_label
from app.questionnaires.textdiff import ADDED, REMOVED, ItemChange
from app.questionnaires.types.base import OptionsType


class MultipleChoice(OptionsType):
    name = "multiple_choice"
    several = True
    label = _l("Any of the options, separated by semicolons")
    #: Shown as a list on pages (a semicolon string is hard to scan); exports keep the string.
    display = "list"

    def posted(self, question, formdata, field, **context):
        return [value for value in formdata.getlist(field) if value]

    def sent(self, question, stems, field, version_field):
        """Unticked boxes send nothing: the question counts as sent when its version is (the
        page showed it)."""
        return version_field in stems or field in stems

    def parse(self, question, raw):
        chosen = [value for value in (raw or []) if value]
        if any(value not in question.option_values for value in chosen):
            raise AnswerError(_("Choose among the options shown."))
        return [value for value in question.option_values if value in chosen] or None

    def shown(self, question, value):
        return list(value or [])

    def format(self, question, value, locale):
        return "; ".join(option_label(question, v, locale) for v in value) if is_answered(value) else ""

    def items(self, question, value, locale):
        """The options ticked, as their labels, in the order of the options."""
        return [option_label(question, v, locale) for v in value or []]

    def diff(self, question, old, new, locale):
        """Options ticked or unticked, in the order of the options."""
        old, new = old or [], new or []
        changes = []
        for value in question.option_values:
            label = option_label(question, value, locale)
            if value in old and value not in new:
                changes.append(ItemChange(REMOVED, old=label))
            elif value in new and value not in old:
                changes.append(ItemChange(ADDED, new=label))
        return {"items": tuple(changes)}

    def atoms(self, question, value):
        for option in value:
            yield "", "", option

    def pdf(self, question, value, locale):
        return {"kind": "list", "items": [option_label(question, v, locale) for v in value]}

    def blank_hint(self, question):
        return _("Choose all that apply.")

    def sample(self, question, index, variant=0):
        return list(question.option_values[: 1 + (index + variant) % len(question.option_values)])


TYPE = MultipleChoice()
