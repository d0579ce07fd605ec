"""Logging in and out, password hashing, CSRF."""
import re

import pytest

from app.auth.models import User
from app.extensions import db
from tests import factories
from tests.helpers import sign_in


def test_login_with_correct_password_and_logout(client):
    user = factories.user("focal_point", "FRA")
    response = client.post("/login", data={"email": user.email.upper(), "password": factories.PASSWORD})
    assert response.status_code == 302 and response.location == "/login/two-factor"
    assert client.post(response.location, data={"code": factories.totp_code(user)}).status_code == 302
    assert client.get("/").status_code == 200
    assert client.post("/logout").status_code == 302
    assert client.get("/").location.endswith("/login")


@pytest.mark.parametrize("email,password", [("focal@example.org", "wrong password"), ("nobody@example.org", "x")])
def test_wrong_credentials_get_one_message_that_does_not_reveal_accounts(client, email, password):
    factories.user("focal_point", "FRA", email="focal@example.org")
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 200
    assert "The e-mail address or password is not correct." in response.text


def test_disabled_account_cannot_log_in(client):
    user = factories.user("focal_point", "FRA", is_active=False)
    response = sign_in(client, user)
    assert "not correct" in response.text


def test_passwords_are_stored_as_argon2id(client):
    user = factories.user("secretariat")
    assert user.password_hash.startswith("$argon2id$")
    assert factories.PASSWORD not in user.password_hash


def test_outdated_hash_is_upgraded_at_login(client, app):
    from argon2 import PasswordHasher

    user = factories.user("secretariat")
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=512, parallelism=1).hash(factories.PASSWORD)
    db.session.commit()
    sign_in(client, user)
    refreshed = db.session.get(User, user.id)
    assert "m=1024" in refreshed.password_hash


def test_login_redirects_only_to_local_pages(client):
    user = factories.user("focal_point")
    client.post("/login?next=https://evil.example/x", data={"email": user.email, "password": factories.PASSWORD})
    response = client.post("/login/two-factor", data={"code": factories.totp_code(user)})
    assert response.location == "/"
    client.post("/logout")
    client.post("/login?next=/review/", data={"email": user.email, "password": factories.PASSWORD})
    response = client.post("/login/two-factor", data={"code": factories.totp_code(user)})
    assert response.location == "/review/"


def _token(html):
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def test_forms_carry_a_csrf_token_and_posts_without_it_are_refused(csrf_client, cycle):
    user = factories.user("focal_point", "FRA")
    login_page = csrf_client.get("/login").text
    refused = sign_in(csrf_client, user)
    assert refused.status_code == 400 and "The form had expired" in refused.text
    assert sign_in(csrf_client, user, fields={"csrf_token": _token(login_page)}).status_code == 302
    section = csrf_client.get(f"/cycles/{cycle.id}/states/FRA/sections/data").text
    assert csrf_client.post(f"/cycles/{cycle.id}/states/FRA/sections/data",
                            data={"q_data_body": "x"}).status_code == 400
    saved = csrf_client.post(f"/cycles/{cycle.id}/states/FRA/sections/data",
                             data={"q_data_body": "x", "csrf_token": _token(section)})
    assert saved.status_code == 302
    assert csrf_client.post("/logout").status_code == 400  # logging out needs the token too
