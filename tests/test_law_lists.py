"""Law lists: structured legal evidence entered in the section form, stored in a fixed shape,
shown read-only and on one line."""
import re

import pytest
from flask_babel import force_locale

from app.questionnaires.answers import format_answer
from app.questionnaires.versions import questionnaire_for
from app.responses.operations import answers_at
from app.extensions import db
from app.responses.models import Response
from tests import factories
from tests.helpers import field_errors, input_value, overview_url, section_url

LAW = {"q_crim_offence": "yes", "q_crim_laws-0-title": "Code pénal", "q_crim_laws-0-article": "art. 225-4-1",
       "q_crim_laws-0-adopted": "2013-08-05", "q_crim_laws-0-status": "in_force",
       "q_crim_laws-0-url": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000027811120"}


def _stored(question_id="crim_laws"):
    return answers_at(db.session.scalar(db.select(Response.id))).get(question_id)


@pytest.fixture
def focal(client, login, cycle):
    return login(factories.user("focal_point", "FRA"))


def test_laws_are_stored_in_the_agreed_shape_and_empty_entries_dropped(client, focal, cycle):
    response = client.post(section_url(cycle, "criminalization"), data={
        **LAW, "q_crim_laws-1-title": "  ", "q_crim_laws-2-title": "Loi n° 2013-711",
    })
    assert response.status_code == 302
    assert _stored() == [
        {"title": "Code pénal", "article": "art. 225-4-1", "adopted": "2013-08-05", "status": "in_force",
         "url": "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000027811120", "attachment": None},
        {"title": "Loi n° 2013-711", "article": None, "adopted": None, "status": None, "url": None,
         "attachment": None},
    ]


def test_without_javascript_the_page_shows_every_law_and_one_blank_entry(client, focal, cycle):
    client.post(section_url(cycle, "criminalization"), data={**LAW, "q_crim_laws-1-title": "Loi n° 2013-711"})
    page = client.get(section_url(cycle, "criminalization")).text
    assert input_value(page, "q_crim_laws-0-title") == "Code pénal"
    assert input_value(page, "q_crim_laws-1-title") == "Loi n° 2013-711"
    assert input_value(page, "q_crim_laws-2-title") == ""
    assert 'name="q_crim_laws-3-title"' not in page
    assert 'enctype="multipart/form-data"' in page
    # The JavaScript copies this template for "Add another law"; the button starts hidden.
    assert 'name="q_crim_laws-__index__-title"' in page
    assert re.search(r'<button type="button" class="button law-list__add" hidden>Add another law</button>', page)


def test_each_entry_gets_its_own_message_and_what_was_typed_is_kept(client, focal, cycle):
    response = client.post(section_url(cycle, "criminalization"), data={
        "q_crim_offence": "yes", "q_crim_law": "Penal Code",
        "q_crim_laws-0-title": "Code pénal", "q_crim_laws-0-url": "javascript:alert(1)",
        "q_crim_laws-1-article": "art. 4", "q_crim_laws-1-adopted": "05/08/2013",
        "q_crim_laws-2-title": "Bill 12", "q_crim_laws-2-status": "pending", "q_crim_laws-2-adopted": "2999-01-01",
    })
    assert response.status_code == 422
    assert field_errors(response.text) == [
        "Law 1: enter a web address that starts with http:// or https://.",
        "Law 2: enter its title.",
        "Law 2: enter the date of adoption as year-month-day, such as 2013-08-05.",
        "Law 3: the date of adoption cannot be in the future.",
        "Law 3: choose one of the statuses shown.",
    ]
    assert input_value(response.text, "q_crim_laws-0-url") == "javascript:alert(1)"
    assert input_value(response.text, "q_crim_laws-1-article") == "art. 4"
    assert _stored("crim_law") == "Penal Code"  # the other answers were saved
    assert _stored() is None


def test_messages_are_translated(client, login, cycle):
    user = factories.user("focal_point", "FRA")
    user.locale = "fr"
    db.session.commit()
    login(user)
    response = client.post(section_url(cycle, "criminalization"), data={
        "q_crim_offence": "yes", "q_crim_laws-0-article": "art. 4"})
    assert field_errors(response.text) == ["Loi 1 : indiquez son titre."]


def test_a_law_can_be_removed_and_the_last_removal_clears_the_answer(client, focal, cycle):
    client.post(section_url(cycle, "criminalization"), data={**LAW, "q_crim_laws-1-title": "Loi n° 2013-711"})
    client.post(section_url(cycle, "criminalization"), data={
        **LAW, "q_crim_laws-1-title": "Loi n° 2013-711", "q_crim_laws-0-remove": "1"})
    assert [law["title"] for law in _stored()] == ["Loi n° 2013-711"]
    client.post(section_url(cycle, "criminalization"), data={
        "q_crim_offence": "yes", "q_crim_laws-0-title": "Loi n° 2013-711", "q_crim_laws-0-remove": "1"})
    assert _stored() is None


def test_an_attachment_id_of_someone_else_is_not_trusted(client, focal, cycle):
    client.post(section_url(cycle, "criminalization"), data={**LAW, "q_crim_laws-0-attachment": "4242"})
    assert _stored()[0]["attachment"] is None


def test_read_only_views_and_the_one_line_reading(client, focal, login, cycle):
    client.post(section_url(cycle, "criminalization"), data={**LAW, "q_crim_laws-1-title": "Loi n° 2013-711"})
    login(factories.user("secretariat"))
    page = client.get(section_url(cycle, "criminalization")).text
    assert '<ol class="laws">' in page and "Code pénal" in page
    assert "In force, adopted on August 5, 2013" in page
    assert 'href="https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000027811120" rel="noopener noreferrer nofollow"' in page
    assert "Loi n° 2013-711" in client.get(overview_url(cycle) + "revisions/1").text

    questionnaire = questionnaire_for(cycle.questionnaire_version)
    with force_locale("fr"):
        line = format_answer(questionnaire.questions["crim_laws"], _stored(), "fr")
    assert line == ("Code pénal, art. 225-4-1 (En vigueur, date d’adoption : 5 août 2013) "
                    "https://www.legifrance.gouv.fr/codes/article_lc/LEGIARTI000027811120; Loi n° 2013-711")
