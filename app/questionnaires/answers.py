"""Answer values: from form input to the stored JSON value, and from the stored value to text.

Stored values by type: choices a string, multiple choice a list in option order, texts a
string, integer and year an int, decimal a normalised string (exact), date ``YYYY-MM-DD``,
number table ``{row: {column: int}}``, law list a list of ``LAW_PARTS`` dicts (see
``parse_law_list``). ``None`` means unanswered.
"""
import re
from datetime import date
from urllib.parse import urlsplit
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
#: The parts of one law in a law list, in the order they are shown.
LAW_PARTS = ("title", "article", "adopted", "status", "url", "attachment")
LAW_STATUSES = {
    "in_force": _l("In force"),
    "adopted": _l("Adopted, not yet in force"),
    "draft": _l("Draft or bill"),
    "repealed": _l("Repealed"),
}
LAW_LIMITS = {"title": 500, "article": 300, "url": 2000}
MAX_LAWS = 50


class AnswerError(ValueError):
    """Input that cannot be stored; ``messages`` are translated messages for the respondent
    (several when a law list has problems in several entries)."""

    def __init__(self, *messages: str):
        super().__init__(" ".join(messages))
        self.messages = list(messages)


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


def _law_url(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not re.search(r"\s", text)


def _law_adopted(text: str, n: int) -> tuple[date | None, list[str]]:
    if not text:
        return None, []
    try:
        adopted = date.fromisoformat(text)
    except ValueError:
        return None, [_("Law %(n)d: enter the date of adoption as year-month-day, such as 2013-08-05.", n=n)]
    if adopted > date.today():
        return None, [_("Law %(n)d: the date of adoption cannot be in the future.", n=n)]
    return adopted, []


def _law_text_problems(text: dict[str, str], n: int) -> list[str]:
    problems = []
    if not text["title"]:
        problems.append(_("Law %(n)d: enter its title.", n=n))
    elif len(text["title"]) > LAW_LIMITS["title"]:
        problems.append(_("Law %(n)d: use at most %(max)d characters for the title.", n=n, max=LAW_LIMITS["title"]))
    if len(text["article"]) > LAW_LIMITS["article"]:
        problems.append(_("Law %(n)d: use at most %(max)d characters for the articles.", n=n,
                          max=LAW_LIMITS["article"]))
    return problems


def _law_reference_problems(text: dict[str, str], n: int) -> list[str]:
    problems = []
    if text["status"] and text["status"] not in LAW_STATUSES:
        problems.append(_("Law %(n)d: choose one of the statuses shown.", n=n))
    if text["url"] and (len(text["url"]) > LAW_LIMITS["url"] or not _law_url(text["url"])):
        problems.append(_("Law %(n)d: enter a web address that starts with http:// or https://.", n=n))
    if text["attachment"] and not text["attachment"].isdigit():
        problems.append(_("Law %(n)d: the uploaded text was not found; upload it again.", n=n))
    return problems


def _parse_law(raw: dict, n: int) -> tuple[dict | None, list[str]]:
    """One law from its form parts: (the entry, or None when every part is empty; problems in
    the order the parts are shown)."""
    text = {part: str(raw.get(part) or "").strip() for part in LAW_PARTS}
    if not any(text.values()):
        return None, []
    adopted, problems = _law_adopted(text["adopted"], n)
    entry = {
        "title": text["title"],
        "article": text["article"] or None,
        "adopted": adopted.isoformat() if adopted else None,
        "status": text["status"] or None,
        "url": text["url"] or None,
        "attachment": int(text["attachment"]) if text["attachment"].isdigit() else None,
    }
    return entry, _law_text_problems(text, n) + problems + _law_reference_problems(text, n)


def parse_law_list(raw: list[dict]) -> list[dict] | None:
    """Laws from the form's entries (empty entries dropped); every entry needs a title.
    Entries are numbered as shown, so "Law 2" in a message is the second entry on the page."""
    entries, problems = [], []
    for n, item in enumerate(raw, start=1):
        entry, entry_problems = _parse_law(item, n)
        problems.extend(entry_problems)
        if entry is not None:
            entries.append(entry)
    if len(entries) > MAX_LAWS:
        problems.append(_("List at most %(max)d laws.", max=MAX_LAWS))
    if problems:
        raise AnswerError(*problems)
    return entries or None


def law_status_label(status: str | None) -> str:
    return str(LAW_STATUSES[status]) if status in LAW_STATUSES else ""


def law_details(entry: dict, locale: str) -> str:
    """Status and date of adoption of a law: "In force, adopted on 5 August 2013"."""
    details = [law_status_label(entry.get("status"))] if entry.get("status") else []
    if entry.get("adopted"):
        details.append(_("adopted on %(date)s",
                         date=format_date(date.fromisoformat(entry["adopted"]), format="long", locale=locale)))
    return ", ".join(details)


def describe_law(entry: dict, locale: str) -> str:
    """One law on one line: "Penal Code, art. 225-4-1 (In force, adopted on 5 August 2013) https://..."."""
    text = entry["title"] + (", " + entry["article"] if entry.get("article") else "")
    details = law_details(entry, locale)
    text += f" ({details})" if details else ""
    return text + (" " + entry["url"] if entry.get("url") else "")


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
    if qtype == "law_list":
        return parse_law_list(raw or [])
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
    if qtype == "law_list":
        return "; ".join(describe_law(entry, locale) for entry in value)
    return str(value)


def table_cell(value: dict | None, row: str, column: str):
    return (value or {}).get(row, {}).get(column)
