"""The PDF profile's "At a glance" page: the key facts of one revision of a response
(``app/reports/key_facts.py``, the same facts as the public page and the API), listed under
their short labels and their figures charted, in the reader's language, as plain data::

    with force_locale(locale):
        facts = at_a_glance(profile_source(response, locale, revision_number, public=True))

``at_a_glance(source)`` returns ``{"groups": [...], "charts": [...]}``:

- ``groups``: ``{"title", "items": [{"id", "label", "value", "dir"}]}``, one group per heading of
  the facts (ratification, criminalization, coordination) that has at least one answer to show;
  ``value`` is the answer as its type writes it, ``dir`` the direction the value reads in.
- ``charts``: ``{"id", "title", "bars": [{"label", "value", "text", "share"}]}`` for the victims
  detected per year, the victims by sex and age over those years and the persons convicted per
  year; ``share`` is the bar's length as a share of the chart's longest (0 to 1), ``text`` the
  figure in the reader's format. A year without figures is no bar, a chart without bars left out.

A public reader sees no fact the State withheld (``ProfileSource.readable_answers``).
Call inside ``force_locale(source.locale)``: labels are translated as they are read."""
from typing import Any

from flask_babel import gettext as _

from app.questionnaires.answers import format_number, table_cell
from app.questionnaires.schema import Question
from app.questionnaires.writing import writing_direction
from app.reports.key_facts import Fact, facts_shown
from app.reports.source import ProfileSource

#: The fact whose table is also charted by its columns (sex and age) over all its years.
BY_SEX_AGE = "victims"


def _groups(facts: list[tuple[Fact, list]], answers: dict[str, Any], locale: str) -> list[dict]:
    """The listed facts' answers under their short labels, by heading (two facts may share one)."""
    groups: dict[str, list[dict]] = {}
    for fact, questions in facts:
        for question, label in questions if fact.group is not None else ():
            text = str(question.answer_type.format(question, answers[question.id], locale))
            groups.setdefault(str(fact.group), []).append(
                {"id": question.id, "label": str(label), "value": text, "dir": writing_direction(text)})
    return [{"title": title, "items": items} for title, items in groups.items()]


def _bars(pairs: list[tuple[str, int]], locale: str) -> list[dict]:
    longest = max((value for _, value in pairs), default=0) or 1
    return [{"label": label, "value": value, "text": format_number(value, locale), "share": value / longest}
            for label, value in pairs]


def _per_year(question: Question, value: Any) -> list[tuple[str, int]]:
    """Each year that has figures, with its total (the answer type's: the total given, else the
    sum of the parts); a year without figures, or marked as having none, is left out."""
    return [(year, total) for year, total in question.answer_type.year_totals(question, value) or ()
            if total is not None]


def _per_column(question: Question, value: dict, locale: str) -> list[tuple[str, int]]:
    """Each sex and age group with people in it, over all the years."""
    rows = [row for row in question.rows if not row.total_of]
    sums = [(str(column.text(locale)), sum(table_cell(value, row.id, column.id) or 0 for row in rows))
            for column in question.columns if not column.total_of]
    return [(label, total) for label, total in sums if total]


def _span(years: list[tuple[str, int]]) -> str:
    return years[0][0] if len(years) == 1 else f"{years[0][0]}–{years[-1][0]}"


def _charts(facts: list[tuple[Fact, list]], answers: dict[str, Any], locale: str) -> list[dict]:
    """A chart of each fact of figures by year (its first question with figures), and the
    victims' also by sex and age."""
    charts = []
    for fact, questions in facts:
        charted = [(question, years) for question, _label in questions
                   if fact.group is None and (years := _per_year(question, answers[question.id]))]
        if not charted:
            continue
        question, years = charted[0]
        charts.append({"id": f"{fact.id}-by-year", "title": str(fact.label), "bars": _bars(years, locale)})
        groups = _per_column(question, answers[question.id], locale) if fact.id == BY_SEX_AGE else []
        if groups:
            charts.append({"id": f"{fact.id}-by-sex-age", "bars": _bars(groups, locale),
                           "title": _("Victims detected, %(years)s, by sex and age", years=_span(years))})
    return charts


def at_a_glance(source: ProfileSource) -> dict:
    """The key facts of ``source`` (one revision of one response, for one reader)."""
    answers = source.readable_answers
    facts = facts_shown(source.questionnaire, answers)
    return {"groups": _groups(facts, answers, source.locale), "charts": _charts(facts, answers, source.locale)}
