"""Invitations: who may invite whom, the e-mailed link, accepting it."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.auth.models import AccountToken, User
from app.extensions import db
from tests import factories
from tests.helpers import sign_in

PASSPHRASE = "violet kettle harbour ninety"


def _link(outbox) -> str:
    return re.search(r"http://localhost(/invitations/accept/\S+)", outbox[-1].body).group(1)


def invite(client, email, role=None, state=None, locale="en"):
    data = {"email": email, "locale": locale}
    data.update({key: value for key, value in (("role", role), ("state", state)) if value is not None})
    return client.post("/invitations/", data=data)


def accept(client, link, name="Amina Diallo", password=PASSPHRASE):
    return client.post(link, data={"name": name, "password": password, "confirm": password})


def test_a_focal_point_invites_a_contributor_of_their_own_state(client, login, outbox):
    login(factories.user("focal_point", "KEN", name="Wanjiru Kamau"))
    response = invite(client, "Analyst@Example.org", role="focal_point", state="FRA", locale="fr")
    assert response.status_code == 302
    invited = db.session.scalar(select(User).where(User.email == "analyst@example.org"))
    assert (invited.role, invited.state_code, invited.has_password) == ("contributor", "KEN", False)
    message = outbox[-1]
    assert message.to == "analyst@example.org"
    assert message.subject == "Invitation à la plateforme d'auto-évaluation du Protocole relatif à la traite des personnes"
    assert "Wanjiru Kamau" in message.body and "Kenya" in message.body
    assert "analyst@example.org" in client.get("/invitations/").text


def test_accepting_sets_name_and_password_and_logs_in(app, client, outbox):
    login_client = app.test_client()
    inviter = factories.user("secretariat")
    sign_in(login_client, inviter)
    invite(login_client, "amina@example.org", role="focal_point", state="SEN")
    link = _link(outbox)
    page = client.get(link)
    assert page.status_code == 200 and "amina@example.org" in page.text
    response = accept(client, link)
    # Logged in, and first of all asked to enrol in two-factor authentication, as every account is.
    assert response.status_code == 302 and client.get("/").location == "/account/two-factor"
    user = db.session.scalar(select(User).where(User.email == "amina@example.org"))
    assert user.name == "Amina Diallo" and user.has_password
    assert accept(app.test_client(), link).status_code == 404  # the link works once


def test_the_password_policy_applies_with_the_name_just_entered(client, login, outbox):
    login(factories.user("focal_point"))
    invite(client, "amina@example.org")
    response = accept(client, _link(outbox), name="Amina Diallo", password="diallo family home")
    assert "must not contain your e-mail address or name" in response.text
    assert client.get(_link(outbox)).status_code == 200


def test_an_invitation_link_expires(client, login, outbox):
    login(factories.user("focal_point"))
    invite(client, "amina@example.org")
    token = db.session.scalar(select(AccountToken))
    assert token.expires_at - token.created_at == timedelta(days=7)
    db.session.execute(update(AccountToken).values(created_at=token.created_at - timedelta(days=8),
                                                   expires_at=token.created_at - timedelta(days=1)))
    db.session.commit()
    client.post("/logout")
    assert "This link no longer works" in client.get(_link(outbox)).text


def test_inviting_again_replaces_the_link(client, login, outbox):
    login(factories.user("focal_point"))
    invite(client, "amina@example.org")
    first = _link(outbox)
    invite(client, "amina@example.org")
    assert client.get(first).status_code == 404 and client.get(_link(outbox)).status_code == 200


def test_an_existing_account_cannot_be_invited(client, login, outbox):
    factories.user("focal_point", "FRA", email="taken@example.org")
    login(factories.user("focal_point", "KEN"))
    response = invite(client, "taken@example.org")
    assert "taken@example.org already has an account." in response.text and not outbox
    assert db.session.scalar(select(User.state_code).where(User.email == "taken@example.org")) == "FRA"


@pytest.mark.parametrize("inviter,role,allowed", [
    ("secretariat", "secretariat", True), ("secretariat", "admin", False), ("admin", "admin", True),
    ("focal_point", "contributor", True),
])
def test_who_may_invite_which_role(client, login, outbox, inviter, role, allowed):
    login(factories.user(inviter))
    invite(client, "new@example.org", role=role, state="FRA" if role in ("contributor", "focal_point") else "")
    assert (db.session.scalar(select(User.role).where(User.email == "new@example.org")) == role) is allowed


def test_contributors_cannot_invite(client, login):
    login(factories.user("contributor"))
    assert client.get("/invitations/").status_code == 403
    assert invite(client, "new@example.org").status_code == 403


def test_a_focal_point_sees_only_their_own_states_invitations(client, login):
    login(factories.user("focal_point", "FRA"))
    invite(client, "fra.colleague@example.org")
    login(factories.user("focal_point", "DEU"))
    invite(client, "deu.colleague@example.org")
    page = client.get("/invitations/").text
    assert "deu.colleague@example.org" in page and "fra.colleague@example.org" not in page
    assert "already has an account" in invite(client, "fra.colleague@example.org").text


def test_an_invited_reviewer_enrols_in_two_factor_after_accepting(client, login, outbox):
    login(factories.user("admin"))
    invite(client, "officer@example.org", role="secretariat", state="")
    client.post("/logout")
    accept(client, _link(outbox), name="Officer Example")
    assert client.get("/review/").location == "/account/two-factor"


def test_a_contributor_names_their_ministry_when_accepting(client, login, outbox):
    login(factories.user("focal_point", "KEN"))
    invite(client, "jean@example.org")
    client.post("/logout")
    link = _link(outbox)
    assert "Your ministry or agency" in client.get(link).text
    client.post(link, data={"name": "Jean Otieno", "organisation": " Ministry of Labour and Social Protection ",
                            "password": PASSPHRASE, "confirm": PASSPHRASE})
    user = db.session.scalar(select(User).where(User.email == "jean@example.org"))
    assert user.organisation == "Ministry of Labour and Social Protection"
