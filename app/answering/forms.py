"""Section forms built from the questionnaire definition: one WTForms field per question.

Each answer type maps to a field builder in ``FIELD_BUILDERS``. Every field validates through
``parse_answer``, so the form, the CLI and the PDF agree on what a valid answer is."""
import re
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Field, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.utils import unset_value
from wtforms.validators import StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from app.questionnaires.answers import LAW_PARTS, AnswerError, option_label, parse_answer
from app.questionnaires.schema import Question, Section, localized

FIELD_PREFIX = "q_"
#: A file input of a law list entry: ``q_<question>-<entry>-file``.
LAW_FILE_INPUT = re.compile(r"^q_(?P<question>[a-z][a-z0-9_]{0,63})-(?P<entry>\d{1,3})-file$")
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

class LawListField(Field):
    """Repeatable laws: inputs named ``<field>-<n>-<part>`` for each part in ``LAW_PARTS``, a
    ``remove`` box, a ``detach`` box for the uploaded text and a ``file`` input (stored by the
    route before the form is read, which then finds its id in ``attachment``). Data is the list
    of entries as text, as shown; ``attachments`` are the State's uploads, by id."""

    def __init__(self, label=None, validators=None, question: Question | None = None,
                 attachments: dict | None = None, **kwargs):
        super().__init__(label, validators, **kwargs)
        self.question = question
        self.attachments = attachments or {}

    def process(self, formdata, data=unset_value, extra_filters=None):
        self.process_errors = []
        self.object_data = data
        pattern = re.compile(rf"^{re.escape(self.name)}-(\d{{1,3}})-")
        indexes = sorted({int(m[1]) for key in (formdata or ()) if (m := pattern.match(key))})
        if indexes:
            self.raw_data = [str(index) for index in indexes]
            self.data = [self._posted(formdata, index) for index in indexes
                         if not formdata.get(f"{self.name}-{index}-remove")]
        else:
            stored = data if isinstance(data, list) else []
            self.data = [{part: "" if entry.get(part) is None else str(entry[part]) for part in LAW_PARTS}
                         for entry in stored]

    def _posted(self, formdata, index: int) -> dict[str, str]:
        entry = {part: formdata.get(f"{self.name}-{index}-{part}", "") for part in LAW_PARTS}
        # Only the State's own uploads may be referred to; another id is dropped, not trusted.
        known = entry["attachment"].isdigit() and int(entry["attachment"]) in self.attachments
        if formdata.get(f"{self.name}-{index}-detach") or not known:
            entry["attachment"] = ""
        return entry

    def _value(self):
        return ""


class AnswerValidator:
    """Parses the field's input into ``field.answer``; each problem becomes a message."""

    def __init__(self, question: Question):
        self.question = question

    def __call__(self, form, field):
        try:
            field.answer = parse_answer(self.question, field.data)
        except AnswerError as error:
            field.errors.extend(error.messages)
            raise StopValidation()

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
    return StringField(render_kw={"type": "date", "placeholder": _l("YYYY-MM-DD")}, **common)

def _table(question, locale, **common):
    return NumberTableField(question=question, **common)

def _laws(question, locale, attachments=None, **common):
    return LawListField(question=question, attachments=attachments, **common)

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
    "law_list": _laws,
}

def form_value(question: Question, value: Any) -> Any:
    """A stored value as the field shows it."""
    if value is None or question.type in ("multiple_choice", "number_table", "law_list"):
        return value
    return str(value)

class SectionForm(FlaskForm):
    """Base class; ``section_form`` adds one field per question."""

    #: Fingerprints of the table warnings whose figures the respondent confirms as correct.
    confirm = SelectMultipleField(validate_choice=False)

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
                 attachments: dict | None = None, confidential: set[str] = frozenset()) -> SectionForm:
    """A form for ``section`` in ``locale``, filled from ``answers`` and the ``confidential`` marks
    unless ``formdata`` is posted. ``attachments`` (the State's uploads, by id) are what law lists
    may refer to."""
    attributes = {}
    for question in section.questions:
        extra = {"attachments": attachments} if question.type == "law_list" else {}
        attributes[field_name(question.id)] = FIELD_BUILDERS[question.type](
            question, locale, label=localized(question.text, locale), validators=[AnswerValidator(question)],
            **extra)
        attributes[CONFIDENTIAL_PREFIX + question.id] = BooleanField(
            _l("Confidential: the secretariat sees this answer; published profiles leave it out"))
    form_class = type("Section_" + section.id, (SectionForm,), attributes)
    data = {field_name(qid): form_value(question, answers.get(qid))
            for qid, question in ((q.id, q) for q in section.questions)}
    data.update({CONFIDENTIAL_PREFIX + q.id: q.id in confidential for q in section.questions})
    return form_class(formdata=formdata, data=data)


def law_uploads(section: Section, files) -> list[tuple[str, int, Any]]:
    """(question id, entry index, file) for each file chosen in one of the section's law lists."""
    law_lists = {question.id for question in section.questions if question.type == "law_list"}
    uploads = []
    for name, upload in files.items():
        match = LAW_FILE_INPUT.match(name)
        if match and match["question"] in law_lists and upload.filename:
            uploads.append((match["question"], int(match["entry"]), upload))
    return sorted(uploads, key=lambda item: (item[0], item[1]))


class ConfirmForm(FlaskForm):
    """A form with only a CSRF token, for buttons that change state (submit)."""

