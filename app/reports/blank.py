"""The plain data of a printable blank questionnaire, for officials who draft answers offline:
every question with its choices, its condition in words and empty grids for its figures.

Call inside ``force_locale(locale)``, like ``build_profile``."""
from babel.lists import format_list
from flask_babel import gettext as _

from app.i18n import text_direction
from app.questionnaires.answers import option_label
from app.questionnaires.schema import Question, Questionnaire, localized
from app.reports.profile import LAW_STATUS_LABELS, cited, documents_cited
from app.reports.tables import label_width

#: How many empty rows a law list offers on paper.
LAW_ROWS = 3
#: Quotation marks around a choice, as each language writes them (French with narrow spaces).
QUOTES = {"en": "“{}”", "zh": "“{}”", "fr": "«\u202f{}\u202f»", "es": "«{}»", "ru": "«{}»", "ar": "«{}»"}


def _hint(question: Question) -> str:
    hints = {
        "yes_no": _("Choose one."),
        "yes_no_partly": _("Choose one."),
        "single_choice": _("Choose one."),
        "multiple_choice": _("Choose all that apply."),
        "integer": _("A whole number."),
        "decimal": _("A number."),
        "year": _("A year, such as 2024."),
        "date": _("A date as year-month-day, such as 2024-03-31."),
        "number_table": _("Whole numbers of 0 or more; a total must equal the sum of its parts."),
        "law_list": _("One line per law. Status: %(statuses)s.", statuses="; ".join(
            str(label) for label in LAW_STATUS_LABELS.values())),
    }
    return hints.get(question.type, "")


def _condition(questionnaire: Questionnaire, question: Question, numbers: dict[str, str], locale: str) -> str:
    if question.condition is None:
        return ""
    asked = questionnaire.questions[question.condition.question]
    quotes = QUOTES.get(locale, QUOTES["en"])
    values = [quotes.format(option_label(asked, value, locale)) for value in question.condition.values]
    return _("Answer only if you answered %(values)s to question %(number)s.",
             values=format_list(values, style="or", locale=locale), number=numbers[asked.id])


def _grid(question: Question, locale: str) -> dict | None:
    if question.type == "number_table":
        rows = [{"label": r.text(locale), "total": bool(r.total_of)} for r in question.rows]
        return {"columns": [{"label": c.text(locale), "total": bool(c.total_of)} for c in question.columns],
                "rows": rows, "label_width": label_width(rows, len(question.columns))}
    if question.type == "law_list":
        labels = [_("Title of the law"), _("Article"), _("Date of adoption"), _("Status"), _("Link")]
        return {"columns": [{"label": label, "total": False} for label in labels],
                "rows": [{"label": "", "total": False}] * LAW_ROWS, "no_row_labels": True}
    return None


def _question(questionnaire, question, number, numbers, locale) -> dict:
    return {
        "number": number,
        "text": localized(question.text, locale),
        "help": localized(question.help, locale) if question.help else "",
        "required": question.required,
        "type": question.type,
        "options": [option_label(question, value, locale) for value in question.option_values],
        "condition": _condition(questionnaire, question, numbers, locale),
        "hint": _hint(question),
        "grid": _grid(question, locale),
        "provision": cited((question.provision_cited,) if question.provision_cited else (), locale),
    }


def build_blank(questionnaire: Questionnaire, locale: str, cycle_name: str) -> dict:
    numbers = {question.id: f"{s}.{q}" for s, section in enumerate(questionnaire.sections, start=1)
               for q, question in enumerate(section.questions, start=1)}
    title = localized(questionnaire.title, locale)
    sections = [{
        "id": section.id,
        "number": s,
        "title": localized(section.title, locale),
        "intro": localized(section.intro, locale) if section.intro else "",
        "questions": [_question(questionnaire, question, numbers[question.id], numbers, locale)
                      for question in section.questions],
    } for s, section in enumerate(questionnaire.sections, start=1)]
    return {
        "locale": locale,
        "dir": text_direction(locale),
        "title": title,
        "cycle": cycle_name,
        "pdf_title": _("Questionnaire for offline drafting, reporting cycle %(cycle)s", cycle=cycle_name),
        "subject": title,
        "keywords": [_("trafficking in persons"), _("questionnaire")],
        "sections": sections,
        # The blank questionnaire cites each question's provision.
        "documents": documents_cited(questionnaire, [q.provision_cited for q in questionnaire.questions.values()
                                                     if q.provision_cited], locale),
    }
