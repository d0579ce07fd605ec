"""Section forms built from the questionnaire definition: one WTForms field per question.

Each answer type maps to a field builder in ``FIELD_BUILDERS``. Every field validates through
``parse_answer``, so the form, the CLI and the PDF agree on what a valid answer is."""
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from app.questionnaires.answers import AnswerError, option_label, parse_answer
from app.questionnaires.schema import Question, Section, localized

FIELD_PREFIX = "q_"
#: The per-question checkbox that keeps an answer out of public profiles.
CONFIDENTIAL_PREFIX = "c_"

def field_name(question_id: str) -> str:
    """Prefixed so a question id can never shadow a form attribute (``data``, ``errors``...)."""
    return FIELD_PREFIX + question_id

class NumberTableField(Field):
    """A grid of number inputs named ``<field>-<row>-<column>``; data is {row: {column: text}}."""

    def __init__(self, label=None, validators=None, question: Question | None = None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.question = question

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        self.object_data = data
        prefix = f"{self.name}-"
        if formdata is not None and any(key.startswith(prefix) for key in formdata):
            self.raw_data = [formdata.get(key) for key in formdata if key.startswith(prefix)]
            self.data = {
                row.id: {column.id: formdata.get(f"{prefix}{row.id}-{column.id}", "")
                         for column in self.question.columns}
                for row in self.question.rows
            }
        else:
            stored = data if isinstance(data, dict) else {}
            self.data = {
                row.id: {column.id: "" if stored.get(row.id, {}).get(column.id) is None
                         else str(stored[row.id][column.id]) for column in self.question.columns}
                for row in self.question.rows
            }

    def _value(self):
        return ""

class AnswerValidator:
    """Parses the field's input into ``field.answer``; an unreadable input becomes the message."""

    def __init__(self, question: Question):
        self.question = question

    def __call__(self, form, field):
        try:
            field.answer = parse_answer(self.question, field.data)
        except AnswerError as error:
            raise ValidationError(str(error))

def _choices(question: Question, locale: str) -> list[SelectChoice]:
    return [SelectChoice(value, option_label(question, value, locale)) for value in question.option_values]

def _radio(question, locale, **common):
    return RadioField(choices=_choices(question, locale), validate_choice=False, **common)

def _checkboxes(question, locale, **common):
    return SelectMultipleField(choices=_choices(question, locale), validate_choice=False,
                               widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(), **common)

def _text(question, locale, **common):
    return StringField(render_kw={"maxlength": question.max_length or 500, "dir": "auto"}, **common)

def _long_text(question, locale, **common):
    return TextAreaField(render_kw={"rows": 6, "dir": "auto"}, **common)

def _number(question, locale, **common):
    return StringField(render_kw={"inputmode": "decimal" if question.type == "decimal" else "numeric",
                                  "class": "input-number"}, **common)

def _date(question, locale, **common):
    return StringField(render_kw={"type": "date", "placeholder": "YYYY-MM-DD"}, **common)

def _table(question, locale, **common):
    return NumberTableField(question=question, **common)

FIELD_BUILDERS = {
    "yes_no": _radio,
    "yes_no_partly": _radio,
    "single_choice": _radio,
    "multiple_choice": _checkboxes,
    "short_text": _text,
    "long_text": _long_text,
    "integer": _number,
    "decimal": _number,
    "year": _number,
    "date": _date,
    "number_table": _table,
}

def form_value(question: Question, value: Any) -> Any:
    """A stored value as the field shows it."""
    if value is None or question.type in ("multiple_choice", "number_table"):
        return value
    return str(value)

class SectionForm(FlaskForm):
    """Base class; ``section_form`` adds one field per question."""

    def answers(self, section: Section) -> tuple[dict[str, Any], dict[str, list[str]]]:
        """(valid answers by question id, error messages by question id) after ``validate()``."""
        values, errors = {}, {}
        for question in section.questions:
            field = self[field_name(question.id)]
            if field.errors:
                errors[question.id] = list(field.errors)
            else:
                values[question.id] = getattr(field, "answer", None)
        return values, errors

    def confidential_marks(self, section: Section) -> dict[str, bool]:
        return {question.id: bool(self[CONFIDENTIAL_PREFIX + question.id].data) for question in section.questions}

def section_form(section: Section, locale: str, answers: dict[str, Any], formdata=None,
                 confidential: set[str] = frozenset()) -> SectionForm:
    """A form for ``section`` in ``locale``, filled from ``answers`` and the ``confidential``
    marks unless ``formdata`` is posted."""
    attributes = {}
    for question in section.questions:
        attributes[field_name(question.id)] = FIELD_BUILDERS[question.type](
            question, locale, label=localized(question.text, locale), validators=[AnswerValidator(question)]
        )
        attributes[CONFIDENTIAL_PREFIX + question.id] = BooleanField(
            _l("Confidential: the secretariat sees this answer; published profiles leave it out"))
    form_class = type("Section_" + section.id, (SectionForm,), attributes)
    data = {field_name(qid): form_value(question, answers.get(qid))
            for qid, question in ((q.id, q) for q in section.questions)}
    data.update({CONFIDENTIAL_PREFIX + q.id: q.id in confidential for q in section.questions})
    return form_class(formdata=formdata, data=data)

class ConfirmForm(FlaskForm):
    """A form with only a CSRF token, for buttons that change state (submit)."""

