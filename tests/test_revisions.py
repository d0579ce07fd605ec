"""Revisions store only what changed, yet reconstruct every earlier state exactly."""
import random

from app.extensions import db
from app.responses import operations as ops
from app.responses.models import AnswerChange
from app.states.models import State
from tests import factories


def _response(cycle, author):
    ops.create_response(db.session.get(State, "FRA"), cycle, author, {})
    db.session.commit()
    return db.session.scalar(db.select(ops.Response))


def test_every_revision_of_a_random_edit_sequence_reconstructs_exactly(cycle):
    author = factories.user("focal_point", "FRA")
    response = _response(cycle, author)
    rng = random.Random(20261122)
    expected, history = {}, {1: {}}
    for _ in range(60):
        edit = {f"q{rng.randrange(15)}": rng.choice([None, "yes", "no", 7, "text", [1, 2]]) for _ in range(3)}
        if ops.save_answers(response, author, edit) is not None:
            expected.update(edit)
            history[response.revision_count] = {k: v for k, v in expected.items() if v is not None}
        db.session.commit()
    for number, answers in history.items():
        assert ops.answers_at(response.id, number) == answers, number


def test_marking_an_answer_confidential_is_a_change_that_keeps_its_value(cycle):
    author = factories.user("focal_point", "FRA")
    response = _response(cycle, author)
    ops.save_answers(response, author, {"q1": "secret budget"})
    ops.save_answers(response, author, {}, confidential={"q1": True})
    db.session.commit()
    assert ops.answers_at(response.id) == {"q1": "secret budget"}
    assert ops.confidential_at(response.id) == {"q1"}
    assert ops.confidential_at(response.id, 2) == set()
    assert ops.save_answers(response, author, {"q1": "secret budget"}, confidential={"q1": True}) is None
    rows = db.session.scalars(db.select(AnswerChange).order_by(AnswerChange.revision_number)).all()
    assert [(r.revision_number, r.confidential) for r in rows] == [(2, False), (3, True)]
