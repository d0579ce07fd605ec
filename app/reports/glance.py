"""The PDF profile's "At a glance" page: the key facts of one revision of a response, grouped,
and their charts, in the reader's language, as plain data (the public page and the API draw
their key facts from ``app/reports/key_facts.py``, over the same questions of ratification,
criminalization, victims, convictions and coordination)::

    with force_locale(locale):
        facts = at_a_glance(profile_source(response, locale, revision_number, public=True))

``at_a_glance(source)`` returns ``{"groups": [...], "charts": [...]}``:

- ``groups``: ``{"title", "items": [{"id", "label", "value", "dir"}]}``, one group per entry of
  ``GROUPS`` that has at least one answered item (ratification, criminalization, coordination);
  ``value`` is the answer as its type writes it, ``dir`` the direction the value reads in.
- ``charts``: ``{"id", "title", "bars": [{"label", "value", "text", "share"}]}`` for the victims
  detected per year, the victims by sex and age over those years and the persons convicted per
  year; ``share`` is the bar's length as a share of the chart's longest (0 to 1), ``text`` the
  figure in the reader's format. A chart without figures is left out.

Facts come from fixed question ids (``GROUPS``, ``VICTIMS``, ``CONVICTIONS``): a questionnaire
without one of them has no such fact. A public reader sees no fact the State withheld (see
``app/reports/source.py withheld_from``), and no answer to a question that does not apply.
Call inside ``force_locale(source.locale)``: labels are translated as they are read."""
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.questionnaires.answers import format_number, is_answered, table_cell
from app.questionnaires.schema import Question
from app.questionnaires.writing import writing_direction
from app.reports.source import ProfileSource, withheld_from

#: The questions whose answers are key facts, by group, each with its short label.
GROUPS = (
    (_l("Ratification"), (
        ("rat_protocol_status", _l("Trafficking in Persons Protocol")),
        ("rat_protocol_year", _l("Party since")),
        ("rat_convention_status", _l("Organized Crime Convention")),
    )),
    (_l("Criminalization"), (
        ("crim_offence", _l("Trafficking in persons is a criminal offence")),
        ("crim_children", _l("Child trafficking needs no proof of means")),
        ("crim_consent", _l("The victim's consent is irrelevant")),
    )),
    (_l("Coordination"), (
        ("coord_body", _l("National coordinating body")),
        ("coord_body_name", _l("Name of the body")),
        ("coord_plan", _l("National action plan")),
        ("coord_plan_title", _l("Title of the plan")),
    )),
)
#: Number tables of people by year (rows) and by sex and age (columns, one of them the total).
VICTIMS = "data_victims_sex_age"
CONVICTIONS = "data_convicted_sex_age"


def _readable(source: ProfileSource, withheld: set[str], qid: str) -> tuple[Question, Any] | None:
    """The question ``qid`` and its answer, when the reader may see one."""
    question = source.questionnaire.questions.get(qid)
    value = source.answers.get(qid)
    if question is None or qid in withheld or not is_answered(value):
        return None
    if not source.questionnaire.applies(question, source.answers):
        return None
    return question, value


def _group(source: ProfileSource, withheld: set[str], title, items) -> dict | None:
    facts = []
    for qid, label in items:
        found = _readable(source, withheld, qid)
        if found:
            text = str(found[0].answer_type.format(found[0], found[1], source.locale))
            facts.append({"id": qid, "label": str(label), "value": text, "dir": writing_direction(text)})
    return {"title": str(title), "items": facts} if facts else None


def _bars(pairs: list[tuple[str, int]], locale: str) -> list[dict]:
    longest = max((value for _, value in pairs), default=0) or 1
    return [{"label": label, "value": value, "text": format_number(value, locale), "share": value / longest}
            for label, value in pairs]


def _parts(question: Question):
    return [column for column in question.columns if not column.total_of]


def _per_year(question: Question, value: dict) -> list[tuple[str, int]]:
    """Each year that has figures, with its total: the total column's figure, else the sum of
    the parts (a State may give the total alone, or only parts)."""
    totals = [column for column in question.columns if column.total_of]
    years = []
    for row in (row for row in question.rows if not row.total_of):
        cells = [table_cell(value, row.id, column.id) for column in _parts(question)]
        total = table_cell(value, row.id, totals[0].id) if totals else None
        if total is not None or any(cell is not None for cell in cells):
            years.append((row.id, total if total is not None else sum(cell or 0 for cell in cells)))
    return years


def _per_column(question: Question, value: dict, locale: str) -> list[tuple[str, int]]:
    """Each sex and age group with people in it, over all the years."""
    rows = [row for row in question.rows if not row.total_of]
    sums = [(str(column.text(locale)), sum(table_cell(value, row.id, column.id) or 0 for row in rows))
            for column in _parts(question)]
    return [(label, total) for label, total in sums if total]


def _span(years: list[tuple[str, int]]) -> str:
    return years[0][0] if len(years) == 1 else f"{years[0][0]}–{years[-1][0]}"


def _charts(source: ProfileSource, withheld: set[str]) -> list[dict]:
    charts = []
    victims = _readable(source, withheld, VICTIMS)
    if victims:
        years = _per_year(*victims)
        if years:
            charts.append({"id": "victims-by-year", "title": _("Victims detected, by year"),
                           "bars": _bars(years, source.locale)})
        groups = _per_column(*victims, source.locale) if years else []
        if groups:
            charts.append({"id": "victims-by-sex-age",
                           "title": _("Victims detected, %(years)s, by sex and age", years=_span(years)),
                           "bars": _bars(groups, source.locale)})
    convictions = _readable(source, withheld, CONVICTIONS)
    if convictions and (years := _per_year(*convictions)):
        charts.append({"id": "convictions-by-year", "title": _("Persons convicted, by year"),
                       "bars": _bars(years, source.locale)})
    return charts


def at_a_glance(source: ProfileSource) -> dict:
    """The key facts of ``source`` (one revision of one response, for one reader)."""
    withheld = withheld_from(source)
    groups = [_group(source, withheld, title, items) for title, items in GROUPS]
    return {"groups": [group for group in groups if group], "charts": _charts(source, withheld)}
