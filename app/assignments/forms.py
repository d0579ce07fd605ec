from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from app.auth.models import User
from app.auth.people import person
from app.questionnaires.schema import Questionnaire

FIELD_PREFIX = "section_"


class AssignmentsForm(FlaskForm):
    def wanted(self) -> dict[str, set[int]]:
        """Section id -> the ids of the people ticked for it."""
        return {name.removeprefix(FIELD_PREFIX): set(field.data or ())
                for name, field in self._fields.items() if name.startswith(FIELD_PREFIX)}


def assignments_form(questionnaire: Questionnaire, members: list[User], assigned: dict[str, list[User]],
                     formdata=None) -> AssignmentsForm:
    """One group of check boxes per section, with the State's users, ticked as assigned."""
    choices = [SelectChoice(user.id, person(user)) for user in members]
    fields = {
        FIELD_PREFIX + section.id: SelectMultipleField(
            choices=choices, coerce=int, widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
            default=[user.id for user in assigned.get(section.id, ())])
        for section in questionnaire.sections
    }
    form_class = type("AssignmentsFormFor", (AssignmentsForm,), fields)
    return form_class(formdata=formdata)
