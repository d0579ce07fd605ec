from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from app.questionnaires.schema import Questionnaire

COMMENT_PREFIX = "comment_"


class ReturnForm(FlaskForm):
    """Return for clarification: a general comment, and optional comments per question."""

    comment = TextAreaField(_l("Comment to the State"), validators=[DataRequired(), Length(max=10000)],
                            render_kw={"rows": 4, "dir": "auto"})

    def question_comments(self) -> dict[str, str]:
        return {name.removeprefix(COMMENT_PREFIX): field.data.strip()
                for name, field in self._fields.items()
                if name.startswith(COMMENT_PREFIX) and field.data and field.data.strip()}


def return_form(questionnaire: Questionnaire, formdata=None) -> ReturnForm:
    fields = {
        COMMENT_PREFIX + question.id: TextAreaField(validators=[Optional(), Length(max=10000)],
                                                    render_kw={"rows": 2, "dir": "auto"})
        for question in questionnaire.questions.values()
    }
    form_class = type("ReturnFormFor", (ReturnForm,), fields)
    return form_class() if formdata is None else form_class(formdata=formdata)


class AcceptForm(FlaskForm):
    """Accept the submission as it stands."""


class PublishForm(FlaskForm):
    """Publish the accepted response's country profile."""
