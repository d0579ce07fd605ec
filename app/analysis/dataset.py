"""What the analysis reads: each State's answers as one audience may see them.

Every figure across States (the dashboard, the distributions, the CSV and XLSX exports and the
API) is built from ``state_answers``, so they cannot disagree, and the rule that keeps
confidential answers out of public data lives here and nowhere else.
"""
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select

from app.cycles.models import ReportingCycle
from app.extensions import db
from app.questionnaires.schema import Questionnaire
from app.responses.models import AnswerChange, Response
from app.responses.operations import AnswerState
from app.responses.workflow import Status
from app.states.models import State

ALL_STATUSES = tuple(status.value for status in Status)
#: The responses analysed by default: those the secretariat has accepted (and published).
DECIDED = (Status.ACCEPTED.value, Status.PUBLISHED.value)
#: States per answer query when streaming an export: memory stays flat whatever the total.
EXPORT_BATCH = 25


@dataclass(frozen=True)
class Scope:
    """Which responses an audience sees, and whether it sees answers marked confidential."""

    statuses: tuple[str, ...]
    confidential: bool

    @property
    def is_public(self) -> bool:
        return not self.confidential


#: Public data: published responses, without confidential answers.
PUBLIC = Scope((Status.PUBLISHED.value,), confidential=False)


def decided_scope(include_submitted: bool = False) -> Scope:
    """The secretariat's default view: accepted and published responses, submitted ones on request."""
    extra = (Status.SUBMITTED.value,) if include_submitted else ()
    return Scope(DECIDED + extra, confidential=True)


@dataclass(frozen=True)
class ResponseRow:
    """A response's identity and status, without its (large) questionnaire definition."""

    response_id: int
    state_code: str
    alpha2: str
    status: str
    revision: int
    updated_at: datetime


@dataclass(frozen=True)
class StateAnswers:
    response: ResponseRow
    #: Question id -> answer: only answered questions that apply, and only what the scope may see.
    answers: dict[str, AnswerState]


def responses_in(cycle: ReportingCycle, statuses: Iterable[str],
                 state_codes: Iterable[str] | None = None) -> list[ResponseRow]:
    """The cycle's responses in ``statuses`` (optionally of some States), by State code, in one query."""
    query = (
        select(Response.id, State.code, State.alpha2, Response.status, Response.revision_count,
               Response.updated_at)
        .join(State, State.code == Response.state_code)
        .where(Response.cycle_id == cycle.id, Response.questionnaire_version_id == cycle.questionnaire_version_id,
               Response.status.in_(list(statuses)))
        .order_by(State.code)
    )
    if state_codes is not None:
        query = query.where(State.code.in_(list(state_codes)))
    return [ResponseRow(*row) for row in db.session.execute(query)]


def latest_answers(response_ids: list[int], question_ids: Iterable[str] | None = None
                   ) -> dict[int, dict[str, AnswerState]]:
    """The current answer to every question of several responses, in one query: for each
    (response, question), the change with the highest revision number."""
    if not response_ids:
        return {}
    scope = [AnswerChange.response_id.in_(response_ids)]
    if question_ids is not None:
        scope.append(AnswerChange.question_id.in_(list(question_ids)))
    latest = (
        select(AnswerChange.response_id, AnswerChange.question_id,
               func.max(AnswerChange.revision_number).label("number"))
        .where(*scope).group_by(AnswerChange.response_id, AnswerChange.question_id).subquery()
    )
    rows = db.session.execute(
        select(AnswerChange.response_id, AnswerChange.question_id, AnswerChange.value, AnswerChange.confidential,
               AnswerChange.revision_number)
        .join(latest, and_(AnswerChange.response_id == latest.c.response_id,
                           AnswerChange.question_id == latest.c.question_id,
                           AnswerChange.revision_number == latest.c.number))
    )
    answers: dict[int, dict[str, AnswerState]] = {response_id: {} for response_id in response_ids}
    for response_id, question_id, value, confidential, number in rows:
        answers[response_id][question_id] = AnswerState(value, confidential, number)
    return answers


def visible(questionnaire: Questionnaire, answers: dict[str, AnswerState], scope: Scope) -> dict[str, AnswerState]:
    """The answered questions that apply, as ``scope`` may see them. A public scope loses the
    confidential answers first, and conditions are judged on what is left: a follow-up to a
    withheld answer is withheld too, since it would hint at the answer it follows."""
    if scope.is_public:
        answers = {qid: state for qid, state in answers.items() if not state.confidential}
    values = {qid: state.value for qid, state in answers.items() if state.value is not None}
    return {qid: answers[qid] for qid in values
            if qid in questionnaire.questions and questionnaire.applies(questionnaire.questions[qid], values)}


def with_conditions(questionnaire: Questionnaire, question_ids: Iterable[str]) -> set[str]:
    """The questions, plus those their display conditions depend on (to judge whether they apply)."""
    needed, pending = set(), list(question_ids)
    while pending:
        qid = pending.pop()
        if qid in needed or qid not in questionnaire.questions:
            continue
        needed.add(qid)
        condition = questionnaire.questions[qid].condition
        if condition is not None:
            pending.append(condition.question)
    return needed


def with_answers(rows: list[ResponseRow], questionnaire: Questionnaire, scope: Scope,
                 question_ids: Iterable[str] | None = None) -> list[StateAnswers]:
    """The visible answers of these responses, in one query."""
    needed = with_conditions(questionnaire, question_ids) if question_ids is not None else None
    answers = latest_answers([row.response_id for row in rows], needed)
    return [StateAnswers(row, visible(questionnaire, answers[row.response_id], scope)) for row in rows]


def state_answers(cycle: ReportingCycle, questionnaire: Questionnaire, scope: Scope,
                  state_codes: Iterable[str] | None = None, question_ids: Iterable[str] | None = None,
                  batch_size: int | None = None) -> Iterator[StateAnswers]:
    """Each State's visible answers, by State code. Without ``batch_size`` all answers come in one
    query; with it, a query per batch of States, so that an export never holds them all."""
    rows = responses_in(cycle, scope.statuses, state_codes)
    size = batch_size or max(len(rows), 1)
    for start in range(0, len(rows), size):
        yield from with_answers(rows[start:start + size], questionnaire, scope, question_ids)
