"""The plain data of a printable blank questionnaire, for officials who draft answers offline:
every question with its choices, its condition in words and empty grids for its figures.

Call inside ``force_locale(locale)``, like ``build_profile``."""
from babel.lists import format_list
from flask_babel import gettext as _

from app.i18n import text_direction
from app.questionnaires.answers import option_label
from app.questionnaires.schema import Question, Questionnaire, localized
from app.questionnaires.scope import scope_facts
from app.reports.profile import cited, documents_cited
from app.reports.tables import label_width

#: Quotation marks around a choice, as each language writes them (French with narrow spaces).
QUOTES = {"en": "“{}”", "zh": "“{}”", "fr": "«\u202f{}\u202f»", "es": "«{}»", "ru": "«{}»", "ar": "«{}»"}


def _condition(questionnaire: Questionnaire, question: Question, numbers: dict[str, str], locale: str) -> str:
    if question.condition is None:
        return ""
    asked = questionnaire.questions[question.condition.question]
    quotes = QUOTES.get(locale, QUOTES["en"])
    values = [quotes.format(option_label(asked, value, locale)) for value in question.condition.values]
    return _("Answer only if you answered %(values)s to question %(number)s.",
             values=format_list(values, style="or", locale=locale), number=numbers[asked.id])


def _grid(question: Question, locale: str) -> dict | None:
    grid = question.answer_type.blank_grid(question, locale)
    if grid is not None:
        grid = {**grid, "label_width": label_width(grid["rows"], len(grid["columns"]))}
    return grid


def _question(questionnaire, question, number, numbers, locale) -> dict:
    return {
        "number": number,
        "text": localized(question.text, locale),
        "help": localized(question.help, locale) if question.help else "",
        "required": question.required,
        "input": question.answer_type.input,
        "options": [option_label(question, value, locale) for value in question.option_values],
        "condition": _condition(questionnaire, question, numbers, locale),
        "hint": question.answer_type.blank_hint(question),
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
        "scope": scope_facts(questionnaire.scope),
        "pdf_title": _("Questionnaire for offline drafting, reporting cycle %(cycle)s", cycle=cycle_name),
        "subject": title,
        "keywords": [_("trafficking in persons"), _("questionnaire")],
        "sections": sections,
        # The blank questionnaire cites each question's provision.
        "documents": documents_cited(questionnaire, [q.provision_cited for q in questionnaire.questions.values()
                                                     if q.provision_cited], locale),
    }
