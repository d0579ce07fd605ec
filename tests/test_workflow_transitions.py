"""Every legal step of draft → submitted → returned → submitted → accepted → published, through
the pages that take it, and every illegal one refused: by the pages, by the workflow, and by
the database's CHECK constraint generated from the same table of transitions."""
import itertools

import pytest
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.responses import operations as ops
from app.responses.models import Response, Revision
from app.responses.workflow import TRANSITIONS, Action, Status, TransitionError, next_status
from tests import factories
from tests.helpers import overview_url, section_url
from tests.workflow_helpers import accept, fill_required, return_for_clarification, submit


def _status():
    db.session.expire_all()
    return db.session.scalar(db.select(Response.status))


def _kinds():
    return [(r.kind, r.status_before, r.status) for r in db.session.scalars(
        db.select(Revision).order_by(Revision.number))]


def test_each_legal_transition_through_the_pages(client, login, cycle):
    focal = factories.user("focal_point", "FRA")
    secretariat = factories.user("secretariat")
    login(focal)
    fill_required(client, cycle)                                   # create, then save a draft
    assert submit(client, cycle).status_code == 302                # draft -> submitted
    login(secretariat)
    assert return_for_clarification(client, cycle).status_code == 302  # submitted -> returned
    login(focal)
    client.post(section_url(cycle, "criminalization"), data={"q_crim_offence": "yes", "q_crim_law": "Act 12, art. 4"})
    assert submit(client, cycle).status_code == 302                # returned -> submitted
    login(secretariat)
    assert accept(client, cycle).status_code == 302                # submitted -> accepted
    response = db.session.scalar(db.select(Response))
    ops.change_status(response, Action.PUBLISH, secretariat)       # accepted -> published (its page: "pdf")
    db.session.commit()
    assert _status() == "published"
    assert _kinds() == [
        ("create", None, "draft"), ("save", "draft", "draft"), ("submit", "draft", "submitted"),
        ("return", "submitted", "returned"), ("save", "returned", "returned"), ("submit", "returned", "submitted"),
        ("accept", "submitted", "accepted"), ("publish", "accepted", "published"),
    ]


def test_illegal_steps_are_refused_by_the_pages(client, login, cycle):
    focal = factories.user("focal_point", "FRA")
    contributor = factories.user("contributor", "FRA")
    secretariat = factories.user("secretariat")
    login(focal)
    fill_required(client, cycle)
    login(secretariat)  # nothing to decide on a draft
    assert "Only a submitted response can be returned." in client.post(
        f"/review/cycles/{cycle.id}/states/FRA/return", data={"comment": "x"}, follow_redirects=True).text
    assert "Only a submitted response can be accepted." in client.post(
        f"/review/cycles/{cycle.id}/states/FRA/accept", follow_redirects=True).text
    login(contributor)
    assert submit(client, cycle).status_code == 403                # only the focal point submits
    login(focal)
    assert submit(client, cycle).status_code == 302
    assert "cannot be submitted in its current status" in client.post(
        overview_url(cycle) + "submit", follow_redirects=True).text  # submitted -> submitted
    _refused_save(client, cycle)
    assert return_for_clarification(client, cycle).status_code == 403  # a State does not review
    assert accept(client, cycle).status_code == 403
    login(secretariat)
    accept(client, cycle)
    assert "Only a submitted response can be returned." in client.post(
        f"/review/cycles/{cycle.id}/states/FRA/return", data={"comment": "x"}, follow_redirects=True).text
    assert "Only a submitted response can be accepted." in client.post(
        f"/review/cycles/{cycle.id}/states/FRA/accept", follow_redirects=True).text
    login(focal)
    _refused_save(client, cycle)
    assert _status() == "accepted"
    assert [kind for kind, _, _ in _kinds()] == ["create", "save", "submit", "accept"]


def _refused_save(client, cycle):
    """A save to a frozen response stores nothing; the input is kept aside for the State."""
    kinds = _kinds()
    response = client.post(section_url(cycle, "criminalization"), data={"q_crim_law": "x"}, follow_redirects=True)
    assert "your changes were not saved" in response.text
    assert _kinds() == kinds


ALL_BEFORE = [None, *Status]
ILLEGAL = [(action, before) for action, before in itertools.product(Action, ALL_BEFORE)
           if (action, before) not in TRANSITIONS]


@pytest.mark.parametrize(("action", "before"), ILLEGAL, ids=lambda v: getattr(v, "value", str(v)))
def test_the_workflow_refuses_every_illegal_step(action, before):
    with pytest.raises(TransitionError):
        next_status(action, before)


def _responses_in_each_status(cycle) -> dict:
    """A response in each status (one State each), brought there through the workflow."""
    states = dict(zip(Status, ("FRA", "DEU", "ITA", "ESP", "PRT")))
    responses = {}
    for status, code in states.items():
        made = factories.response(code, cycle, {}, "submitted" if status is Status.RETURNED else status.value)
        if status is Status.RETURNED:
            ops.change_status(made, Action.RETURN, factories.user("secretariat"))
            db.session.commit()
        responses[status] = made
    return responses


def _try_revision(responses, author_id, action, before, after):
    """Revision n+1 of the response in ``before`` (for no status: revision 1 of a new response),
    its response raised to it as a save does; flushed inside a savepoint rolled back afterwards."""
    savepoint = db.session.begin_nested()
    try:
        if before is None:
            response = Response(state_code="GBR", cycle_id=responses[Status.DRAFT].cycle_id, status=after.value,
                                questionnaire_version_id=responses[Status.DRAFT].questionnaire_version_id,
                                revision_count=1)
            db.session.add(response)
            db.session.flush()
        else:
            response = responses[before]
            db.session.execute(db.update(Response).where(Response.id == response.id).values(
                revision_count=Response.revision_count + 1, status=after.value))
        number = db.session.scalar(db.select(Response.revision_count).where(Response.id == response.id))
        db.session.add(Revision(response_id=response.id, number=number, kind=action.value,
                                status_before=before.value if before else None, status=after.value,
                                author_id=author_id,
                                restored_from=1 if action is Action.RESTORE else None))  # a restore names its source
        db.session.flush()
        return True
    except IntegrityError:
        return False
    finally:
        savepoint.rollback()


def test_the_database_refuses_every_illegal_revision(cycle):
    """Inserted behind the workflow's back on a response in ``before``, each (kind, status before,
    status after) that is not in TRANSITIONS violates the CHECK constraint; each legal one is
    stored."""
    responses = _responses_in_each_status(cycle)
    author_id = db.session.scalar(db.select(Revision.author_id).limit(1))
    for action, before, after in itertools.product(Action, ALL_BEFORE, Status):
        legal = TRANSITIONS.get((action, before)) is after
        assert _try_revision(responses, author_id, action, before, after) is legal, (action, before, after)
    db.session.rollback()
