from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.schema import localized
from app.questionnaires.types.number_table import DEFAULT_PERIOD
from app.questionnaires.versions import questionnaire_for


#: The longest reference period (the database refuses longer ones).
MAX_PERIOD_YEARS = 20


class OpenCycleForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)],
                       description=_l("Shown to the States, e.g. 2027."))
    version = SelectField(_l("Questionnaire"), coerce=int, validators=[DataRequired()])
    opens_on = DateField(_l("Opens on"), validators=[DataRequired()], default=date.today)
    closes_on = DateField(_l("Deadline"), validators=[DataRequired()])
    first_year = IntegerField(_l("First year of the reference period"), default=DEFAULT_PERIOD[0],
                              validators=[InputRequired(), NumberRange(1900, 2200)],
                              description=_l("The tables ask for figures for each year of the reference period, "
                                             "and the questions name it."))
    last_year = IntegerField(_l("Last year of the reference period"), default=DEFAULT_PERIOD[1],
                             validators=[InputRequired(), NumberRange(1900, 2200)])
    question_set = RadioField(_l("Questions asked"), default="full", choices=[
        SelectChoice("full", _l("The full questionnaire")),
        SelectChoice("core", _l("The core set only: the questions the questionnaire marks as core")),
    ])

    def validate_closes_on(self, field):
        if self.opens_on.data and field.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The deadline must not be before the opening date."))

    def validate_last_year(self, field):
        if self.first_year.data is not None and field.data is not None and not (
                0 <= field.data - self.first_year.data < MAX_PERIOD_YEARS):
            raise ValidationError(_l("The last year must be the first year or later, at most %(n)d years in all.",
                                     n=MAX_PERIOD_YEARS))


def open_cycle_form(versions: list[QuestionnaireVersion], locale: str, **kwargs) -> OpenCycleForm:
    form = OpenCycleForm(**kwargs)
    form.version.choices = [SelectChoice(v.id, f"{localized(questionnaire_for(v).title, locale)} · v{v.version}")
                           for v in versions]
    return form


class CycleStatusForm(FlaskForm):
    """Close or reopen a cycle."""
