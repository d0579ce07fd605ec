"""A State's answers side by side with its answers in the previous cycle, matched by the
questions' stable ids (a question keeps its id, and its meaning, across versions). A changed
answer carries the diff the history of revisions shows (``app.responses.diff``): texts word by
word, tables cell by cell, lists entry by entry."""
from dataclasses import dataclass, field

from sqlalchemy import or_, select

from app.analysis.dataset import ALL_STATUSES, Scope, visible
from app.cycles.models import ReportingCycle, cycle_questionnaire
from app.extensions import db
from app.questionnaires.answers import is_answered
from app.questionnaires.schema import Question, Questionnaire, Section
from app.responses.access import ResponseContext
from app.responses.diff import QuestionDiff, question_diff
from app.responses.models import Response
from app.responses.operations import AnswerState, answer_states_at

#: The State itself and the secretariat see every answer, confidential ones included.
OWN_VIEW = Scope(ALL_STATUSES, confidential=True)


@dataclass(frozen=True)
class Compared:
    question: Question
    current: AnswerState | None
    #: The question as the previous cycle's questionnaire defined it (None: not asked then).
    previous_question: Question | None
    previous: AnswerState | None
    #: How the answer changed, for a question asked in both cycles (None when it did not).
    diff: QuestionDiff | None = None

    @property
    def changed(self) -> bool:
        return _value(self.current) != _value(self.previous)


@dataclass
class Comparison:
    previous_cycle: ReportingCycle | None
    previous_status: str | None
    sections: list[tuple[Section, list[Compared]]] = field(default_factory=list)
    #: Questions answered in the previous cycle that the current questionnaire no longer asks.
    dropped: list[Compared] = field(default_factory=list)

    @property
    def asked_count(self) -> int:
        return sum(len(rows) for _, rows in self.sections)

    @property
    def changed_count(self) -> int:
        return sum(row.changed for _, rows in self.sections for row in rows)

    def shown(self, everything: bool) -> list[tuple[Section, list[Compared]]]:
        """The sections with the rows to show: every row, or the changed ones only."""
        if everything:
            return [(section, rows) for section, rows in self.sections if rows]
        changed = [(section, [row for row in rows if row.changed]) for section, rows in self.sections]
        return [(section, rows) for section, rows in changed if rows]


def _value(state: AnswerState | None):
    return state.value if state is not None and is_answered(state.value) else None


def _compared(question: Question, current: AnswerState | None, previous_question: Question | None,
              previous: AnswerState | None, locale: str) -> Compared:
    old, new = _value(previous), _value(current)
    diff = question_diff(question, old, new, locale) if old != new and previous_question is not None else None
    return Compared(question, current, previous_question, previous, diff)


def previous_cycle(cycle: ReportingCycle) -> ReportingCycle | None:
    return db.session.scalar(
        select(ReportingCycle)
        .where(or_(ReportingCycle.opens_on < cycle.opens_on,
                   (ReportingCycle.opens_on == cycle.opens_on) & (ReportingCycle.id < cycle.id)))
        .order_by(ReportingCycle.opens_on.desc(), ReportingCycle.id.desc()).limit(1)
    )


def _answers(response_id: int | None, questionnaire: Questionnaire) -> dict[str, AnswerState]:
    return visible(questionnaire, answer_states_at(response_id), OWN_VIEW) if response_id else {}


def _previous_response(cycle: ReportingCycle, state_code: str) -> tuple[int, str] | None:
    return db.session.execute(
        select(Response.id, Response.status).where(
            Response.cycle_id == cycle.id, Response.state_code == state_code,
            Response.questionnaire_version_id == cycle.questionnaire_version_id)
    ).first()


def compare(ctx: ResponseContext, locale: str) -> Comparison:
    current = _answers(ctx.response.id if ctx.response else None, ctx.questionnaire)
    values = {qid: state.value for qid, state in current.items()}
    before = previous_cycle(ctx.cycle)
    old_questions = cycle_questionnaire(before).questions if before else {}
    found = _previous_response(before, ctx.state.code) if before else None
    previous = _answers(found[0], cycle_questionnaire(before)) if found else {}
    comparison = Comparison(before, found[1] if found else None)
    for section in ctx.questionnaire.sections:
        rows = [_compared(q, current.get(q.id), old_questions.get(q.id), previous.get(q.id), locale)
                for q in section.questions if ctx.questionnaire.applies(q, values) or q.id in previous]
        comparison.sections.append((section, rows))
    comparison.dropped = [Compared(question, None, question, previous[qid]) for qid, question in old_questions.items()
                          if qid in previous and qid not in ctx.questionnaire.questions]
    return comparison
