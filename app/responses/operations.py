"""Saving answers as revisions, reconstructing any revision, and moving through the workflow.

Operations flush and never commit: the route commits once, so a failure leaves nothing half-done.
"""
from collections import OrderedDict
from dataclasses import dataclass
from threading import Lock
from typing import Any

import sqlalchemy as sa
from sqlalchemy import func, select, text, update
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.audit import record_event
from app.auth.models import User
from app.cycles.models import ReportingCycle
from app.database import utcnow
from app.extensions import db
from app.questionnaires.answers import is_answered
from app.questionnaires.checks import WARNING, Finding
from app.questionnaires.schema import Question, Questionnaire
from app.responses.models import AnswerChange, FigureConfirmation, Response, Revision
from app.responses.workflow import EDITABLE, Action, Status, next_status
from app.states.models import State

#: How long a save waits for another save of the same response on PostgreSQL.
LOCK_TIMEOUT = "10s"


class ResponseLocked(Exception):
    """The response is submitted or accepted: answers cannot change until it is returned."""


@dataclass(frozen=True)
class AnswerState:
    """An answer as it stood at some revision."""

    value: Any
    confidential: bool
    #: The revision that last changed it (the version an editor loaded).
    revision_number: int


def answer_states_at(response_id: int, number: int | None = None) -> dict[str, AnswerState]:
    """Every answer (including cleared ones) as it stood at revision ``number`` (default:
    latest), in one query: for each question, its change with the highest revision <= number."""
    scope = [AnswerChange.response_id == response_id]
    if number is not None:
        scope.append(AnswerChange.revision_number <= number)
    latest = (
        select(AnswerChange.question_id, func.max(AnswerChange.revision_number).label("number"))
        .where(*scope)
        .group_by(AnswerChange.question_id)
        .subquery()
    )
    rows = db.session.execute(
        select(AnswerChange.question_id, AnswerChange.value, AnswerChange.confidential,
               AnswerChange.revision_number).join(
            latest,
            (AnswerChange.question_id == latest.c.question_id)
            & (AnswerChange.revision_number == latest.c.number),
        ).where(AnswerChange.response_id == response_id)
    )
    return {qid: AnswerState(value, confidential, revision) for qid, value, confidential, revision in rows}


#: The answers of recently read responses at their latest revision known here: (response id,
#: created at) -> (revision number, answers). Revisions never change once stored (the database
#: refuses it), so what was read stays true, and a later revision only adds its changes.
_current: OrderedDict[tuple, tuple[int, dict[str, AnswerState]]] = OrderedDict()
_current_lock = Lock()
#: How many responses' answers a process keeps (193 States in a cycle or two).
CURRENT_KEPT = 1000


def _changes_after(response_id: int, after: int, upto: int) -> list[tuple]:
    return list(db.session.execute(
        select(AnswerChange.question_id, AnswerChange.value, AnswerChange.confidential, AnswerChange.revision_number)
        .where(AnswerChange.response_id == response_id, AnswerChange.revision_number > after,
               AnswerChange.revision_number <= upto)
        .order_by(AnswerChange.revision_number)))


#: ``db.session.info`` key: responses this transaction added a revision to. Until it commits those
#: revisions may yet vanish, so their answers are read whole and not kept.
WRITTEN = "responses_written"


def _forget_written(session, *args) -> None:
    session.info.pop(WRITTEN, None)


for _event in ("after_commit", "after_rollback"):
    if not sa.event.contains(db.session, _event, _forget_written):
        sa.event.listen(db.session, _event, _forget_written)


def current_states(response: Response) -> dict[str, AnswerState]:
    """Every answer of ``response`` at its revision ``revision_count`` (the latest when the row
    was read; under ``lock_response``, the latest for sure): from what this process read of it
    before and the changes of the revisions since, in one small query, or read whole."""
    key, latest = (response.id, response.created_at), response.revision_count
    if response.id in db.session.info.get(WRITTEN, ()):
        return answer_states_at(response.id, latest)
    with _current_lock:
        known = _current.get(key)
    if known is not None and known[0] == latest:
        states = known[1]
    elif known is not None and known[0] < latest:
        states = dict(known[1])
        for qid, value, confidential, number in _changes_after(response.id, known[0], latest):
            states[qid] = AnswerState(value, confidential, number)
    else:
        states = answer_states_at(response.id, latest)
    with _current_lock:
        _current[key] = (latest, states)
        _current.move_to_end(key)
        while len(_current) > CURRENT_KEPT:
            _current.popitem(last=False)
    return dict(states)


def values_of(states: dict[str, AnswerState]) -> dict[str, Any]:
    """The values of answer states, leaving out cleared answers."""
    return {qid: state.value for qid, state in states.items() if state.value is not None}


def confidential_of(states: dict[str, AnswerState]) -> set[str]:
    """Ids of the answer states marked confidential."""
    return {qid for qid, state in states.items() if state.confidential}


def answers_at(response_id: int, number: int | None = None) -> dict[str, Any]:
    """Every answered question's value at revision ``number`` (default: latest)."""
    return values_of(answer_states_at(response_id, number))


def confidential_at(response_id: int, number: int | None = None) -> set[str]:
    """Ids of the answers marked confidential at revision ``number`` (default: latest)."""
    return confidential_of(answer_states_at(response_id, number))


def lock_response(response: Response) -> Response:
    """Take the response for writing until the transaction ends, and reload it: a save reads
    the answers it merges with only after this, so no other save can slip in between. On
    PostgreSQL the row is locked (FOR UPDATE, waiting at most ``LOCK_TIMEOUT``); on SQLite a
    writing transaction already holds the database's write lock (app/database.py)."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'"))
    return db.session.scalars(select(Response).where(Response.id == response.id).with_for_update(of=Response)
                              .execution_options(populate_existing=True)).one()


def _add_revision(response: Response, action: Action, author: User,
                  changes: dict[str, tuple[Any, bool]], restored_from: int | None = None,
                  imported_from: str | None = None) -> Revision:
    """Append revision ``n+1``. The counter is bumped with one UPDATE so that two concurrent
    saves can never take the same number (the unique constraint backs this up)."""
    before = response.status_enum
    after = next_status(action, before)
    number = db.session.execute(
        update(Response)
        .where(Response.id == response.id)
        .values(revision_count=Response.revision_count + 1, status=after.value, updated_at=utcnow())
        .returning(Response.revision_count)
    ).scalar_one()
    revision = Revision(response_id=response.id, number=number, kind=action.value,
                        status_before=before.value, status=after.value, author=author,
                        change_count=len(changes), restored_from=restored_from, imported_from=imported_from)
    db.session.add(revision)
    db.session.flush()
    db.session.info.setdefault(WRITTEN, set()).add(response.id)
    db.session.add_all(AnswerChange(response_id=response.id, revision_number=number, question_id=qid,
                                    value=value, confidential=confidential)
                       for qid, (value, confidential) in changes.items())
    db.session.flush()
    # What the UPDATE wrote, without reading the row again.
    for name, value in (("revision_count", number), ("status", after.value)):
        set_committed_value(response, name, value)
    _record(revision, response.state_code)
    return revision


def _record(revision: Revision, state_code: str) -> None:
    """Every revision (save, submit, return, accept...) goes to the audit log as response_<kind>."""
    record_event(f"response_{revision.kind}", user=revision.author, state_code=state_code,
                 response_id=revision.response_id,
                 details={"revision": revision.number, "answers_changed": revision.change_count})


def create_response(state: State, cycle: ReportingCycle, author: User, values: dict[str, Any],
                    confidential: set[str] = frozenset(), imported_from: str | None = None) -> Revision:
    response = Response(state=state, cycle=cycle, questionnaire_version_id=cycle.questionnaire_version_id,
                        status=Status.DRAFT.value, revision_count=1)
    db.session.add(response)
    db.session.flush()
    db.session.info.setdefault(WRITTEN, set()).add(response.id)
    changes = {qid: value for qid, value in values.items() if is_answered(value) or qid in confidential}
    revision = Revision(response_id=response.id, number=1, kind=Action.CREATE.value, status_before=None,
                        status=Status.DRAFT.value, author=author, change_count=len(changes),
                        imported_from=imported_from)
    db.session.add(revision)
    db.session.flush()
    db.session.add_all(AnswerChange(response_id=response.id, revision_number=1, question_id=qid,
                                    value=value if is_answered(value) else None, confidential=qid in confidential)
                       for qid, value in changes.items())
    db.session.flush()
    _record(revision, state.code)
    return revision


def _pair(states: dict[str, AnswerState], qid: str) -> tuple[Any, bool]:
    """(value, confidential) of an answer; (None, False) for one never given."""
    state = states.get(qid)
    return (state.value, state.confidential) if state else (None, False)


def answer_changes(current: dict[str, AnswerState], values: dict[str, Any],
                   confidential: dict[str, bool]) -> dict[str, tuple[Any, bool]]:
    """(value, confidential) of each answer in ``values`` or ``confidential`` that differs from
    ``current``; an empty answer is stored as None (cleared)."""
    changes = {}
    for qid in values.keys() | confidential.keys():
        old_value, old_flag = _pair(current, qid)
        value = values[qid] if qid in values else old_value
        value = value if is_answered(value) else None
        flag = confidential.get(qid, old_flag)
        if (value, flag) != (old_value, old_flag):
            changes[qid] = (value, flag)
    return changes


def save_answers(response: Response, author: User, values: dict[str, Any],
                 confidential: dict[str, bool] | None = None) -> Revision | None:
    """Store, as one revision, the answers in ``values`` (and the confidentiality marks in
    ``confidential``) that differ from the current ones, whoever changed them last (forms that
    know what their editor loaded use ``merge.save_edits``). Returns None when nothing changed."""
    response = lock_response(response)
    if response.status_enum not in EDITABLE:
        raise ResponseLocked(response.status)
    changes = answer_changes(current_states(response), values, confidential or {})
    if not changes:
        return None
    return _add_revision(response, Action.SAVE, author, changes)


def restore_revision(response: Response, author: User, number: int,
                     question_id: str | None = None) -> Revision | None:
    """Bring back the answers of revision ``number`` (all of them, or only ``question_id``'s) as a
    new revision; history is never rewritten. Returns None when they already stand."""
    response = lock_response(response)
    if response.status_enum not in EDITABLE:
        raise ResponseLocked(response.status)
    old, current = answer_states_at(response.id, number), current_states(response)
    ids = {question_id} if question_id else old.keys() | current.keys()
    changes = {qid: _pair(old, qid) for qid in ids if _pair(old, qid) != _pair(current, qid)}
    if not changes:
        return None
    return _add_revision(response, Action.RESTORE, author, changes, restored_from=number)


def change_status(response: Response, action: Action, author: User) -> Revision:
    """Submit, return, accept or publish: a revision with no answer changes."""
    return _add_revision(lock_response(response), action, author, {})


def missing_required(questionnaire: Questionnaire, answers: dict[str, Any]) -> list[Question]:
    """Required questions that apply under the display conditions and have no answer."""
    return [
        question
        for section in questionnaire.sections
        for question in section.questions
        if question.required and questionnaire.applies(question, answers) and not is_answered(answers.get(question.id))
    ]


def confirmations_of(response_id: int) -> dict[str, FigureConfirmation]:
    """Every confirmation given in the response, by the fingerprint of the figures it confirms."""
    return {c.fingerprint: c for c in db.session.scalars(
        select(FigureConfirmation).where(FigureConfirmation.response_id == response_id)
        .options(joinedload(FigureConfirmation.confirmed_by)))}


def confirm_figures(response: Response, author: User, findings: list[Finding], ticked: set[str]) -> int:
    """Record the respondent's confirmation of the warnings ticked, for the figures of the latest
    revision. A box ticked for figures that have since changed confirms nothing. Returns how
    many confirmations were added."""
    known = confirmations_of(response.id)
    new = [f for f in findings if f.level == WARNING and f.fingerprint in ticked and f.fingerprint not in known]
    db.session.add_all(FigureConfirmation(response_id=response.id, revision_number=response.revision_count,
                                          question_id=f.question_id, fingerprint=f.fingerprint, confirmed_by=author)
                       for f in new)
    db.session.flush()
    return len(new)


def section_progress(questionnaire: Questionnaire, answers: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """(answered, applicable) per section id, counting only questions that apply."""
    progress = {}
    for section in questionnaire.sections:
        applicable = [q for q in section.questions if questionnaire.applies(q, answers)]
        answered = sum(1 for q in applicable if is_answered(answers.get(q.id)))
        progress[section.id] = (answered, len(applicable))
    return progress


def overall_progress(progress: dict[str, tuple[int, int]]) -> tuple[int, int]:
    """(answered, applicable) over all sections, from ``section_progress``."""
    return sum(answered for answered, _ in progress.values()), sum(total for _, total in progress.values())


def revisions_of(response_id: int, before: int | None = None, limit: int | None = None,
                 numbers: list[int] | None = None) -> list[Revision]:
    """The response's revisions, newest first; with ``before``, only those numbered below it;
    with ``numbers``, only those."""
    query = select(Revision).where(Revision.response_id == response_id).options(joinedload(Revision.author))
    if before is not None:
        query = query.where(Revision.number < before)
    if numbers is not None:
        query = query.where(Revision.number.in_(numbers))
    return list(db.session.scalars(query.order_by(Revision.number.desc()).limit(limit)))


def changed_questions(response_id: int, numbers: list[int]) -> dict[int, list[str]]:
    """The ids of the questions each of the revisions ``numbers`` changed, in one query."""
    rows = db.session.execute(
        select(AnswerChange.revision_number, AnswerChange.question_id)
        .where(AnswerChange.response_id == response_id, AnswerChange.revision_number.in_(numbers))
    )
    changed = {number: [] for number in numbers}
    for number, question_id in rows:
        changed[number].append(question_id)
    return changed


def get_revision(response_id: int, number: int) -> Revision | None:
    return db.session.scalar(select(Revision).filter_by(response_id=response_id, number=number))


def latest_submitted_number(response_id: int) -> int | None:
    """The newest revision that was submitted (or later accepted/published), if any."""
    return db.session.scalar(
        select(func.max(Revision.number)).where(
            Revision.response_id == response_id,
            Revision.kind.in_([Action.SUBMIT.value, Action.ACCEPT.value, Action.PUBLISH.value]),
        )
    )
