"""History is never rewritten, whoever connects to the database: revisions and the answers they
hold refuse UPDATE and DELETE, a stored revision gains no answer, and a response is never deleted.
The migration that brings these guards fills in existing histories and refuses broken ones."""
import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import select

from app.database import alembic_config
from app.extensions import db
from app.responses import operations as ops
from app.responses.models import AnswerChange, Response, Revision
from app.responses.workflow import Action
from app.states.models import State
from tests import factories
from tests.old_schemas import REFERENCE_ROWS, run_sql

REFUSED = [
    "UPDATE revisions SET status = 'published' WHERE number = 3",
    "UPDATE revisions SET author_id = author_id",
    "DELETE FROM revisions WHERE number = 3",
    "UPDATE answer_changes SET value = '\"Act 99\"'",
    "UPDATE answer_changes SET confidential = TRUE",
    "DELETE FROM answer_changes",
    "DELETE FROM responses",
]


@pytest.fixture
def accepted(cycle):
    """France's response, submitted and accepted: revisions 1 (create) to 3 (accept)."""
    return factories.response("FRA", cycle, {"crim_law": "Act 1", "crim_offence": "yes"}, "accepted")


@pytest.mark.parametrize("statement", REFUSED)
def test_the_database_refuses_to_rewrite_history(accepted, statement):
    before = _history(accepted.id)
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.text(statement))
    db.session.rollback()
    assert _history(accepted.id) == before


def test_the_database_refuses_to_empty_history_at_once(accepted):
    """PostgreSQL's TRUNCATE skips row triggers, so it has its own; SQLite's bulk DELETE does not."""
    emptying = "TRUNCATE {} CASCADE" if db.engine.dialect.name == "postgresql" else "DELETE FROM {}"
    before = _history(accepted.id)
    for table in ("answer_changes", "revisions"):
        with pytest.raises(sa.exc.IntegrityError):
            db.session.execute(sa.text(emptying.format(table)))
        db.session.rollback()
    assert _history(accepted.id) == before


def _history(response_id):
    revisions = db.session.execute(select(Revision.number, Revision.kind, Revision.status).where(
        Revision.response_id == response_id).order_by(Revision.number)).all()
    answers = db.session.execute(select(AnswerChange.revision_number, AnswerChange.question_id, AnswerChange.value)
                                 .order_by(AnswerChange.revision_number, AnswerChange.question_id)).all()
    return revisions, answers


@pytest.mark.parametrize("number, question", [(2, "crim_law"), (3, "crim_law"), (1, "crim_victims")],
                         ids=["submitted", "accepted", "created"])
def test_a_stored_revision_gains_no_answer(accepted, number, question):
    """An answer slipped into the submit or accept revision (which changed none), or into the
    revision that created the response (which holds all it changed): the submitted and accepted
    answers would change."""
    with pytest.raises(sa.exc.IntegrityError):
        db.session.execute(sa.insert(AnswerChange).values(
            response_id=accepted.id, revision_number=number, question_id=question, value="Act 99"))
    db.session.rollback()
    assert ops.answers_at(accepted.id, 2) == {"crim_law": "Act 1", "crim_offence": "yes"}


def test_the_workflow_still_writes_every_kind_of_revision(cycle):
    """Create, save, restore, submit, return, accept, publish: each is a new row, never a change."""
    focal, reviewer = factories.user("focal_point", "FRA"), factories.user("secretariat")
    ops.create_response(db.session.get(State, "FRA"), cycle, focal, {"crim_law": "Act 1"}, {"crim_law"})
    response = db.session.scalar(select(Response))
    ops.save_answers(response, focal, {"crim_law": "Act 2", "crim_offence": "yes"})
    ops.restore_revision(response, focal, 1, "crim_law")
    for action in (Action.SUBMIT, Action.RETURN, Action.SUBMIT, Action.ACCEPT, Action.PUBLISH):
        ops.change_status(response, action, reviewer)
    db.session.commit()
    rows = db.session.execute(select(Revision.number, Revision.previous_number, Revision.status_before)
                              .order_by(Revision.number)).all()
    assert [(number, previous) for number, previous, _ in rows] == [(1, None)] + [(n, n - 1) for n in range(2, 9)]
    assert response.status == "published" and response.revision_count == 8


#: A history written before the guards: draft → submitted → returned → submitted → accepted.
HISTORY = [
    *REFERENCE_ROWS,
    "INSERT INTO responses (id, state_code, cycle_id, questionnaire_version_id, status, revision_count, created_at, "
    "updated_at) VALUES (1, 'FRA', 1, 1, '{status}', 6, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    "INSERT INTO revisions (response_id, number, kind, status_before, status, author_id, created_at, change_count) "
    "VALUES (1, 1, 'create', NULL, 'draft', 1, CURRENT_TIMESTAMP, 1), "
    "(1, 2, 'submit', 'draft', 'submitted', 1, CURRENT_TIMESTAMP, 0), "
    "(1, 3, 'return', 'submitted', 'returned', 1, CURRENT_TIMESTAMP, 0), "
    "(1, 4, 'save', 'returned', 'returned', 1, CURRENT_TIMESTAMP, 1), "
    "(1, 5, {fifth}, 1, CURRENT_TIMESTAMP, 0), "
    "(1, 6, 'accept', 'submitted', 'accepted', 1, CURRENT_TIMESTAMP, 0)",
    "INSERT INTO answer_changes (response_id, revision_number, question_id, value, confidential) "
    "VALUES (1, 1, 'q1', '\"first\"', FALSE), (1, 4, 'q1', '\"second\"', FALSE)",
]
BEFORE = "0500_restore"


SUBMIT = "'submit', 'returned', 'submitted'"


def _history_of(status="accepted", fifth=SUBMIT):
    return [statement.replace("{status}", status).replace("{fifth}", fifth) for statement in HISTORY]


def test_the_migration_fills_in_existing_histories_both_ways(empty_database):
    config = alembic_config(empty_database)
    command.upgrade(config, BEFORE)
    run_sql(empty_database, _history_of())
    command.upgrade(config, "head")
    assert run_sql(empty_database, [], "SELECT number, previous_number FROM revisions ORDER BY number") == \
        [(1, None), (2, 1), (3, 2), (4, 3), (5, 4), (6, 5)]
    with pytest.raises(sa.exc.IntegrityError):
        run_sql(empty_database, ["UPDATE answer_changes SET value = '\"third\"'"])
    command.downgrade(config, BEFORE)
    assert run_sql(empty_database, ["UPDATE answer_changes SET value = '\"third\"' WHERE revision_number = 4"],
                "SELECT count(*) FROM revisions") == [(6,)]
    command.upgrade(config, "head")


@pytest.mark.parametrize("status, fifth", [("accepted", "'save', 'returned', 'returned'"), ("published", SUBMIT)],
                         ids=["accepted-while-returned", "status-without-revision"])
def test_the_migration_refuses_a_broken_history(empty_database, status, fifth):
    config = alembic_config(empty_database)
    command.upgrade(config, BEFORE)
    run_sql(empty_database, _history_of(status, fifth))
    with pytest.raises(RuntimeError, match="breaks the rules"):
        command.upgrade(config, "head")
    assert run_sql(empty_database, [], "SELECT version_num FROM alembic_version") == [(BEFORE,)]
