"""Several people editing one response: edits to different questions merge, an edit to a question
someone else changed since the editor loaded it is a conflict in which nothing is overwritten.
Sequentially with stale pages, and for real with threads saving at the same moment."""
import html
import threading

import pytest
from sqlalchemy import func, select

from app.database import write_transaction
from app.extensions import db
from app.responses import operations as ops
from app.responses.models import Response, Revision
from app.states.models import State
from tests import factories
from tests.helpers import field_errors, input_value, page_form, section_url, sign_in

JSON = {"Accept": "application/json"}


def logged_in(app, user):
    client = app.test_client()
    assert sign_in(client, user).status_code == 302
    return client


@pytest.fixture
def editors(app, cycle):
    """Two officials of France, each in their own browser, and a response with two answers."""
    focal = factories.user("focal_point", "FRA", name="Amélie Focal")
    contributor = factories.user("contributor", "FRA", name="Bruno Contributor")
    a, b = logged_in(app, focal), logged_in(app, contributor)
    url = section_url(cycle, "criminalization")
    assert a.post(url, data={"q_crim_offence": "yes", "q_crim_law": "Act 1", "q_crim_max_penalty": "5"}).status_code == 302
    return a, b, url


def _answers():
    db.session.rollback()  # see what the other connections committed
    return ops.answers_at(db.session.scalar(select(Response.id)))


def test_edits_to_different_questions_both_survive(editors):
    a, b, url = editors
    page_a, page_b = a.get(url).text, b.get(url).text
    assert a.post(url, data=page_form(page_a, q_crim_law="Act 2")).status_code == 302
    response = b.post(url, data=page_form(page_b, q_crim_max_penalty="10"))  # B's page still says "Act 1"
    assert response.status_code == 302
    assert _answers() == {"crim_offence": "yes", "crim_law": "Act 2", "crim_max_penalty": 10}
    assert input_value(b.get(url).text, "q_crim_law") == "Act 2"


def test_an_edit_to_an_answer_someone_changed_meanwhile_is_a_conflict(editors):
    a, b, url = editors
    page_a, page_b = a.get(url).text, b.get(url).text
    a.post(url, data=page_form(page_a, q_crim_law="Act of Amélie"))
    response = b.post(url, data=page_form(page_b, q_crim_law="Act of Bruno", q_crim_max_penalty="12"))
    assert response.status_code == 409
    assert _answers()["crim_law"] == "Act of Amélie"  # nothing overwritten
    assert _answers()["crim_max_penalty"] == 12  # the other edit was merged
    page = response.text
    assert "Someone else changed this answer while you were editing it." in page
    assert "Act of Amélie" in page and "Amélie Focal" in page  # theirs, with author
    assert input_value(page, "q_crim_law") == "Act of Bruno"  # mine, still in the field
    assert 'name="resolve_crim_law" value="theirs"' in page and 'name="resolve_crim_law" value="mine"' in page

    kept = b.post(url, data=page_form(page, resolve_crim_law="mine"))
    assert kept.status_code == 302 and _answers()["crim_law"] == "Act of Bruno"


def test_a_conflict_settled_for_their_answer_keeps_it_and_saves_the_rest(editors):
    a, b, url = editors
    page_a, page_b = a.get(url).text, b.get(url).text
    a.post(url, data=page_form(page_a, q_crim_law="Act of Amélie"))
    conflict = b.post(url, data=page_form(page_b, q_crim_law="Act of Bruno")).text
    settled = b.post(url, data=page_form(conflict, q_crim_max_penalty="7", resolve_crim_law="theirs"))
    assert settled.status_code == 302
    assert _answers()["crim_law"] == "Act of Amélie" and _answers()["crim_max_penalty"] == 7
    assert input_value(b.get(url).text, "q_crim_law") == "Act of Amélie"


def test_saving_again_without_choosing_overwrites_nothing(editors):
    a, b, url = editors
    page_a, page_b = a.get(url).text, b.get(url).text
    a.post(url, data=page_form(page_a, q_crim_law="Act of Amélie"))
    conflict = b.post(url, data=page_form(page_b, q_crim_law="Act of Bruno")).text
    again = b.post(url, data=page_form(conflict, q_crim_law="Act of Bruno, edited"))
    assert again.status_code == 409 and _answers()["crim_law"] == "Act of Amélie"
    assert input_value(again.text, "q_crim_law") == html.escape("Act of Bruno, edited", quote=True)


def test_a_newer_change_after_the_conflict_was_shown_is_a_new_conflict(editors):
    a, b, url = editors
    page_a, page_b = a.get(url).text, b.get(url).text
    page_a = a.post(url, data=page_form(page_a, q_crim_law="Act of Amélie"), follow_redirects=True).text
    conflict = b.post(url, data=page_form(page_b, q_crim_law="Act of Bruno")).text
    a.post(url, data=page_form(page_a, q_crim_law="Act of Amélie, revised"))
    second = b.post(url, data=page_form(conflict, resolve_crim_law="mine"))
    assert second.status_code == 409 and "Act of Amélie, revised" in second.text
    assert _answers()["crim_law"] == "Act of Amélie, revised"


def test_an_answer_changed_and_changed_back_is_no_conflict(editors):
    a, b, url = editors
    page_a, page_b = a.get(url).text, b.get(url).text
    page_a = a.post(url, data=page_form(page_a, q_crim_law="Act 2"), follow_redirects=True).text
    a.post(url, data=page_form(page_a, q_crim_law="Act 1"))
    assert b.post(url, data=page_form(page_b, q_crim_law="Act of Bruno")).status_code == 302
    assert _answers()["crim_law"] == "Act of Bruno"


def test_invalid_input_is_not_a_conflict_and_comes_back_with_its_message(editors):
    a, b, url = editors
    page_a, page_b = a.get(url).text, b.get(url).text
    a.post(url, data=page_form(page_a, q_crim_law="Act of Amélie"))
    response = b.post(url, data=page_form(page_b, q_crim_max_penalty="twelve"))
    assert response.status_code == 422
    assert "Enter a whole number, such as 12." in field_errors(response.text)
    assert input_value(response.text, "q_crim_max_penalty") == "twelve"
    assert input_value(response.text, "q_crim_law") == "Act of Amélie"  # theirs, kept and shown


def test_autosave_reports_a_conflict_with_both_answers(editors):
    a, b, url = editors
    page_a, page_b = a.get(url).text, b.get(url).text
    a.post(url, data=page_form(page_a, q_crim_law="Act of Amélie", q_crim_in_force="2020-01-01"))
    reply = b.post(url, data=page_form(page_b, q_crim_law="Act of Bruno", q_crim_max_penalty="8"), headers=JSON)
    assert reply.status_code == 409
    body = reply.get_json()
    assert body["status"] == "conflict" and list(body["conflicts"]) == ["crim_law"]
    assert "Act of Amélie" in body["conflicts"]["crim_law"] and "Amélie Focal" in body["conflicts"]["crim_law"]
    assert body["outdated"] == ["crim_in_force"]  # changed by Amélie only: kept, and flagged on B's page
    revision = db.session.scalar(select(func.max(Revision.number)))
    assert body["versions"]["crim_max_penalty"] == revision and "crim_law" not in body["versions"]
    assert _answers()["crim_law"] == "Act of Amélie" and _answers()["crim_max_penalty"] == 8


def _simultaneously(requests):
    """Send each (client, url, data) from its own thread, released at the same moment."""
    barrier = threading.Barrier(len(requests))
    replies = [None] * len(requests)

    def send(index, client, url, data):
        barrier.wait()
        replies[index] = client.post(url, data=data)

    threads = [threading.Thread(target=send, args=(index, *request)) for index, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return replies


def test_simultaneous_saves_of_different_questions_are_all_kept(editors, cycle):
    a, b, _ = editors
    edits = [("criminalization", "crim_law", "Act 9"), ("criminalization", "crim_in_force", "2021-05-01"),
             ("criminalization", "crim_max_penalty", "15"), ("protection", "prot_description", "Shelters"),
             ("data", "data_body", "Statistics office"), ("ratification", "ratification_obstacles", "None")]
    clients = [a, b] * 3
    pages = [client.get(section_url(cycle, section)).text for client, (section, _, _) in zip(clients, edits)]
    db.session.rollback()
    replies = _simultaneously([(client, section_url(cycle, section), page_form(page, **{f"q_{qid}": value}))
                               for client, page, (section, qid, value) in zip(clients, pages, edits)])
    assert [reply.status_code for reply in replies] == [302] * 6
    answers = _answers()
    assert {qid: str(answers[qid]) for _, qid, _ in edits} == {qid: value for _, qid, value in edits}
    numbers = db.session.scalars(select(Revision.number).order_by(Revision.number)).all()
    assert numbers == list(range(1, 8))


def test_simultaneous_saves_of_one_question_keep_one_and_show_the_others_a_conflict(editors):
    a, b, url = editors
    clients = [a, b, a, b]
    pages = [client.get(url).text for client in clients]
    before = db.session.scalar(select(func.count()).select_from(Revision))
    db.session.rollback()
    replies = _simultaneously([(client, url, page_form(page, q_crim_law=f"Law {i}"))
                               for i, (client, page) in enumerate(zip(clients, pages))])
    codes = sorted(reply.status_code for reply in replies)
    assert codes == [302, 409, 409, 409]
    winner = _answers()["crim_law"]
    for i, reply in enumerate(replies):
        if reply.status_code == 409:  # nothing lost: the loser sees its own answer and the winner's
            assert input_value(reply.text, "q_crim_law") == f"Law {i}" and winner in reply.text
    assert db.session.scalar(select(func.count()).select_from(Revision)) == before + 1


def test_saves_from_separate_sessions_outside_requests_take_distinct_revisions(app, cycle):
    """The operations layer from threads, each with its own session (write_transaction)."""
    author = factories.user("focal_point", "FRA")
    ops.create_response(db.session.get(State, "FRA"), cycle, author, {})
    db.session.commit()
    response_id, author_id = db.session.scalar(select(Response.id)), author.id
    barrier = threading.Barrier(6)
    errors = []

    def save(n):
        with app.app_context(), write_transaction():
            barrier.wait()
            try:
                response = db.session.get(Response, response_id)
                ops.save_answers(response, db.session.get(factories.User, author_id), {f"q{n}": n})
                db.session.commit()
            except Exception as error:  # pragma: no cover - the assertion below shows it
                errors.append(error)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert _answers() == {f"q{n}": n for n in range(6)}
    assert db.session.scalars(select(Revision.number).order_by(Revision.number)).all() == list(range(1, 8))


def test_a_post_of_some_questions_leaves_the_others_as_they_are(editors):
    a, b, url = editors
    page_b = b.get(url).text
    a.post(url, data=page_form(a.get(url).text, q_crim_law="Act of Amélie", q_crim_forms=["sexual"]))
    versions = {name: value for name, value in page_form(page_b).items() if name.startswith("v_")}
    response = b.post(url, data={**versions, "q_crim_max_penalty": "9"}, headers=JSON)
    assert response.get_json()["status"] == "saved"
    assert _answers() == {"crim_offence": "yes", "crim_law": "Act of Amélie", "crim_forms": ["sexual"],
                          "crim_max_penalty": 9}
