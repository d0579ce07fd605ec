"""Answer values: from form input to the stored JSON value, and from the stored value to text.

Stored values by type: choices a string, multiple choice a list in option order, texts a
string, integer and year an int, decimal a normalised string (exact), date ``YYYY-MM-DD``,
number table ``{row: {column: int}}``. ``None`` means unanswered.
"""
import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.questionnaires.schema import Question, localized

BUILTIN_LABELS = {"yes": _l("Yes"), "no": _l("No"), "partly": _l("Partly")}
DEFAULT_MAX_LENGTH = {"short_text": 500, "long_text": 20000}
INTEGER_PATTERN = re.compile(r"^[+-]?\d{1,15}$")
DECIMAL_PATTERN = re.compile(r"^[+-]?\d{1,15}([.,]\d{1,6})?$")
YEAR_RANGE = (1900, 2100)


class AnswerError(ValueError):
    """Input that cannot be stored; ``str()`` is a translated message for the respondent."""


def option_label(question: Question, value: str, locale: str) -> str:
    for option in question.options:
        if option.value == value:
            return localized(option.label, locale) if option.label else str(BUILTIN_LABELS[value])
    return value


def _check_bounds(question: Question, number) -> None:
    low, high = question.min, question.max
    if question.type == "year":
        low = YEAR_RANGE[0] if low is None else low
        high = YEAR_RANGE[1] if high is None else high
    if low is not None and number < low:
        raise AnswerError(_("Enter a number of at least %(min)s.", min=low))
    if high is not None and number > high:
        raise AnswerError(_("Enter a number of at most %(max)s.", max=high))


def _parse_integer(question: Question, raw: str) -> int:
    text = raw.strip()
    if not INTEGER_PATTERN.match(text):
        raise AnswerError(_("Enter a whole number, such as 12."))
    number = int(text)
    _check_bounds(question, number)
    return number


def _parse_decimal(question: Question, raw: str) -> str:
    text = raw.strip()
    if not DECIMAL_PATTERN.match(text):
        raise AnswerError(_("Enter a number, such as 12 or 12.5."))
    try:
        number = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise AnswerError(_("Enter a number, such as 12 or 12.5."))
    _check_bounds(question, number)
    return format(number.normalize(), "f")


def _parse_year(question: Question, raw: str) -> int:
    text = raw.strip()
    if not re.fullmatch(r"\d{4}", text):
        raise AnswerError(_("Enter a year with four digits, such as 2024."))
    year = int(text)
    _check_bounds(question, year)
    return year


def _parse_date(raw: str) -> str:
    try:
        return date.fromisoformat(raw.strip()).isoformat()
    except ValueError:
        raise AnswerError(_("Enter a date as year-month-day, such as 2024-03-31."))


def _parse_text(question: Question, raw: str) -> str | None:
    text = raw.replace("\r\n", "\n").strip()
    limit = question.max_length or DEFAULT_MAX_LENGTH[question.type]
    if len(text) > limit:
        raise AnswerError(_("Use at most %(max)d characters (you used %(n)d).", max=limit, n=len(text)))
    return text or None


def _parse_table(question: Question, raw: dict[str, dict[str, str]]) -> dict | None:
    table, bad_cells = {}, []
    for row in question.rows:
        for column in question.columns:
            cell = (raw.get(row.id, {}).get(column.id) or "").strip()
            if not cell:
                continue
            if not re.fullmatch(r"\d{1,12}", cell):
                bad_cells.append(cell)
                continue
            table.setdefault(row.id, {})[column.id] = int(cell)
    if bad_cells:
        raise AnswerError(_("Enter whole numbers of 0 or more in the table; correct: %(cells)s.",
                            cells=", ".join(bad_cells[:5])))
    return table or None


def parse_answer(question: Question, raw: Any) -> Any:
    """The value to store for form input ``raw``; None when empty. Raises ``AnswerError``."""
    qtype = question.type
    if qtype == "multiple_choice":
        chosen = [v for v in (raw or []) if v]
        unknown = [v for v in chosen if v not in question.option_values]
        if unknown:
            raise AnswerError(_("Choose among the options shown."))
        return [v for v in question.option_values if v in chosen] or None
    if qtype == "number_table":
        return _parse_table(question, raw or {})
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if not isinstance(raw, str):
        raise AnswerError(_("This answer could not be read; enter it again."))
    if qtype in ("yes_no", "yes_no_partly", "single_choice"):
        if raw not in question.option_values:
            raise AnswerError(_("Choose one of the options shown."))
        return raw
    parsers = {
        "short_text": lambda: _parse_text(question, raw),
        "long_text": lambda: _parse_text(question, raw),
        "integer": lambda: _parse_integer(question, raw),
        "decimal": lambda: _parse_decimal(question, raw),
        "year": lambda: _parse_year(question, raw),
        "date": lambda: _parse_date(raw),
    }
    return parsers[qtype]()


def is_answered(value: Any) -> bool:
    return value not in (None, "", [], {})


def format_number(value, locale: str) -> str:
    return format_decimal(Decimal(str(value)), locale=locale)


def format_answer(question: Question, value: Any, locale: str) -> str:
    """A one-line reading of an answer (tables are laid out by their templates)."""
    if not is_answered(value):
        return ""
    qtype = question.type
    if qtype in ("yes_no", "yes_no_partly", "single_choice"):
        return option_label(question, value, locale)
    if qtype == "multiple_choice":
        return "; ".join(option_label(question, v, locale) for v in value)
    if qtype in ("integer", "decimal"):
        return format_number(value, locale)
    if qtype == "date":
        return format_date(date.fromisoformat(value), format="long", locale=locale)
    return str(value)


def table_cell(value: dict | None, row: str, column: str):
    return (value or {}).get(row, {}).get(column)
