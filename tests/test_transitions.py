"""Every action from every status: the legal transitions (TRANSITIONS) succeed, every other is
refused by the code and, should code try one anyway, by the database's CHECK constraint."""
import itertools

import pytest
import sqlalchemy as sa
from sqlalchemy import select, update

from app.extensions import db
from app.responses import operations as ops
from app.responses.models import Response, Revision
from app.responses.workflow import TRANSITIONS, Action, Status, TransitionError
from app.states.models import State
from tests import factories

#: Actions on an existing response, from each status it can be in.
CASES = list(itertools.product([a for a in Action if a is not Action.CREATE], Status))


@pytest.fixture
def response_in(cycle):
    """``response_in(status)``: France's response with two revisions, now in ``status``."""
    def make(status):
        author = factories.user("focal_point", "FRA")
        ops.create_response(db.session.get(State, "FRA"), cycle, author, {"crim_law": "Act 1"})
        response = db.session.scalar(select(Response))
        ops.save_answers(response, author, {"crim_law": "Act 2"})
        db.session.execute(update(Response).values(status=status.value))
        db.session.commit()
        db.session.refresh(response)
        return response, author
    return make


def _take(response, author, action):
    if action is Action.SAVE:
        return ops.save_answers(response, author, {"crim_law": "Act 3"})
    if action is Action.RESTORE:
        return ops.restore_revision(response, author, 1)
    return ops.change_status(response, action, author)


@pytest.mark.parametrize("action, status", CASES, ids=[f"{a.value}-from-{s.value}" for a, s in CASES])
def test_each_action_from_each_status(response_in, action, status):
    response, author = response_in(status)
    after = TRANSITIONS.get((action, status))
    if after is None:
        refusal = ops.ResponseLocked if action in (Action.SAVE, Action.RESTORE) else TransitionError
        with pytest.raises(refusal):
            _take(response, author, action)
        db.session.rollback()
        assert db.session.get(Response, response.id).revision_count == 2
        return
    revision = _take(response, author, action)
    db.session.commit()
    assert (revision.kind, revision.status_before, revision.status) == (action.value, status.value, after.value)
    assert response.status == after.value and response.revision_count == 3


@pytest.mark.parametrize("action, status", CASES, ids=[f"{a.value}-from-{s.value}" for a, s in CASES])
def test_the_database_refuses_what_the_workflow_does_not_allow(response_in, action, status):
    response, author = response_in(Status.DRAFT)
    after = TRANSITIONS.get((action, status), Status.DRAFT if status is not Status.DRAFT else Status.ACCEPTED)
    insert = sa.insert(Revision).values(
        response_id=response.id, number=3, kind=action.value, status_before=status.value, status=after.value,
        author_id=author.id, change_count=0, restored_from=1 if action is Action.RESTORE else None)
    savepoint = db.session.begin_nested()
    if (action, status) in TRANSITIONS:
        db.session.execute(insert)
        savepoint.commit()
        return
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(insert)
    savepoint.rollback()


def test_a_restore_must_name_an_earlier_revision(response_in):
    response, author = response_in(Status.DRAFT)
    for restored_from in (None, 3, 7):
        savepoint = db.session.begin_nested()
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(sa.insert(Revision).values(
                response_id=response.id, number=3, kind="restore", status_before="draft", status="draft",
                author_id=author.id, change_count=0, restored_from=restored_from))
        savepoint.rollback()
    savepoint = db.session.begin_nested()
    with pytest.raises(sa.exc.IntegrityError):  # only restores name a source
        db.session.execute(sa.insert(Revision).values(
            response_id=response.id, number=3, kind="save", status_before="draft", status="draft",
            author_id=author.id, change_count=0, restored_from=1))
    savepoint.rollback()
