"""The whole flow through HTTP: a focal point fills in and submits, the secretariat returns it
with comments, the focal point revises and resubmits, the secretariat accepts, a PDF comes out."""
import html
import re

from app.extensions import db
from app.responses.models import AnswerChange, Response
from app.responses.operations import answers_at
from tests import factories
from tests.helpers import checked_values, field_errors, input_value, made_by_job, overview_url, pdf_text, section_url


def test_focal_point_fills_in_saves_and_finds_every_answer(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    home = client.get("/")
    assert home.status_code == 200 and overview_url(cycle) in home.text

    response = client.post(section_url(cycle, "criminalization"), data={
        "q_crim_offence": "partly", "q_crim_law": "Code pénal, art. 225-4-1",
        "q_crim_forms": ["sexual", "organs"], "q_crim_in_force": "2013-08-05", "q_crim_max_penalty": "10",
        "action": "save",
    })
    assert response.status_code == 302
    page = client.get(section_url(cycle, "criminalization")).text
    assert 'value="partly" checked' in page or checked_values(page, "q_crim_offence") == ["partly"]
    assert input_value(page, "q_crim_law") == html.escape("Code pénal, art. 225-4-1", quote=True)
    assert checked_values(page, "q_crim_forms") == ["sexual", "organs"]
    assert input_value(page, "q_crim_in_force") == "2013-08-05"
    assert input_value(page, "q_crim_max_penalty") == "10"

    client.post(section_url(cycle, "data"), data={
        "q_data_victims-2024-women": "12", "q_data_victims-2024-girls": "3", "q_data_body": "Ministry of Interior",
    })
    client.post("/logout")
    login(db.session.scalar(db.select(factories.User).filter_by(state_code="FRA")))
    page = client.get(section_url(cycle, "data")).text
    assert input_value(page, "q_data_victims-2024-women") == "12"
    assert input_value(page, "q_data_victims-2024-girls") == "3"
    assert input_value(page, "q_data_victims-2023-women") == ""


def test_invalid_answers_are_kept_with_a_message_and_valid_ones_saved(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    response = client.post(section_url(cycle, "criminalization"), data={
        "q_crim_offence": "yes", "q_crim_law": "Penal Code art. 3", "q_crim_max_penalty": "twelve",
        "q_crim_in_force": "31/12/2020",
    })
    assert response.status_code == 422
    errors = field_errors(response.text)
    assert "Enter a whole number, such as 12." in errors
    assert "Enter a date as year-month-day, such as 2024-03-31." in errors
    # What the user typed is shown again, not lost.
    assert input_value(response.text, "q_crim_max_penalty") == "twelve"
    assert input_value(response.text, "q_crim_in_force") == "31/12/2020"
    # The valid answers were saved even though others were invalid.
    page = client.get(section_url(cycle, "criminalization")).text
    assert input_value(page, "q_crim_law") == "Penal Code art. 3"
    assert checked_values(page, "q_crim_offence") == ["yes"]


def test_out_of_range_numbers_and_table_cells_get_messages(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    response = client.post(section_url(cycle, "criminalization"), data={
        "q_crim_offence": "yes", "q_crim_max_penalty": "250"})
    assert "Enter a number of at most 100." in field_errors(response.text)
    response = client.post(section_url(cycle, "data"), data={"q_data_victims-2024-men": "-4"})
    assert response.status_code == 422
    assert "2024, Men: enter a whole number of 0 or more, not “-4”." in field_errors(response.text)
    assert input_value(response.text, "q_data_victims-2024-men") == "-4"


def test_a_draft_saves_with_required_questions_empty_but_submit_lists_them(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    assert client.post(section_url(cycle, "data"), data={"q_data_body": "Statistics office"}).status_code == 302
    refused = client.post(overview_url(cycle) + "submit")
    assert refused.status_code == 303 and refused.location == overview_url(cycle) + "?submit=refused"
    response = client.get(refused.location)
    assert "some required questions have no answer" in response.text
    assert "Does your domestic law establish trafficking in persons" in response.text
    assert "Does your State provide appropriate housing" in response.text
    assert db.session.scalar(db.select(Response.status)) == "draft"


def _fill_required(client, cycle):
    client.post(section_url(cycle, "criminalization"), data={"q_crim_offence": "yes", "q_crim_law": "Act 12"})
    client.post(section_url(cycle, "protection"), data={"q_prot_shelter": "yes", "q_prot_shelter_places": "40"})


def test_submit_return_with_comments_revise_resubmit_accept(client, login, cycle):
    focal = factories.user("focal_point", "FRA")
    secretariat = factories.user("secretariat")
    login(focal)
    _fill_required(client, cycle)
    response = client.post(overview_url(cycle) + "submit", follow_redirects=True)
    assert "The response was submitted to the secretariat." in response.text
    # Submitted answers are frozen for the State: a save changes nothing (its input is kept aside).
    frozen = client.post(section_url(cycle, "criminalization"), data={"q_crim_law": "x"}, follow_redirects=True)
    assert "your changes were not saved" in frozen.text
    assert answers_at(db.session.scalar(db.select(Response.id)))["crim_law"] == "Act 12"

    login(secretariat)
    dashboard = client.get("/review/", follow_redirects=True).text
    assert re.search(r"France.*?Submitted", dashboard, re.S)
    assert re.search(r"Germany.*?Not started", dashboard, re.S)
    review = client.get("/review/cycles/%d/states/FRA?section=criminalization" % cycle.id)
    assert "Act 12" in review.text
    response = client.post("/review/cycles/%d/states/FRA/return" % cycle.id, data={"comment": ""})
    assert response.status_code == 422  # a return needs a general comment
    client.post(overview_url(cycle) + "comments/", data={"question_id": "crim_law", "body": "Which article of Act 12?"})
    response = client.post("/review/cycles/%d/states/FRA/return" % cycle.id, data={
        "comment": "Please cite the articles of the law."})
    assert response.status_code == 302

    login(focal)
    overview = client.get(overview_url(cycle)).text
    assert "returned this response for clarification" in overview
    assert "Please cite the articles of the law." in overview
    section = client.get(section_url(cycle, "criminalization")).text
    assert "Which article of Act 12?" in section
    client.post(section_url(cycle, "criminalization"), data={"q_crim_offence": "yes", "q_crim_law": "Act 12, art. 4"})
    assert client.post(overview_url(cycle) + "submit").status_code == 302

    login(secretariat)
    response = client.post("/review/cycles/%d/states/FRA/accept" % cycle.id, follow_redirects=True)
    assert "The response was accepted." in response.text
    assert db.session.scalar(db.select(Response.status)) == "accepted"
    history = client.get(overview_url(cycle) + "history").text
    for step in ("Started the response", "Submitted", "Returned for clarification", "Accepted"):
        assert step in history


def test_history_lists_revisions_and_each_revision_shows_its_answers(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    client.post(section_url(cycle, "criminalization"), data={"q_crim_offence": "yes", "q_crim_law": "First law"})
    client.post(section_url(cycle, "criminalization"), data={"q_crim_offence": "yes", "q_crim_law": "Second law"})
    history = client.get(overview_url(cycle) + "history")
    assert history.status_code == 200
    assert history.text.count("Saved answers") == 1 and "Started the response" in history.text
    assert "First law" in client.get(overview_url(cycle) + "revisions/1").text
    second = client.get(overview_url(cycle) + "revisions/2").text
    assert "Second law" in second and "First law" not in second
    assert client.get(overview_url(cycle) + "revisions/3").status_code == 404


def test_only_changed_answers_are_stored(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    data = {"q_crim_offence": "yes", "q_crim_law": "Act 12", "q_crim_max_penalty": "10"}
    client.post(section_url(cycle, "criminalization"), data=data)
    client.post(section_url(cycle, "criminalization"), data={**data, "q_crim_max_penalty": "12"})
    response = client.post(section_url(cycle, "criminalization"), data={**data, "q_crim_max_penalty": "12"},
                           follow_redirects=True)
    assert "All your answers are saved: nothing had changed since the last save." in response.text
    changes = db.session.execute(db.select(AnswerChange.revision_number, AnswerChange.question_id)
                                 .order_by(AnswerChange.revision_number)).all()
    assert [tuple(c) for c in changes if c[0] == 2] == [(2, "crim_max_penalty")]
    assert db.session.scalar(db.select(Response.revision_count)) == 2


def test_clearing_an_answer_is_a_change(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    client.post(section_url(cycle, "data"), data={"q_data_body": "Statistics office"})
    client.post(section_url(cycle, "data"), data={"q_data_body": ""})
    assert input_value(client.get(section_url(cycle, "data")).text, "q_data_body") == ""
    assert "Statistics office" in client.get(overview_url(cycle) + "revisions/1").text


def test_profile_pdf_contains_questions_and_answers(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    client.post(section_url(cycle, "criminalization"), data={
        "q_crim_offence": "yes", "q_crim_law": "Loi n° 2013-711, article 1er", "q_crim_forms": ["forced_labour"]})
    client.post(section_url(cycle, "data"), data={"q_data_victims-2024-women": "1234"})
    response = made_by_job(client, overview_url(cycle) + "profile.pdf?lang=en")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    text = pdf_text(response.data)
    assert "France" in text
    assert "Which law and article establish the offence?" in text
    assert "Loi n° 2013-711, article 1er" in text
    assert "Forced labour or services" in text
    assert "1,234" in text
    # A question whose condition does not hold is left out.
    assert "In which year did your State ratify" not in text

    french = pdf_text(made_by_job(client, overview_url(cycle) + "profile.pdf?lang=fr").data)
    assert "Quels loi et article établissent l'infraction ?" in french
    assert "1 234" in french or "1\u202f234" in french


def test_pdf_of_a_chosen_revision(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    client.post(section_url(cycle, "data"), data={"q_data_body": "Old office"})
    client.post(section_url(cycle, "data"), data={"q_data_body": "New office"})
    assert "Old office" in pdf_text(made_by_job(client, overview_url(cycle) + "profile.pdf?revision=1").data)
    assert "New office" in pdf_text(made_by_job(client, overview_url(cycle) + "profile.pdf?revision=2").data)
    assert made_by_job(client, overview_url(cycle) + "profile.pdf?revision=9").status_code == 404
    assert made_by_job(client, overview_url(cycle) + "profile.pdf?lang=xx").status_code == 404
