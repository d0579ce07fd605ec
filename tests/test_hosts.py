"""Links in e-mails never come from a request's Host header: production requires BASE_URL,
builds every absolute link from it, and refuses requests naming a host it does not serve."""
import re

import pytest

from app import create_app
from app import mail
from tests import factories
from tests.conftest import PRODUCTION_BASE_URL


def _csrf_token(client, path="/password/forgot", **kwargs) -> str:
    page = client.get(path, **kwargs).text
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def test_production_refuses_to_start_without_base_url(monkeypatch, database_url):
    monkeypatch.setenv("SECRET_KEY", factories.PRODUCTION_SECRET)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("BASE_URL", raising=False)
    with pytest.raises(RuntimeError, match="BASE_URL"):
        create_app("production")
    monkeypatch.setenv("BASE_URL", "http://tip.example.org")
    with pytest.raises(RuntimeError, match="https://"):
        create_app("production")


def test_a_request_naming_another_host_is_refused_and_mails_nothing(production_app):
    """The attack: a reset request sent with ``Host: evil.example`` used to mail the victim a
    genuine reset link to http://evil.example/password/reset/<token>."""
    user = factories.user("focal_point")
    app = production_app(MAIL_BACKEND="memory")
    client = app.test_client()
    evil = "https://evil.example"
    page = client.get("/password/forgot", base_url=evil)
    assert page.status_code == 400 and "evil" not in page.text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page.text)
    response = client.post("/password/forgot", base_url=evil, data={
        "email": user.email, "csrf_token": token.group(1) if token else ""}, headers={"Referer": evil + "/"})
    assert response.status_code == 400
    with app.app_context():
        assert mail.outbox() == []


def test_every_link_is_built_from_base_url_whatever_host_the_request_names(production_app):
    """A second name the operator trusts (TRUSTED_HOSTS) still gets links to BASE_URL."""
    user = factories.user("focal_point")
    app = production_app({"TRUSTED_HOSTS": "localhost, tip-alias.example.org"}, MAIL_BACKEND="memory")
    client = app.test_client()
    alias = "https://tip-alias.example.org"
    token = _csrf_token(client, base_url=alias)
    response = client.post("/password/forgot", base_url=alias, data={"email": user.email, "csrf_token": token},
                           headers={"Referer": alias + "/password/forgot"})
    response.close()  # the message goes out once the response has
    assert response.status_code == 302
    with app.app_context():
        [message] = mail.outbox()
    assert re.search(r"https://localhost/password/reset/[\w-]{40,}", message.body), message.body
    assert "tip-alias" not in message.body
    assert client.get("/api/v1/", base_url=alias).json["cycles"] == "https://localhost/api/v1/cycles"


def test_development_without_trusted_hosts_answers_any_host(client):
    assert client.get("/login", base_url="http://127.0.0.1:5000").status_code == 200


def test_links_of_notifications_come_from_base_url(production_app):
    """A comment reply e-mails the secretariat a link to the notification: never to the host the
    replying request named."""
    from app.notifications.delivery import link

    app = production_app({"TRUSTED_HOSTS": "localhost, tip-alias.example.org"})
    with app.test_request_context("/", base_url="https://tip-alias.example.org"):
        assert link(7) == "https://localhost/notifications/7"
