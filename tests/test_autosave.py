"""Autosave's JSON save (the section form posted asking for JSON), database errors that lose
nothing, and progress counted over the questions that apply."""
import re

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from app.extensions import db
from app.responses import merge
from app.responses import operations as ops
from app.responses.models import Response, Revision
from app.stash.models import StashedForm
from tests import factories
from tests.helpers import field_errors, input_value, overview_url, page_form, section_url

JSON = {"Accept": "application/json"}


@pytest.fixture
def page(client, login, cycle):
    """The criminalization page of France, opened by its focal point."""
    login(factories.user("focal_point", "FRA"))
    url = section_url(cycle, "criminalization")
    return url, client.get(url).text


def _revisions():
    return db.session.scalar(select(func.count()).select_from(Revision))


def test_the_page_carries_versions_a_status_and_the_script_but_no_inline_script(page):
    url, html = page
    assert input_value(html, "v_crim_law") == "0"
    assert re.search(r'<p class="save-status" role="status" aria-live="polite" hidden>', html)
    assert '<script src="/static/js/autosave.js" defer></script>' in html
    assert 'data-saving="Saving…"' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html) and " onclick=" not in html


def test_autosave_saves_and_returns_the_new_versions_and_progress(client, page):
    url, html = page
    reply = client.post(url, data=page_form(html, q_crim_offence="yes", q_crim_law="Penal Code"), headers=JSON)
    assert reply.status_code == 200
    body = reply.get_json()
    assert body["status"] == "saved" and body["revision"] == 1
    assert body["versions"]["crim_law"] == 1 and body["versions"]["crim_offence"] == 1
    assert body["progress"]["section"] == {"answered": 2, "total": 6, "text": "2 of 6 answered"}
    reply = client.post(url, data=page_form(html, q_crim_offence="yes", q_crim_law="Penal Code, art. 4",
                                            v_crim_law="1", v_crim_offence="1"), headers=JSON)
    assert reply.get_json()["revision"] == 2 and reply.get_json()["versions"]["crim_law"] == 2
    assert ops.answers_at(db.session.scalar(select(Response.id)))["crim_law"] == "Penal Code, art. 4"


def test_autosave_reports_invalid_answers_and_saves_the_others(client, page):
    url, html = page
    reply = client.post(url, data=page_form(html, q_crim_offence="yes", q_crim_law="Penal Code",
                                            q_crim_max_penalty="ten"), headers=JSON)
    assert reply.status_code == 422
    body = reply.get_json()
    assert body["errors"] == {"crim_max_penalty": ["Enter a whole number, such as 12."]}
    assert "crim_max_penalty" not in body["versions"] and body["versions"]["crim_law"] == 1
    assert client.post(url, data=page_form(client.get(url).text, q_crim_offence="no", q_crim_max_penalty="ten"),
                       headers=JSON).status_code == 200  # a question that does not apply is not checked


def test_a_busy_database_loses_nothing(client, page, monkeypatch):
    url, html = page
    client.post(url, data=page_form(html, q_crim_law="Saved before"))

    def busy(*args, **kwargs):
        raise OperationalError("SELECT", {}, Exception("database is locked"))

    monkeypatch.setattr(merge, "save_edits", busy)
    form = page_form(client.get(url).text, q_crim_law="Typed while the database was busy")
    reply = client.post(url, data=form, headers=JSON)
    assert reply.status_code == 503 and reply.get_json()["status"] == "retry"
    response = client.post(url, data=form)
    assert response.status_code == 503
    assert "could not reach its database, so what you sent was not saved" in response.text
    assert input_value(response.text, "q_crim_law") == "Typed while the database was busy"
    assert _revisions() == 1
    monkeypatch.undo()
    assert client.post(url, data=page_form(response.text, "send-again")).status_code == 302  # "Save again"
    assert ops.answers_at(db.session.scalar(select(Response.id)))["crim_law"] == "Typed while the database was busy"


def test_a_save_to_a_response_submitted_meanwhile_is_kept_for_its_return(client, login, cycle, page):
    url, html = page
    client.post(url, data=page_form(html, q_crim_offence="yes", q_crim_law="Act 1"))
    client.post(section_url(cycle, "protection"), data={"q_prot_shelter": "no"})
    stale = page_form(client.get(url).text, q_crim_law="Act 1, art. 2")
    assert client.post(overview_url(cycle) + "submit").status_code == 302
    reply = client.post(url, data=stale, headers=JSON)
    assert reply.status_code == 409 and reply.get_json()["status"] == "locked"
    assert db.session.scalar(select(func.count()).select_from(StashedForm)) == 1
    response = db.session.scalar(select(Response))
    ops.change_status(response, ops.Action.RETURN, factories.user("secretariat"))
    db.session.commit()
    assert input_value(client.get(url).text, "q_crim_law") == "Act 1, art. 2"


def test_reviewers_cannot_save(client, login, cycle):
    login(factories.user("secretariat"))
    reply = client.post(section_url(cycle, "criminalization"), data={"q_crim_law": "x"}, headers=JSON)
    assert reply.status_code == 403


def test_progress_counts_only_the_questions_that_apply(client, page, cycle):
    url, html = page
    client.post(url, data=page_form(html, q_crim_offence="no"))  # its follow-ups no longer apply
    overview = client.get(overview_url(cycle)).text
    assert re.search(r"<dt>All sections</dt>\s*<dd><span>1 of \d+ answered</span>", overview)
    section = client.get(url).text
    assert re.search(r'<dt>This section</dt>\s*<dd><span data-progress="section">1 of 1 answered', section)
    assert re.search(r'<dt>All sections</dt>\s*<dd><span data-progress="overall">1 of \d+ answered', section)


def test_the_save_button_shows_invalid_input_again_with_its_message(client, page):
    url, html = page
    response = client.post(url, data=page_form(html, q_crim_offence="partly", q_crim_max_penalty="ten"))
    assert response.status_code == 422 and "Enter a whole number, such as 12." in field_errors(response.text)
    assert input_value(response.text, "q_crim_max_penalty") == "ten"
