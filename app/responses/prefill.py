"""A new cycle's response starts from the State's last accepted answers.

When a State user starts a cycle's response (the overview's "Start" button, or the first save
of a section), the State's most recent accepted (or published) answers of an earlier cycle are
copied into revision 1 (a ``create`` revision), matched by the questions' stable ids. Doing it
then, rather than for every State when the cycle opens, gives the revision a real author (the
State's own user) and copies nothing for States that never report. Questions that are new
since that cycle, or whose definition changed (their canonical JSON differs), are marked for
the State to check. Reading a page never starts a response: a GET writes nothing."""
from dataclasses import dataclass, field

from sqlalchemy import func, select

from app.auth.models import User
from app.cycles.models import ReportingCycle
from app.extensions import db
from app.questionnaires.loader import canonical_question
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.schema import Questionnaire
from app.questionnaires.versions import questionnaire_for
from app.responses.access import ResponseContext
from app.responses.models import Response, ResponsePrefill, Revision
from app.responses.operations import answer_states_at, create_response
from app.responses.workflow import Action

NEW, CHANGED = "new", "changed"
#: Revisions whose answers count as accepted.
ACCEPTED_KINDS = (Action.ACCEPT.value, Action.PUBLISH.value)


@dataclass(frozen=True)
class Prefill:
    source_cycle: ReportingCycle
    #: Question id -> NEW or CHANGED, for the questions to check.
    marks: dict[str, str] = field(default_factory=dict)


def question_marks(new: Questionnaire, old: Questionnaire) -> dict[str, str]:
    """Questions of the new definition that the old one did not ask (NEW) or defined
    differently, in any language or any setting (CHANGED): their canonical JSON differs."""
    return {qid: NEW if qid not in old.questions else CHANGED
            for qid, question in new.questions.items()
            if qid not in old.questions or canonical_question(question) != canonical_question(old.questions[qid])}


def accepted_source(state_code: str, cycle: ReportingCycle) -> tuple[int, int, ReportingCycle] | None:
    """(response id, revision number, cycle) of the State's latest accepted answers in a cycle
    opened before this one, in one query."""
    row = db.session.execute(
        select(Response.id, func.max(Revision.number), ReportingCycle)
        .join(Revision, Revision.response_id == Response.id)
        .join(ReportingCycle, ReportingCycle.id == Response.cycle_id)
        .where(Response.state_code == state_code, Revision.kind.in_(ACCEPTED_KINDS), ReportingCycle.id != cycle.id,
               ReportingCycle.opens_on <= cycle.opens_on)
        .group_by(Response.id, ReportingCycle.id)
        .order_by(ReportingCycle.opens_on.desc(), ReportingCycle.id.desc()).limit(1)
    ).first()
    return tuple(row) if row else None


def prefill_response(ctx: ResponseContext, author: User) -> Response | None:
    """Create the response from the State's last accepted answers; None when there are none.
    An answer is carried over when its question keeps its id and its type."""
    source = accepted_source(ctx.state.code, ctx.cycle)
    if source is None:
        return None
    source_id, number, source_cycle = source
    old_questions = questionnaire_for(source_cycle.questionnaire_version).questions
    questions = ctx.questionnaire.questions
    kept = {qid: state for qid, state in answer_states_at(source_id, number).items()
            if qid in questions and state.value is not None
            and old_questions.get(qid) and old_questions[qid].type == questions[qid].type}
    # A table keeps the years both reference periods share.
    values = {qid: questions[qid].answer_type.carried(questions[qid], state.value) for qid, state in kept.items()}
    values = {qid: value for qid, value in values.items() if value is not None}
    revision = create_response(ctx.state, ctx.cycle, author, values,
                               {qid for qid, s in kept.items() if s.confidential and qid in values})
    db.session.add(ResponsePrefill(response_id=revision.response_id, source_cycle_id=source_cycle.id,
                                   source_response_id=source_id, source_revision_number=number))
    db.session.flush()
    return db.session.get(Response, revision.response_id)


_marks_cache: dict[tuple, dict[str, str]] = {}


def _marks_between(new: QuestionnaireVersion, old: QuestionnaireVersion) -> dict[str, str]:
    """``question_marks`` of two stored versions, computed once per process (they never change)."""
    key = (new.id, new.checksum, old.id, old.checksum)
    if key not in _marks_cache:
        _marks_cache[key] = question_marks(questionnaire_for(new), questionnaire_for(old))
    return _marks_cache[key]


def prefill_of(response: Response | None) -> Prefill | None:
    """Where the response was prefilled from, and the questions to check; None if it was not."""
    if response is None:
        return None
    record = db.session.get(ResponsePrefill, response.id)
    if record is None:
        return None
    return Prefill(record.source_cycle, _marks_between(response.cycle.questionnaire_version,
                                                       record.source_cycle.questionnaire_version))


def start_response(ctx: ResponseContext, author: User) -> Response:
    """Create the cycle's response: prefilled from the State's last accepted answers when there
    are any, empty otherwise. Flushes; the caller commits (and, should two people start it at
    once, finds the other one's response after the unique constraint refuses the second)."""
    prefilled = prefill_response(ctx, author)
    if prefilled is not None:
        return prefilled
    revision = create_response(ctx.state, ctx.cycle, author, {})
    return db.session.get(Response, revision.response_id)
