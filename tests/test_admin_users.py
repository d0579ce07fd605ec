"""The administrators' page of user accounts."""
import re

import pytest

from app.auth.models import User
from app.extensions import db
from tests import factories


def test_admins_list_users_with_their_status(client, login):
    login(factories.user("admin"))
    factories.user("focal_point", email="focal@example.org", is_active=False)
    factories.user("contributor", email="pending@example.org").password_hash = ""
    db.session.commit()
    page = client.get("/admin/users").text
    assert "focal@example.org" in page and "Disabled" in page and "Invited" in page


@pytest.mark.parametrize("role", ["focal_point", "contributor", "secretariat"])
@pytest.mark.parametrize("method,url", [("get", "/admin/users"), ("post", "/admin/users/{id}/disable"),
                                        ("post", "/admin/users/{id}/enable"),
                                        ("post", "/admin/users/{id}/reset-two-factor")])
def test_only_admins_reach_the_user_pages(client, login, role, method, url):
    target = factories.user("focal_point", email="target@example.org")
    login(factories.user(role))
    assert getattr(client, method)(url.format(id=target.id)).status_code == 403
    assert db.session.get(User, target.id).is_active


def test_an_admin_cannot_disable_their_own_account(client, login):
    admin = login(factories.user("admin"))
    assert client.post(f"/admin/users/{admin.id}/disable").status_code == 404
    assert client.post("/admin/users/999999/disable").status_code == 404


def test_an_admin_resets_a_lost_second_factor(client, login):
    reviewer = factories.user("secretariat")
    login(factories.user("admin"))
    assert client.post(f"/admin/users/{reviewer.id}/reset-two-factor").status_code == 302
    reviewer = db.session.get(User, reviewer.id)
    assert not reviewer.two_factor_enabled and reviewer.totp_secret is None
    client.post("/logout")
    response = client.post("/login", data={"email": reviewer.email, "password": factories.PASSWORD})
    assert response.location == "/"
    assert client.get("/").location == "/account/two-factor"  # enrols again before anything else


def test_disabling_needs_a_csrf_token(csrf_client):
    admin = factories.user("admin")
    target = factories.user("focal_point")
    page = csrf_client.get("/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    csrf_client.post("/login", data={"email": admin.email, "password": factories.PASSWORD, "csrf_token": token})
    csrf_client.post("/login/two-factor", data={"code": factories.totp_code(admin), "csrf_token": token})
    users_page = csrf_client.get("/admin/users").text
    assert csrf_client.post(f"/admin/users/{target.id}/disable").status_code == 400
    assert db.session.get(User, target.id).is_active
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', users_page).group(1)
    assert csrf_client.post(f"/admin/users/{target.id}/disable", data={"csrf_token": fresh}).status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, target.id).is_active
