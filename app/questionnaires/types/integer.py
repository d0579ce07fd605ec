"""``integer``: a whole number, bounded by ``min`` and ``max``; stored as a number. A count whose
question says ``marks: true`` may instead be marked as having no figure ("Data not collected"...,
app/questionnaires/types/marks.py), stored as ``{"_marks": {"*": mark}}``."""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.questionnaires.answers import AnswerError, format_number
from app.questionnaires.types.base import NumberType
from app.questionnaires.types.marks import MARK_LABELS, MARKS, WHOLE, mark_choices, mark_label, marks_of, read_mark

INTEGER = re.compile(r"^[+-]?\d{1,15}$")


class Integer(NumberType):
    name = "integer"
    label = _l("Whole number")
    keys = NumberType.keys | {"marks"}

    def read(self, check, raw, where):
        read = super().read(check, raw, where)
        if "marks" in raw and not isinstance(raw["marks"], bool):
            check.problem(where, _("marks must be true or false."))
        elif raw.get("marks"):
            read["marks"] = True
        return read

    def canonical(self, question):
        return {**super().canonical(question), **({"marks": True} if question.marks else {})}

    def input_for(self, question):
        return "marked_number" if question.marks else self.input

    def marks_for(self, question):
        return MARK_LABELS if question.marks else {}

    def posted(self, question, formdata, field, **context):
        if not question.marks:
            return formdata.get(field)
        return {"value": formdata.get(field) or "", MARKS: {WHOLE: formdata.get(f"{field}-{WHOLE}-mark") or ""}}

    def sent(self, question, stems, field, version_field):
        return field in stems or (question.marks and version_field in stems)

    def parse(self, question, raw):
        if not question.marks or not isinstance(raw, dict):
            return super().parse(question, raw)
        try:
            mark = read_mark(raw)
        except ValueError:
            raise AnswerError(_("Choose one of the reasons offered for a table without figures.")) from None
        number = super().parse(question, raw.get("value"))
        if mark and number is not None:
            raise AnswerError(_("An answer marked as having no figure cannot have a figure: remove the number or "
                                "the mark."))
        return {MARKS: {WHOLE: mark}} if mark else number

    def shown(self, question, value):
        if not question.marks:
            return super().shown(question, value)
        marked = marks_of(value).get(WHOLE, "")
        return {"value": "" if value is None or marked else str(value), MARKS: {WHOLE: marked}}

    def parse_text(self, question, text):
        text = text.strip()
        if not INTEGER.match(text):
            raise AnswerError(_("Enter a whole number, such as 12."))
        number = int(text)
        self.check_bounds(question, number)
        return number

    def format(self, question, value, locale):
        if isinstance(value, dict):
            return mark_label(marks_of(value).get(WHOLE))
        return format_number(value, locale) if value is not None else ""

    def atoms(self, question, value):
        if isinstance(value, dict):
            yield WHOLE, "", marks_of(value).get(WHOLE)
        else:
            yield "", "", value

    def sheet_cell(self, question, value, row, column, locale):
        return self.format(question, value, locale) if isinstance(value, dict) else value

    def blank_hint(self, question):
        return _("A whole number.")

    def api_extras(self, question, locale):
        return {"marks": mark_choices(self.marks_for(question), locale)} if question.marks else {}

    def sample(self, question, index, variant=0):
        return int(self.within(question, 10 + index + variant))


TYPE = Integer()
