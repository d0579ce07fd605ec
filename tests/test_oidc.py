"""The secretariat signs in with its organisation's OpenID Connect provider: a real provider
(oidc-provider-mock) runs on loopback, and the platform talks to it over HTTP as it would to
the organisation's."""
from urllib.parse import parse_qs, urlsplit

import oidc_provider_mock
import pytest
import requests
from sqlalchemy import select

from app import create_app
from app.audit.models import AuditEvent
from app.auth.models import IdentityLink, User
from app.extensions import db
from tests import factories
from tests.conftest import fresh_globals_per_request

#: The mock provider calls Authlib server APIs that Authlib marks deprecated; not ours to fix.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

PEOPLE = {
    "amina": {"email": "amina.diallo@un.org", "email_verified": True, "name": "Amina Diallo", "groups": []},
    "boris": {"email": "boris@partner.example", "email_verified": True, "name": "Boris", "groups": ["tip-admins"]},
    "carla": {"email": "carla@elsewhere.example", "email_verified": True, "name": "Carla", "groups": ["staff"]},
    "dmitri": {"email": "dmitri@un.org", "email_verified": False, "name": "Dmitri", "groups": []},
    "local": {"email": "reviewer@un.org", "email_verified": True, "name": "Reviewer", "groups": []},
}


@pytest.fixture(scope="module")
def provider():
    users = [oidc_provider_mock.User(sub=sub, claims=claims) for sub, claims in PEOPLE.items()]
    with oidc_provider_mock.run_server_in_thread(require_nonce=True, user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def sso(database_url, provider):
    """An app whose secretariat signs in at ``provider``: un.org is the secretariat, the group
    tip-admins the administrators."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "OIDC_ISSUER": provider,
                                 "OIDC_CLIENT_ID": "tip-platform", "OIDC_CLIENT_SECRET": "client-secret",
                                 "OIDC_SECRETARIAT_DOMAINS": "un.org", "OIDC_ADMIN_GROUPS": "tip-admins"})
    fresh_globals_per_request(app)
    return app


def _to_provider(client) -> str:
    response = client.get("/login/organisation/")
    assert response.status_code == 302
    return response.location


def _provider_answers(authorize_url: str, sub: str) -> str:
    """The person ``sub`` signs in at the provider, which sends the browser back to the platform."""
    answer = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def _callback(client, location: str):
    parts = urlsplit(location)
    return client.get(parts.path, query_string=parts.query)


def sign_in(client, sub: str):
    return _callback(client, _provider_answers(_to_provider(client), sub))


def _events(kind: str) -> list[AuditEvent]:
    return db.session.scalars(select(AuditEvent).filter_by(event_type=kind)).all()


def _linked_user_id() -> int | None:
    """Read in a transaction of its own: the test's session must not hold a snapshot older than
    the app's writes when it writes itself (SQLite refuses that)."""
    db.session.rollback()
    linked = db.session.scalar(select(IdentityLink.user_id))
    db.session.rollback()
    return linked


def test_without_oidc_configured_nothing_changes(app, client):
    assert client.get("/login/organisation/").status_code == 404
    assert "organisation" not in client.get("/login").text.lower()


def test_a_secretariat_member_signs_in_with_pkce_state_and_nonce(sso):
    client = sso.test_client()
    assert "sign in with your organisation" in client.get("/login").text
    authorize = _to_provider(client)
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0] and query["scope"] == ["openid email profile"]
    response = _callback(client, _provider_answers(authorize, "amina"))
    assert response.status_code == 302 and response.location == "/"
    user = db.session.scalar(select(User).filter_by(email="amina.diallo@un.org"))
    assert user.role == "secretariat" and user.name == "Amina Diallo" and not user.has_password
    assert client.get("/analysis/").status_code == 200  # the provider vouches for the second factor
    link = db.session.scalar(select(IdentityLink))
    assert (link.user_id, link.issuer, link.subject) == (user.id, sso.config["OIDC_ISSUER"], "amina")


def test_claims_map_to_roles_through_the_allow_lists(sso):
    client = sso.test_client()
    sign_in(client, "boris")  # a domain on no list, but the admin group
    assert db.session.scalar(select(User.role).filter_by(email="boris@partner.example")) == "admin"
    assert client.get("/admin/users").status_code == 200


@pytest.mark.parametrize("sub", ["carla", "dmitri"], ids=["domain and group on no list", "unverified address"])
def test_a_refused_domain_gets_no_account(sso, sub):
    client = sso.test_client()
    response = sign_in(client, sub)
    assert response.status_code == 302 and response.location == "/login"
    assert "is not allowed to use this platform" in client.get("/login").text
    assert db.session.scalar(select(User).filter_by(email=PEOPLE[sub]["email"])) is None
    assert client.get("/analysis/").location.startswith("/login")
    assert _events("oidc_login_refused")


def test_a_replayed_state_is_refused(sso):
    client = sso.test_client()
    location = _provider_answers(_to_provider(client), "amina")
    assert _callback(client, location).location == "/"
    client.post("/logout")
    replayed = _callback(client, location)
    assert replayed.location == "/login" and client.get("/analysis/").location.startswith("/login")
    assert _events("oidc_login_failed")
    # Nor does a state this browser never sent (a login forced on someone else's browser).
    stranger = sso.test_client()
    assert _callback(stranger, _provider_answers(_to_provider(client), "amina")).location == "/login"


def test_an_id_token_from_another_issuer_is_refused(sso, provider):
    """The same provider reached under another name signs its tokens as another issuer."""
    client = sso.test_client()
    authorize = _to_provider(client)
    with sso.app_context():
        metadata = sso.extensions["tip_oidc"].create_client("organisation").server_metadata
        metadata["token_endpoint"] = metadata["token_endpoint"].replace("localhost", "127.0.0.1")
    response = _callback(client, _provider_answers(authorize, "amina"))
    assert response.location == "/login" and db.session.scalar(select(User).filter_by(email=PEOPLE["amina"]["email"])) is None
    assert "issuer" in _events("oidc_login_failed")[0].details["reason"] or "iss" in _events("oidc_login_failed")[0].details["reason"]


def test_an_issuer_named_in_the_response_must_be_ours(sso):
    client = sso.test_client()
    location = _provider_answers(_to_provider(client), "amina") + "&iss=https%3A%2F%2Fevil.example"
    assert _callback(client, location).location == "/login"
    assert db.session.scalar(select(User).filter_by(email=PEOPLE["amina"]["email"])) is None


def test_a_local_account_is_linked_only_after_its_password_and_code(sso):
    local = factories.user("secretariat", email="reviewer@un.org")
    client = sso.test_client()
    response = sign_in(client, "local")
    assert response.location == "/login/organisation/link"
    assert client.get("/analysis/").location.startswith("/login")  # not signed in, not linked
    assert _linked_user_id() is None
    page = client.get("/login/organisation/link").text
    assert "reviewer@un.org" in page and 'name="password"' in page and 'name="code"' in page

    wrong = client.post("/login/organisation/link", data={"password": "not the password",
                                                         "code": factories.totp_code(local)})
    assert wrong.status_code == 422 and _linked_user_id() is None
    no_code = client.post("/login/organisation/link", data={"password": factories.PASSWORD, "code": "000000"})
    assert no_code.status_code == 422 and _linked_user_id() is None

    linked = client.post("/login/organisation/link", data={"password": factories.PASSWORD,
                                                          "code": factories.totp_code(local)})
    assert linked.location == "/" and client.get("/analysis/").status_code == 200
    assert _linked_user_id() == local.id
    client.post("/logout")
    assert sign_in(client, "local").location == "/"  # linked: straight in from now on


def test_a_state_account_of_the_same_address_is_never_linked(sso):
    factories.user("focal_point", "FRA", email="reviewer@un.org")
    client = sso.test_client()
    sign_in(client, "local")
    response = client.get("/login/organisation/link")
    assert response.location == "/login" and db.session.scalar(select(IdentityLink)) is None
    assert db.session.scalar(select(User.role).filter_by(email="reviewer@un.org")) == "focal_point"


def test_logout_is_local_and_at_the_provider(sso, provider):
    client = sso.test_client()
    sign_in(client, "amina")
    response = client.post("/logout")
    assert response.location.startswith(provider + "/oauth2/end_session?")
    query = parse_qs(urlsplit(response.location).query)
    assert query["id_token_hint"][0].count(".") == 2 and query["post_logout_redirect_uri"] == ["http://localhost/login"]
    assert client.get("/analysis/").location.startswith("/login")
