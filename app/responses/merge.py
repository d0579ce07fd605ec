"""Saving what one editor changed while others edit the same response (optimistic concurrency).

Each field of a section form carries the revision at which its answer was loaded (its
``AnswerState.revision_number``, 0 for an answer never given). On save, under the response's
lock (``operations.lock_response``):

- an answer nobody else changed since it was loaded is saved;
- an answer someone else changed, that this editor left as loaded, keeps their value silently;
- an answer both changed, to different values, is a ``Conflict``: nothing is written for it and
  the editor is shown both values to choose from.
"""
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import joinedload

from app.auth.models import User
from app.extensions import db
from app.questionnaires.answers import is_answered
from app.responses.models import AnswerChange, Response, Revision
from app.responses.operations import (
    AnswerState,
    ResponseLocked,
    _add_revision,
    answer_changes,
    current_states,
    lock_response,
)
from app.responses.workflow import EDITABLE, Action


@dataclass(frozen=True)
class Conflict:
    """An answer the editor changed that someone else changed first, since the editor loaded it."""

    question_id: str
    #: What the editor sent (validated, None for empty).
    mine: Any
    #: The answer as it stands, and the revision that wrote it (its author and time).
    theirs: AnswerState
    revision: Revision


@dataclass
class SaveOutcome:
    revision: Revision | None
    #: Questions whose answer this save wrote.
    saved: set[str] = field(default_factory=set)
    #: For each question whose stored answer is now what the editor sent: the revision that
    #: wrote it, the version the editor's page holds from now on.
    versions: dict[str, int] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    #: Questions changed by someone else, not by this editor: their answer was kept.
    kept_theirs: set[str] = field(default_factory=set)
    #: Every answer of the response after the save (cleared ones left out).
    answers: dict[str, Any] = field(default_factory=dict)


def _normal(value: Any) -> Any:
    return value if is_answered(value) else None


def values_at_versions(response_id: int, versions: dict[str, int]) -> dict[str, Any]:
    """The value each question had at the revision given for it (which changed it), in one query."""
    wanted = [(qid, number) for qid, number in versions.items() if number > 0]
    if not wanted:
        return {}
    rows = db.session.execute(
        select(AnswerChange.question_id, AnswerChange.value).where(
            AnswerChange.response_id == response_id,
            tuple_(AnswerChange.question_id, AnswerChange.revision_number).in_(wanted))
    )
    return dict(rows.all())


def revisions_of(response_id: int, numbers: set[int]) -> dict[int, Revision]:
    """The revisions numbered ``numbers``, with their authors."""
    if not numbers:
        return {}
    return {r.number: r for r in db.session.scalars(
        select(Revision).where(Revision.response_id == response_id, Revision.number.in_(numbers))
        .options(joinedload(Revision.author)))}


def _classify(current: dict[str, AnswerState], values: dict[str, Any], loaded: dict[str, int],
              base: dict[str, Any]) -> tuple[dict[str, Any], set[str], set[str]]:
    """(values to write, conflicting ids, ids whose newer answer is kept) for ``values``."""
    writes, conflicting, kept = {}, set(), set()
    for qid, value in values.items():
        state = current.get(qid)
        theirs, stamp = (state.value, state.revision_number) if state else (None, 0)
        mine = _normal(value)
        if qid not in loaded or stamp <= loaded[qid] or mine == theirs:
            writes[qid] = mine
        elif mine == _normal(base.get(qid)):
            kept.add(qid)
        elif theirs == _normal(base.get(qid)):  # changed and changed back: nothing to choose between
            writes[qid] = mine
        else:
            conflicting.add(qid)
    return writes, conflicting, kept


def classify_edits(response_id: int, current: dict[str, AnswerState], values: dict[str, Any],
                   loaded: dict[str, int]) -> tuple[set[str], set[str]]:
    """(conflicting ids, ids whose newer answer would be kept) of ``values``: what ``save_edits``
    would find, without writing (a preview of an import)."""
    stale = {qid: loaded[qid] for qid in values if qid in loaded and qid in current
             and current[qid].revision_number > loaded[qid]}
    _writes, conflicting, kept = _classify(current, values, loaded, values_at_versions(response_id, stale))
    return conflicting, kept


def locked_states(response: Response) -> tuple[Response, dict[str, AnswerState]]:
    """Lock the response for writing (``lock_response``), refuse it unless editable, and read its
    answers as they stand under the lock: what a save merges with."""
    response = lock_response(response)
    if response.status_enum not in EDITABLE:
        raise ResponseLocked(response.status)
    return response, current_states(response)


def save_edits(response: Response, author: User, values: dict[str, Any], loaded: dict[str, int],
               keep_theirs: frozenset[str] = frozenset(),
               confidential: dict[str, bool] | None = None,
               current: dict[str, AnswerState] | None = None,
               imported_from: str | None = None) -> SaveOutcome:
    """Save ``values`` as one revision, merged with what others saved since the editor loaded each
    answer (``loaded``: question id -> revision; a question missing from it is saved whatever
    happened meanwhile). ``keep_theirs``: conflicts the editor settled for the other value.
    ``current``: the answers read under the lock by ``locked_states`` (read here otherwise).
    ``imported_from``: the workbooks the values come from, noted on the revision."""
    if current is None:
        response, current = locked_states(response)
    values = {qid: value for qid, value in values.items() if qid not in keep_theirs}
    stale = {qid: loaded[qid] for qid in values if qid in loaded and qid in current
             and current[qid].revision_number > loaded[qid]}
    writes, conflicting, kept = _classify(current, values, loaded, values_at_versions(response.id, stale))
    marks = {qid: flag for qid, flag in (confidential or {}).items() if qid not in conflicting | keep_theirs}
    changes = answer_changes(current, writes, marks)
    revision = _add_revision(response, Action.SAVE, author, changes, imported_from=imported_from) if changes else None
    authors = revisions_of(response.id, {current[qid].revision_number for qid in conflicting})
    conflicts = [Conflict(qid, _normal(values[qid]), current[qid], authors[current[qid].revision_number])
                 for qid in sorted(conflicting)]
    versions = {qid: revision.number if qid in changes else current[qid].revision_number if qid in current else 0
                for qid in writes}
    answers = {qid: state.value for qid, state in current.items() if state.value is not None}
    answers.update({qid: value for qid, (value, _flag) in changes.items()})
    return SaveOutcome(revision, set(changes), versions, conflicts, kept,
                       {qid: value for qid, value in answers.items() if value is not None})
