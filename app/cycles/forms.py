from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.schema import localized
from app.questionnaires.versions import questionnaire_for


class OpenCycleForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("Shown to the States, e.g. 2027."))
    version = SelectField(_l("Questionnaire"), coerce=int, validators=[DataRequired()])
    opens_on = DateField(_l("Opens on"), validators=[DataRequired()], default=date.today)
    closes_on = DateField(_l("Deadline"), validators=[DataRequired()])

    def validate_closes_on(self, field):
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The deadline must not be before the opening date."))


def open_cycle_form(versions: list[QuestionnaireVersion], locale: str, **kwargs) -> OpenCycleForm:
    form = OpenCycleForm(**kwargs)
    form.version.choices = [SelectChoice(v.id, f"{localized(questionnaire_for(v).title, locale)} · v{v.version}")
                           for v in versions]
    return form


class CycleStatusForm(FlaskForm):
    """Close or reopen a cycle."""
