"""Every action from every status: the legal transitions (TRANSITIONS) succeed, every other is
refused by the code and, should code try one anyway, by the database: the CHECK constraint on
each revision's step, the foreign key that makes a revision start from the status the previous
one ended in, and the foreign key and triggers that keep a response's status at its latest
revision's."""
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
#: The legal steps that bring a response (created, then saved once) to each status.
PATHS = {
    Status.DRAFT: (),
    Status.SUBMITTED: (Action.SUBMIT,),
    Status.RETURNED: (Action.SUBMIT, Action.RETURN),
    Status.ACCEPTED: (Action.SUBMIT, Action.ACCEPT),
    Status.PUBLISHED: (Action.SUBMIT, Action.ACCEPT, Action.PUBLISH),
}
#: Each legal step from an existing status, tried from every other status.
MISPLACED = [(action, before, actual) for (action, before) in TRANSITIONS if before is not None
             for actual in Status if actual is not before]


@pytest.fixture
def response_in(cycle):
    """``response_in(status)``: France's response, created and saved once, then brought to
    ``status`` through the workflow."""
    def make(status):
        author = factories.user("focal_point", "FRA")
        reviewer = factories.user("secretariat")
        ops.create_response(db.session.get(State, "FRA"), cycle, author, {"crim_law": "Act 1"})
        response = db.session.scalar(select(Response))
        ops.save_answers(response, author, {"crim_law": "Act 2"})
        for action in PATHS[status]:
            ops.change_status(response, action, author if action is Action.SUBMIT else reviewer)
        db.session.commit()
        db.session.refresh(response)
        assert response.status == status.value
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
    count = response.revision_count
    after = TRANSITIONS.get((action, status))
    if after is None:
        refusal = ops.ResponseLocked if action in (Action.SAVE, Action.RESTORE) else TransitionError
        with pytest.raises(refusal):
            _take(response, author, action)
        db.session.rollback()
        assert db.session.get(Response, response.id).revision_count == count
        return
    revision = _take(response, author, action)
    db.session.commit()
    assert (revision.kind, revision.status_before, revision.status) == (action.value, status.value, after.value)
    assert (revision.number, revision.previous_number) == (count + 1, count)
    assert response.status == after.value and response.revision_count == count + 1


def _append(response, author, kind, before, after):
    """Behind the workflow's back: revision n+1, with the response raised to it, as a save does."""
    number = response.revision_count + 1
    db.session.execute(update(Response).where(Response.id == response.id)
                       .values(revision_count=number, status=after.value))
    db.session.execute(sa.insert(Revision).values(
        response_id=response.id, number=number, kind=kind.value, status_before=before.value, status=after.value,
        author_id=author.id, change_count=0, restored_from=1 if kind is Action.RESTORE else None))
    db.session.commit()


@pytest.mark.parametrize("action, status", CASES, ids=[f"{a.value}-from-{s.value}" for a, s in CASES])
def test_the_database_refuses_what_the_workflow_does_not_allow(response_in, action, status):
    """From the status the response is in, only the steps of TRANSITIONS are stored."""
    response, author = response_in(status)
    after = TRANSITIONS.get((action, status), Status.DRAFT if status is not Status.DRAFT else Status.ACCEPTED)
    if (action, status) in TRANSITIONS:
        _append(response, author, action, status, after)
        assert db.session.get(Response, response.id).status == after.value
        return
    with pytest.raises(sa.exc.IntegrityError, match="legal_transition"):
        _append(response, author, action, status, after)
    db.session.rollback()


@pytest.mark.parametrize("action, before, actual", MISPLACED,
                         ids=[f"{a.value}-from-{b.value}-on-{s.value}" for a, b, s in MISPLACED])
def test_the_database_refuses_a_step_from_a_status_the_response_is_not_in(response_in, action, before, actual):
    """A legal step (an accept from submitted...) on a response in another status (a draft): the
    revision does not start where the previous one ended."""
    response, author = response_in(actual)
    count = response.revision_count
    with pytest.raises(sa.exc.IntegrityError):
        _append(response, author, action, before, TRANSITIONS[(action, before)])
    db.session.rollback()
    assert db.session.get(Response, response.id).revision_count == count


@pytest.mark.parametrize("status", list(Status), ids=[s.value for s in Status])
def test_the_status_changes_only_with_a_revision(response_in, status):
    """UPDATE responses SET status = ... is refused at commit, with or without a counter raised
    to a revision that does not exist."""
    response, _ = response_in(Status.ACCEPTED if status is not Status.ACCEPTED else Status.DRAFT)
    for values in ({"status": status.value},
                   {"status": status.value, "revision_count": response.revision_count + 1}):
        db.session.execute(update(Response).where(Response.id == response.id).values(**values))
        with pytest.raises(sa.exc.IntegrityError):
            db.session.commit()
        db.session.rollback()


def test_a_revision_is_added_only_as_the_latest(response_in):
    """Adding revision n+1 without raising the response to it, or lowering the response's
    counter to an earlier revision, would leave the response's status behind its history."""
    response, author = response_in(Status.DRAFT)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.insert(Revision).values(
            response_id=response.id, number=3, kind="submit", status_before="draft", status="submitted",
            author_id=author.id, change_count=0))
    db.session.rollback()
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(update(Response).where(Response.id == response.id).values(revision_count=1))
    db.session.rollback()


def test_a_restore_must_name_an_earlier_revision(response_in):
    response, author = response_in(Status.DRAFT)
    db.session.execute(update(Response).where(Response.id == response.id).values(revision_count=3))
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
    db.session.rollback()
