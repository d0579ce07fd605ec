"""Why an answer has no figures: "Data not collected", "Collected but not available",
"Confidential" (issue 15 item 7). Distinct from an empty answer (not answered) and from 0.

The types that take marks (``number_table`` always, ``integer`` when its question says
``marks: true``) store them inside the answer, under ``MARKS``: ``{"*": mark}`` for the whole
answer, or ``{row id: mark}`` for rows of a table. Code that reads figures asks ``marks_of`` or
``row_mark`` first; a marked answer has no figure to add up."""
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

#: The marks, by the value stored.
MARK_LABELS = {"not_collected": _l("Data not collected"), "not_available": _l("Collected but not available"),
               "confidential": _l("Confidential")}
MARKS = "_marks"
WHOLE = "*"


def marks_of(value) -> dict[str, str]:
    """The marks of a stored table: {"*": mark} or {row id: mark}."""
    marks = value.get(MARKS) if isinstance(value, dict) else None
    return marks if isinstance(marks, dict) else {}


def row_mark(value, row_id: str) -> str | None:
    """The mark that applies to a row: its own, or the whole table's."""
    marks = marks_of(value)
    return marks.get(WHOLE) or marks.get(row_id)


def mark_label(mark: str | None) -> str:
    return str(MARK_LABELS[mark]) if mark in MARK_LABELS else ""


def mark_choices(marks: dict, locale: str) -> list[dict]:
    """The marks a question offers, for the API's description of it."""
    with force_locale(locale):
        return [{"value": value, "label": str(label)} for value, label in marks.items()]


def figure(value):
    """The number of an integer answer, or None when it is unanswered or marked."""
    return None if value is None or isinstance(value, dict) else value


def read_mark(posted: dict | None, key: str = WHOLE) -> str | None:
    """The mark posted for ``key`` ("" or missing: none); ValueError for an unknown one."""
    mark = ((posted or {}).get(MARKS) or {}).get(key) or ""
    mark = mark.strip() if isinstance(mark, str) else "?"
    if mark and mark not in MARK_LABELS:
        raise ValueError(mark)
    return mark or None
