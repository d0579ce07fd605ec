"""A session or CSRF token that expired during a long fill never discards the posted answers:
the user logs in again (or reloads) and finds them on the page, marked as not saved yet."""
import re
import time

import pytest
from sqlalchemy import func, select

from app.auth import sessions
from app.extensions import db
from app.responses.models import Revision
from app.stash.models import StashedForm
from tests import factories
from tests.helpers import input_value, page_form, section_url, sign_in

NOT_SAVED = "Your changes on this page are not saved yet."
SESSION_ENDED = "Your session has ended. Log in again"


@pytest.fixture
def later(monkeypatch):
    """``later(minutes)``: the clock of the session checks moves forward."""
    def move(minutes):
        now = time.time() + minutes * 60
        monkeypatch.setattr(sessions.time, "time", lambda: now)
    return move


def _log_in(client, user, url="/login"):
    """The login form (it posts to its own URL, ``next`` included), then the second factor."""
    response = client.post(url, data={"email": user.email, "password": factories.PASSWORD})
    if response.location.startswith("/login/two-factor"):
        response = client.post("/login/two-factor", data={"code": factories.totp_code(user)})
    return response


def _revisions():
    return db.session.scalar(select(func.count()).select_from(Revision))


def test_a_save_after_the_session_timed_out_is_kept_for_after_login(client, login, cycle, later):
    user = login(factories.user("focal_point", "FRA"))
    url = section_url(cycle, "criminalization")
    form = page_form(client.get(url).text, q_crim_law="Code pénal, art. 225-4-1", q_crim_offence="yes")
    later(45)  # idle longer than the 30 minutes a session lasts
    response = client.post(url, data=form)
    assert response.status_code == 302 and response.location.startswith("/login?next=")
    assert _revisions() == 0  # nothing saved without a session

    page = client.get(response.location).text
    assert SESSION_ENDED in page
    after_login = _log_in(client, user, response.location)  # the login form posts to its own URL
    assert after_login.location == url
    page = client.get(url).text
    assert NOT_SAVED in page and input_value(page, "q_crim_law") == "Code pénal, art. 225-4-1"
    assert client.post(url, data=page_form(page)).status_code == 302
    assert _revisions() == 1


def test_autosave_after_the_session_ended_asks_to_log_in_and_keeps_the_input(client, login, cycle, later):
    user = login(factories.user("focal_point", "FRA"))
    url = section_url(cycle, "criminalization")
    form = page_form(client.get(url).text, q_crim_law="First draft")
    later(45)
    reply = client.post(url, data=form, headers={"Accept": "application/json"})
    assert reply.status_code == 401
    body = reply.get_json()
    assert body["status"] == "login" and body["login_url"].startswith("/login?next=")
    form["q_crim_law"] = "Second draft"  # typed on after the first refusal
    client.post(url, data=form, headers={"Accept": "application/json"})
    assert db.session.scalar(select(func.count()).select_from(StashedForm)) == 1  # the latest only
    _log_in(client, user)
    assert input_value(client.get(url).text, "q_crim_law") == "Second draft"


def test_a_session_ended_elsewhere_keeps_the_input_too(app, client, login, cycle):
    user = login(factories.user("focal_point", "FRA"))
    url = section_url(cycle, "protection")
    form = page_form(client.get(url).text, q_prot_description="Shelters in every region")
    elsewhere = app.test_client()
    _log_in(elsewhere, user)
    elsewhere.post("/logout")  # logging out ends every session of the user
    assert client.post(url, data=form).location.startswith("/login")
    _log_in(client, user)
    assert input_value(client.get(url).text, "q_prot_description") is None  # a textarea
    assert "Shelters in every region" in client.get(url).text


def test_someone_else_logging_in_on_that_browser_does_not_get_the_input(client, login, cycle, later):
    focal = login(factories.user("focal_point", "FRA"))
    colleague = factories.user("contributor", "FRA")
    url = section_url(cycle, "criminalization")
    form = page_form(client.get(url).text, q_crim_law="Focal's draft")
    later(45)
    client.post(url, data=form)
    _log_in(client, colleague)
    assert "Focal&#39;s draft" not in client.get(url).text and "Focal's draft" not in client.get(url).text
    client.post("/logout")
    _log_in(client, focal)
    assert NOT_SAVED in client.get(url).text


def _token(html):
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def _csrf_log_in(client, user):
    token = _token(client.get("/login").text)
    assert sign_in(client, user, fields={"csrf_token": token}).status_code == 302


def test_an_expired_csrf_token_keeps_the_input_for_a_reload(csrf_client, cycle):
    user = factories.user("focal_point", "FRA")
    _csrf_log_in(csrf_client, user)
    url = section_url(cycle, "criminalization")
    form = page_form(csrf_client.get(url).text, q_crim_law="Typed for an hour")
    # The user logged out and in again in another tab: this page's token belongs to the old session.
    csrf_client.post("/logout", data={"csrf_token": _token(csrf_client.get(url).text)})
    _csrf_log_in(csrf_client, user)
    response = csrf_client.post(url, data=form, headers={"Origin": "http://localhost"})
    assert response.status_code == 302 and response.location == url
    page = csrf_client.get(url).text
    assert "This page had expired, so your changes were not saved." in page
    assert NOT_SAVED in page and input_value(page, "q_crim_law") == "Typed for an hour"
    assert _revisions() == 0


def test_an_expired_csrf_token_without_a_session_keeps_the_input_for_after_login(csrf_client, cycle):
    user = factories.user("focal_point", "FRA")
    _csrf_log_in(csrf_client, user)
    url = section_url(cycle, "criminalization")
    form = page_form(csrf_client.get(url).text, q_crim_law="Typed before the cookie was lost")
    csrf_client.delete_cookie("session")
    reply = csrf_client.post(url, data=form, headers={"Origin": "http://localhost", "Accept": "application/json"})
    assert reply.status_code == 401 and reply.get_json()["status"] == "login"
    _csrf_log_in(csrf_client, user)
    assert input_value(csrf_client.get(url).text, "q_crim_law") == "Typed before the cookie was lost"


def test_a_cross_site_post_is_refused_and_stashes_nothing(csrf_client, cycle):
    user = factories.user("focal_point", "FRA")
    _csrf_log_in(csrf_client, user)
    url = section_url(cycle, "criminalization")
    response = csrf_client.post(url, data={"q_crim_law": "planted"}, headers={"Origin": "https://evil.example"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(StashedForm)) == 0
