"""A questionnaire as one reporting cycle asks it: its reference period and its question set.

A definition does not name the years it asks about: tables declare ``rows: reference_years`` and
texts say ``{first_year}`` and ``{last_year}``; a cycle gives the years when it is opened, so a new
cycle needs no new definition version. A cycle opened with the core set asks only the questions
marked ``set: core``. ``scoped`` derives that questionnaire once per process for each stored
version and scope (both never change), so pages keep reading one immutable object."""
from dataclasses import dataclass, replace
from threading import Lock

from flask_babel import gettext as _

from app.questionnaires.schema import COMPARING_KINDS, Question, Questionnaire, Section
from app.questionnaires.types.number_table import DEFAULT_PERIOD, year_axes
from app.questionnaires.validation import PLACEHOLDER

#: What a cycle asks: every question, or only those marked ``set: core``.
QUESTION_SETS = ("full", "core")


@dataclass(frozen=True)
class Scope:
    first_year: int
    last_year: int
    question_set: str = "full"

    @property
    def core_only(self) -> bool:
        return self.question_set == "core"

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(range(self.first_year, self.last_year + 1))


#: The scope of a definition read outside any cycle (its preview, its API description).
DEFAULT_SCOPE = Scope(*DEFAULT_PERIOD)

_scoped: dict[tuple[int, Scope], tuple[Questionnaire, Questionnaire]] = {}
_building = Lock()


def fill(texts: dict[str, str] | None, scope: Scope) -> dict[str, str] | None:
    """``texts`` with ``{first_year}`` and ``{last_year}`` replaced by the scope's years."""
    if texts is None:
        return None
    values = {"first_year": str(scope.first_year), "last_year": str(scope.last_year)}
    return {language: PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)
            for language, text in texts.items()}


def _question(question: Question, scope: Scope, asked: set[str]) -> Question:
    return replace(
        question, text=fill(question.text, scope), help=fill(question.help, scope),
        summary=fill(question.summary, scope),
        options=tuple(replace(o, label=fill(o.label, scope)) for o in question.options),
        rows=year_axes(scope.first_year, scope.last_year) if question.year_rows else question.rows,
        # A check comparing with a question the cycle does not ask has nothing to compare.
        checks=tuple(c for c in question.checks if c.kind not in COMPARING_KINDS or c.question in asked))


def _build(questionnaire: Questionnaire, scope: Scope) -> Questionnaire:
    asked = {qid for qid, q in questionnaire.questions.items() if q.core or not scope.core_only}
    questions = {qid: _question(q, scope, asked) for qid, q in questionnaire.questions.items() if qid in asked}
    sections = tuple(
        replace(section, intro=fill(section.intro, scope), title=fill(section.title, scope),
                questions=tuple(questions[q.id] for q in section.questions if q.id in questions))
        for section in questionnaire.sections)
    sections = tuple(_numbered(section, number)
                     for number, section in enumerate((s for s in sections if s.questions), start=1))
    questions = {q.id: q for section in sections for q in section.questions}
    return replace(questionnaire, sections=sections, questions=questions, scope=scope,
                   description=fill(questionnaire.description, scope))


def _numbered(section: Section, number: int) -> Section:
    """Sections and questions numbered as the cycle asks them (a core set has no gaps), the
    numbers pages and PDFs show alike."""
    return replace(section, number=number, questions=tuple(
        replace(question, number=f"{number}.{index}") for index, question in enumerate(section.questions, start=1)))


def scoped(questionnaire: Questionnaire, scope: Scope) -> Questionnaire:
    """The questionnaire as a cycle of ``scope`` asks it, built on first use."""
    key = (id(questionnaire), scope)
    cached = _scoped.get(key)
    if cached is None or cached[0] is not questionnaire:  # an id reused by another questionnaire
        with _building:
            cached = _scoped.get(key)
            if cached is None or cached[0] is not questionnaire:
                cached = _scoped[key] = (questionnaire, _build(questionnaire, scope))
    return cached[1]


def scope_facts(scope: Scope | None) -> dict[str, str]:
    """The reference period and question set, as the overview, the dashboard and PDFs state them."""
    scope = scope or DEFAULT_SCOPE
    return {"period": _("%(first)d to %(last)d", first=scope.first_year, last=scope.last_year),
            "question_set": _("Core set: only the questions marked as core") if scope.core_only
            else _("Full questionnaire: every question")}
