"""Numbers everywhere: every question shows its number (as in the PDFs) on the history,
comparison and analysis pages and in comment notifications; "Go to question" takes a number."""
import pytest

from app.extensions import db
from tests import factories
from tests.helpers import overview_url, section_url
from tests.workflow_helpers import comment

ANSWERS = {"crim_offence": "yes", "crim_law": "Act 1", "prot_shelter": "no"}


@pytest.mark.parametrize("typed, section", [("2.2", "criminalization"), (" 3,1 ", "protection"),
                                            ("crim_law", "criminalization")])
def test_go_to_question_opens_the_section_at_the_numbered_question(client, login, cycle, typed, section):
    login(factories.user("focal_point", "FRA"))
    factories.response("FRA", cycle, ANSWERS)
    found = client.get(overview_url(cycle) + "question", query_string={"number": typed})
    question = {"2.2": "crim_law", " 3,1 ": "prot_shelter", "crim_law": "crim_law"}[typed]
    assert found.status_code == 302 and found.location == section_url(cycle, section) + f"#q-{question}"


@pytest.mark.parametrize("typed, message", [("9.9", "There is no question 9.9 in this questionnaire."),
                                            ("", "Enter the number of a question, such as 2.3.")])
def test_go_to_a_question_that_does_not_exist_says_so(client, login, cycle, typed, message):
    login(factories.user("focal_point", "FRA"))
    factories.response("FRA", cycle, ANSWERS)
    page = client.get(overview_url(cycle) + "question", query_string={"number": typed}, follow_redirects=True)
    assert page.request.path == overview_url(cycle) and message in page.text


def test_the_overview_and_section_pages_offer_go_to_question_in_every_language(client, login, cycle):
    user = login(factories.user("focal_point", "FRA"))
    for language in ("ar", "zh", "en"):
        user.locale = language
        db.session.commit()
        assert 'id="goto-question" name="number"' in client.get(section_url(cycle, "protection")).text


def test_review_history_and_analysis_pages_number_the_questions(client, login, cycle):
    factories.response("FRA", cycle, ANSWERS, status="submitted")
    login(factories.user("secretariat", None))
    assert "2.2 Which law and article establish the offence?" in client.get(f"/analysis/cycles/{cycle.id}/questions").text
    assert "2.2 Which law and article establish the offence?" in client.get(f"/analysis/cycles/{cycle.id}/questions/crim_law").text
    assert "2.2 Which law and article establish the offence?" in client.get(overview_url(cycle) + "revisions/1").text


def test_a_comment_notification_names_the_question_by_its_number(outbox, client, login, cycle):
    factories.response("FRA", cycle, ANSWERS)
    focal = factories.user("focal_point", "FRA")
    login(factories.user("secretariat", None))
    assert comment(client, cycle, "Which article?", question_id="crim_law").status_code == 302
    named = "commented on the question “2.2 Which law and article establish the offence?”"
    assert any(named in message.body for message in outbox if message.to == focal.email)
    login(focal)
    assert named in client.get("/notifications/").text
