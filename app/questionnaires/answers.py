"""Answer values, whatever their type: what counts as answered, numbers in a reader's language,
and the calls that hand an answer to its question's type (app/questionnaires/types/).

Stored values by type are documented in docs/questionnaire-format.md §5; ``None`` means
unanswered."""
from decimal import Decimal
from typing import Any

from babel.numbers import format_decimal
from flask_babel import lazy_gettext as _l

#: Labels of the built-in options of yes/no questions (the interface catalogs translate them).
BUILTIN_LABELS = {"yes": _l("Yes"), "no": _l("No"), "partly": _l("Partly")}


class AnswerError(ValueError):
    """Input that cannot be stored; ``messages`` are translated messages for the respondent
    (several when a law list has problems in several entries)."""

    def __init__(self, *messages: str):
        super().__init__(" ".join(str(message) for message in messages))
        self.messages = [str(message) for message in messages]


def is_answered(value: Any) -> bool:
    return value not in (None, "", [], {})


def format_number(value, locale: str) -> str:
    return format_decimal(Decimal(str(value)), locale=locale)


def table_cell(value: dict | None, row: str, column: str):
    return (value or {}).get(row, {}).get(column)


def option_label(question, value: str, locale: str) -> str:
    for option in question.options:
        if option.value == value:
            return str(option.text(locale))
    return value


def format_answer(question, value: Any, locale: str) -> str:
    """A one-line reading of an answer (tables are laid out by their templates)."""
    return question.answer_type.format(question, value, locale) if is_answered(value) else ""
