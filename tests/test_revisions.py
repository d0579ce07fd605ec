"""Revisions store only what changed, yet reconstruct every earlier state exactly."""
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from app.extensions import db
from app.questionnaires.answers import is_answered
from app.responses import operations as ops
from app.responses.models import AnswerChange, Response
from app.responses.workflow import Action
from app.states.models import State
from tests import factories


def _response(cycle, author, answers=None):
    ops.create_response(db.session.get(State, "FRA"), cycle, author, answers or {})
    db.session.commit()
    return db.session.scalar(db.select(Response).filter_by(cycle_id=cycle.id))


#: Each example of a property test writes the history of a response of its own cycle: responses
#: and their revisions are never deleted.
EXAMPLE_CYCLES = (f"example {n}" for n in itertools.count(1))


QUESTIONS = [f"q{n}" for n in range(8)]
VALUES = st.one_of(
    st.none(), st.just(""), st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12),
    st.integers(-3, 3), st.lists(st.sampled_from(["a", "b", "c"]), max_size=3, unique=True),
    st.dictionaries(st.sampled_from(["2023", "2024"]),
                    st.dictionaries(st.sampled_from(["women", "men"]), st.integers(0, 99), max_size=2), max_size=2),
)
EDITS = st.one_of(
    st.tuples(st.just("save"), st.dictionaries(st.sampled_from(QUESTIONS), VALUES, max_size=4),
              st.dictionaries(st.sampled_from(QUESTIONS), st.booleans(), max_size=2)),
    st.tuples(st.just("restore"), st.integers(0, 10 ** 6), st.one_of(st.none(), st.sampled_from(QUESTIONS))),
    st.tuples(st.just("submit and return"), st.none(), st.none()),
)


class Model:
    """What every revision should hold: {question: (value, confidential)} by revision number,
    leaving out answers never given or cleared and not confidential."""

    def __init__(self):
        self.revisions = {1: {}}

    @property
    def latest(self) -> int:
        return max(self.revisions)

    @property
    def current(self) -> dict:
        return self.revisions[self.latest]

    def add(self, answers: dict, always: bool = False) -> None:
        answers = {qid: pair for qid, pair in answers.items() if pair != (None, False)}
        if always or answers != self.current:
            self.revisions[self.latest + 1] = answers

    def save(self, values: dict, flags: dict) -> None:
        answers = dict(self.current)
        for qid in values.keys() | flags.keys():
            value, flag = answers.get(qid, (None, False))
            value = values.get(qid, value)
            answers[qid] = (value if is_answered(value) else None, flags.get(qid, flag))
        self.add(answers)

    def restore(self, number: int, qid: str | None) -> None:
        old = self.revisions[number]
        self.add(dict(old) if qid is None else {**self.current, qid: old.get(qid, (None, False))})


def _apply(response, author, model, kind, first, second) -> None:
    if kind == "save":
        ops.save_answers(response, author, first, confidential=second)
        model.save(first, second)
    elif kind == "restore":
        number = 1 + first % model.latest
        ops.restore_revision(response, author, number, second)
        model.restore(number, second)
    else:
        ops.change_status(response, Action.SUBMIT, author)
        ops.change_status(response, Action.RETURN, author)
        model.add(model.current, always=True)
        model.add(model.current, always=True)


@pytest.fixture
def author(cycle):
    return factories.user("focal_point", "FRA")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(edits=st.lists(EDITS, min_size=1, max_size=30))
def test_every_revision_of_a_random_edit_sequence_reconstructs_exactly(author, edits):
    response = _response(factories.cycle(next(EXAMPLE_CYCLES)), author)
    model = Model()
    for kind, first, second in edits:
        _apply(response, author, model, kind, first, second)
    db.session.commit()
    assert response.revision_count == model.latest
    for number, expected in model.revisions.items():
        assert ops.answers_at(response.id, number) == {q: v for q, (v, _) in expected.items() if v is not None}
        assert ops.confidential_at(response.id, number) == {q for q, (_, flag) in expected.items() if flag}


def test_a_one_answer_save_stores_one_answer_whatever_the_size_of_the_response(cycle, author):
    response = _response(cycle, author, {f"q{n}": f"answer {n}" for n in range(150)})
    ops.save_answers(response, author, {"q7": "changed"})
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(AnswerChange).where(
        AnswerChange.revision_number == 2)) == 1


def test_marking_an_answer_confidential_is_a_change_that_keeps_its_value(cycle, author):
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


def test_the_answers_a_process_keeps_follow_every_revision_and_never_one_rolled_back(cycle):
    """current_states keeps a response's answers between requests and adds the revisions since;
    a revision that was rolled back never gets into what it keeps."""
    from app.responses.operations import _current, current_states

    focal = factories.user("focal_point", "FRA")
    revision = ops.create_response(db.session.get(State, "FRA"), cycle, focal, {"crim_law": "Act 1"})
    db.session.commit()
    response = db.session.get(Response, revision.response_id)
    assert current_states(response) == ops.answer_states_at(response.id)
    older = dict(_current)  # what another process would still hold
    for text in ("Act 2", "Act 3"):
        ops.save_answers(response, focal, {"crim_law": text, "crim_offence": "yes"})
        db.session.commit()
    ops.save_answers(response, focal, {"crim_law": "Never committed"})
    assert current_states(response)["crim_law"].value == "Never committed"  # read whole in its transaction
    db.session.rollback()
    _current.clear()
    _current.update(older)
    response = db.session.get(Response, revision.response_id)
    assert current_states(response) == ops.answer_states_at(response.id)
    assert current_states(response)["crim_law"].value == "Act 3" and response.revision_count == 3
    ops.save_answers(response, focal, {"crim_law": "Act 4"})
    db.session.commit()
    assert current_states(db.session.get(Response, response.id)) == ops.answer_states_at(response.id)
