"""Sessions end on the server side, time out, and travel in well-flagged cookies."""
import re
import time

import pytest
from werkzeug.http import parse_cookie

from app.auth.sessions import LOGIN_AT, SEEN_AT
from tests import factories
from tests.helpers import sign_in


def _stolen_copy(app, client):
    """A second client holding a copy of ``client``'s session cookie, as a thief would."""
    thief = app.test_client()
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_logging_out_makes_a_stolen_cookie_worthless(app, client, login, cycle):
    login(factories.user("focal_point"))
    thief = _stolen_copy(app, client)
    assert thief.get(f"/cycles/{cycle.id}/states/FRA/").status_code == 200
    client.post("/logout")
    assert thief.get(f"/cycles/{cycle.id}/states/FRA/").location.startswith("/login")


def test_changing_the_password_ends_other_sessions_but_not_this_one(app, client, login):
    user = login(factories.user("focal_point"))
    elsewhere = app.test_client()
    sign_in(elsewhere, user)
    assert elsewhere.get("/account/").status_code == 200
    new = "violet kettle harbour ninety"
    assert client.post("/account/password", data={"current_password": factories.PASSWORD, "password": new,
                                                  "confirm": new}).status_code == 302
    assert client.get("/account/").status_code == 200
    assert elsewhere.get("/account/").location.startswith("/login")


def test_an_admin_disabling_an_account_ends_its_sessions(app, client, login):
    victim = factories.user("focal_point")
    victim_browser = app.test_client()
    sign_in(victim_browser, victim)
    assert victim_browser.get("/account/").status_code == 200
    login(factories.user("admin"))
    assert client.post(f"/admin/users/{victim.id}/disable").status_code == 302
    assert victim_browser.get("/account/").location.startswith("/login")
    response = sign_in(victim_browser, victim)
    assert "The e-mail address or password is not correct." in response.text
    client.post(f"/admin/users/{victim.id}/enable")
    assert sign_in(victim_browser, victim).status_code == 302


@pytest.mark.parametrize("key,age", [(SEEN_AT, 31 * 60), (LOGIN_AT, 12 * 3600 + 60)])
def test_idle_and_absolute_timeouts_end_the_session(client, login, key, age):
    login(factories.user("focal_point"))
    with client.session_transaction() as session:
        session[key] = int(time.time()) - age
    response = client.get("/account/")
    assert response.location.startswith("/login")
    assert "Your session has expired" in client.get(response.location).text


def test_activity_keeps_a_session_alive_until_the_absolute_timeout(client, login):
    login(factories.user("focal_point"))
    with client.session_transaction() as session:
        session[SEEN_AT] = int(time.time()) - 29 * 60
        session[LOGIN_AT] = int(time.time()) - 11 * 3600
    assert client.get("/account/").status_code == 200
    with client.session_transaction() as session:
        assert time.time() - session[SEEN_AT] < 5  # the request counted as activity


def test_timeouts_are_configurable(database_url, monkeypatch):
    monkeypatch.setenv("SESSION_IDLE_MINUTES", "5")
    monkeypatch.setenv("SESSION_ABSOLUTE_HOURS", "2")
    import importlib

    import config
    importlib.reload(config)
    try:
        assert config.Config.SESSION_IDLE_TIMEOUT.total_seconds() == 300
        assert config.Config.SESSION_ABSOLUTE_TIMEOUT.total_seconds() == 7200
    finally:
        monkeypatch.undo()
        importlib.reload(config)


def _cookie_attributes(response, name):
    header = next(value for value in response.headers.getlist("Set-Cookie") if value.startswith(name + "="))
    return {part.strip().split("=")[0].lower() for part in header.split(";")}, header


def test_session_cookies_are_httponly_and_samesite_lax(client):
    user = factories.user("focal_point")
    response = sign_in(client, user)
    attributes, header = _cookie_attributes(response, "session")
    assert {"httponly", "samesite"} <= attributes and "SameSite=Lax" in header
    assert "secure" not in attributes  # development serves plain http on localhost
    assert "tip_device" in parse_cookie(";".join(response.headers.getlist("Set-Cookie")))


def test_session_cookies_are_secure_and_host_prefixed_in_production(production_app):
    """``__Host-`` cookies: browsers take them only Secure, from this host, for the path /."""
    user = factories.user("focal_point")
    client = production_app().test_client()
    page = client.get("/login", base_url="https://localhost").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = sign_in(client, user, fields={"csrf_token": token}, base_url="https://localhost",
                       headers={"Referer": "https://localhost/login"})
    for name in ("__Host-session", "__Host-tip_device"):
        attributes, header = _cookie_attributes(response, name)
        assert {"secure", "httponly"} <= attributes and "SameSite=Lax" in header, header
        assert "domain" not in attributes and "Path=/;" in header + ";", header


def test_a_forged_cross_site_post_neither_creates_nor_replaces_a_session(csrf_client):
    """Another site's form posting here arrives without the SameSite=Lax session cookie; its
    error page used to set a new session cookie, replacing the victim's and so logging them out."""
    without_cookie = csrf_client.application.test_client()
    for path in ("/cycles/1/states/FRA/sections/x", "/logout", "/no/such/page"):
        for headers in ({}, {"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"}):
            response = without_cookie.post(path, data={"anything": "x"}, headers=headers)
            assert response.status_code in (302, 400, 404, 405), path
            assert not response.headers.getlist("Set-Cookie"), (path, headers)

    page = csrf_client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    sign_in(csrf_client, factories.user("focal_point"), fields={"csrf_token": token})
    assert csrf_client.get("/account/").status_code == 200
    marked = csrf_client.post("/account/password", data={"password": "x"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert marked.status_code == 400 and not marked.headers.getlist("Set-Cookie")
    assert csrf_client.get("/account/").status_code == 200  # still logged in
