"""The read-only API: tokens made and revoked by the secretariat, stored as hashes; pagination;
JSON errors; an OpenAPI description that covers every route; CSRF untouched."""
import re
from datetime import timedelta

import pytest
from openapi_spec_validator import validate

from app.api.models import ApiToken, TokenScope
from app.api.tokens import create_token
from app.extensions import db
from app.responses import operations as ops
from app.responses.workflow import Action
from app.states.models import State
from tests import factories


def _create_token(client, scope="all", name="Data portal") -> str:
    page = client.post("/api-tokens/", data={"name": name, "scope": scope})
    assert page.status_code == 201
    return re.search(r'<code class="secret" dir="ltr">(tip_[\w-]+)</code>', page.text).group(1)


@pytest.fixture
def published(cycle):
    """Peru published, Chile accepted (with a confidential answer)."""
    focal, reviewer = factories.user("focal_point", "PER"), factories.user("secretariat")
    for code, statuses, confidential in (("PER", (Action.SUBMIT, Action.ACCEPT, Action.PUBLISH), set()),
                                         ("CHL", (Action.SUBMIT, Action.ACCEPT), {"crim_law"})):
        ops.create_response(db.session.get(State, code), cycle, focal,
                            {"crim_offence": "yes", "crim_law": f"Law of {code}", "crim_forms": ["sexual"]},
                            confidential)
        response = db.session.scalar(db.select(ops.Response).filter_by(state_code=code))
        for action in statuses:
            ops.change_status(response, action, reviewer)
    db.session.commit()
    return cycle


def test_a_token_is_shown_once_stored_as_a_hash_and_revoked_for_good(client, login, published):
    login(factories.user("secretariat"))
    secret = _create_token(client)
    stored = db.session.scalar(db.select(ApiToken))
    assert secret not in (stored.token_hash, stored.prefix) and secret.startswith(stored.prefix)
    assert secret not in client.get("/api-tokens/").text
    client.post("/logout")
    headers = {"Authorization": f"Bearer {secret}"}
    answers = client.get(f"/api/v1/cycles/{published.id}/responses/CHL", headers=headers).json["answers"]
    assert answers["crim_law"] == {"value": "Law of CHL", "revision": 1, "confidential": True}

    login(factories.user("secretariat"))
    page = client.post(f"/api-tokens/{stored.id}/revoke", follow_redirects=True).text
    assert "The token Data portal was revoked" in page and "Revoked on" in page
    client.post("/logout")
    refused = client.get(f"/api/v1/cycles/{published.id}/responses/CHL", headers=headers)
    assert refused.status_code == 401 and refused.json["error"]["code"] == "invalid_token"
    assert "revoked" in refused.json["error"]["message"] and refused.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_token_expires_a_year_after_it_was_made_and_its_last_use_is_shown(client, login, published):
    """Tokens used to work for ever; a forgotten one now stops after its lifetime."""
    login(factories.user("secretariat"))
    secret = _create_token(client)
    stored = db.session.scalar(db.select(ApiToken))
    assert timedelta(days=364) < stored.expires_at - stored.created_at <= timedelta(days=365)
    assert "Never" in client.get("/api-tokens/").text
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/cycles", headers=headers).status_code == 200
    db.session.expire_all()
    assert stored.last_used_at is not None and "Never" not in client.get("/api-tokens/").text

    stored.created_at -= timedelta(days=400)
    stored.expires_at -= timedelta(days=400)
    db.session.commit()
    refused = client.get("/api/v1/cycles", headers=headers)
    assert refused.status_code == 401 and "expired" in refused.json["error"]["message"]
    assert "Expired on" in client.get("/api-tokens/").text


def test_a_token_may_be_made_for_a_shorter_time(client, login, published):
    login(factories.user("secretariat"))
    assert client.post("/api-tokens/", data={"name": "Trial", "scope": "published", "lifetime": "30"}).status_code == 201
    stored = db.session.scalar(db.select(ApiToken))
    assert stored.expires_at - stored.created_at == timedelta(days=30)


def test_a_published_data_token_sees_what_anonymous_callers_see(client, login, published):
    login(factories.user("secretariat"))
    headers = {"Authorization": f"Bearer {_create_token(client, scope='published')}"}
    client.post("/logout")
    for auth in (headers, None):
        listing = client.get(f"/api/v1/cycles/{published.id}/responses", headers=auth).json
        assert [item["state"] for item in listing["data"]] == ["PER"]
        assert client.get(f"/api/v1/cycles/{published.id}/responses/CHL", headers=auth).status_code == 404
        assert client.get(f"/api/v1/cycles/{published.id}/responses?status=accepted", headers=auth).status_code == 403


def test_pagination_with_links(client, login, published):
    login(factories.user("secretariat"))
    headers = {"Authorization": f"Bearer {_create_token(client)}"}
    first = client.get(f"/api/v1/cycles/{published.id}/responses?per_page=1&lang=fr", headers=headers).json
    assert first["meta"] == {"page": 1, "per_page": 1, "total": 2, "pages": 2}
    assert [item["state"] for item in first["data"]] == ["CHL"] and first["data"][0]["state_name"] == "Chili"
    assert first["links"]["prev"] is None and "lang=fr" in first["links"]["next"]
    second = client.get(first["links"]["next"], headers=headers).json
    assert [item["state"] for item in second["data"]] == ["PER"] and second["links"]["next"] is None
    assert client.get(f"/api/v1/cycles/{published.id}/responses?per_page=500").json["error"]["code"] == "bad_page"


@pytest.mark.parametrize("method,url,status,code", [
    ("get", "/api/v1/nothing/here", 404, "not_found"),
    ("get", "/api/v1/cycles/999", 404, "not_found"),
    # Beyond the database's integers no route matches: the router's 404, in JSON all the same.
    ("get", "/api/v1/cycles/99999999999", 404, "not_found"),
    ("get", "/api/v1/cycles/99999999999/answers.csv", 404, "not_found"),
    ("put", "/api/v1/no/such/address", 405, "method_not_allowed"),
    ("get", "/api/v1/cycles/{cycle}/questions/nope/distribution", 404, "not_found"),
    ("get", "/api/v1/cycles/{cycle}/responses?status=lost", 400, "unknown_status"),
    ("get", "/api/v1/cycles/{cycle}/responses?region=abc", 400, "unknown_region"),
    ("get", "/api/v1/cycles/{cycle}/responses?lang=de", 400, "unknown_language"),
    ("post", "/api/v1/cycles", 405, "method_not_allowed"),
    ("delete", "/api/v1/cycles/{cycle}", 405, "method_not_allowed"),
])
def test_errors_are_json_with_a_message(client, published, method, url, status, code):
    response = getattr(client, method)(url.format(cycle=published.id))
    assert response.status_code == status and response.is_json
    assert response.json["error"]["code"] == code and len(response.json["error"]["message"]) > 20


def test_a_malformed_authorization_header_is_refused(client, published):
    response = client.get("/api/v1/cycles", headers={"Authorization": "Token abc"})
    assert response.status_code == 401 and "Bearer" in response.json["error"]["message"]


def test_the_openapi_description_is_valid_and_covers_every_route(client, app):
    document = client.get("/api/v1/openapi.json").json
    validate(document)
    routes = {re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1")) or "/"
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.") and rule.endpoint != "api.unknown"}
    assert routes == set(document["paths"])


def test_get_with_a_token_works_with_csrf_on_and_writes_still_need_csrf(client, login, published, app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    monkeypatch.setitem(app.config, "WTF_CSRF_CHECK_DEFAULT", True)
    secret = _token_directly()
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(f"/api/v1/cycles/{published.id}/responses", headers=headers).status_code == 200
    refused = client.post(f"/api/v1/cycles/{published.id}/responses", headers=headers)
    assert refused.status_code == 405 and refused.is_json
    user = factories.user("secretariat")
    client.post("/login", data={"email": user.email, "password": factories.PASSWORD})  # refused: no CSRF token
    csrf = _csrf_token(client.get("/login").text)
    assert client.post("/login", data={"email": user.email, "password": factories.PASSWORD,
                                       "csrf_token": csrf}).status_code == 302
    csrf = _csrf_token(client.get("/login/two-factor").text)
    assert client.post("/login/two-factor", data={"code": factories.totp_code(user),
                                                  "csrf_token": csrf}).status_code == 302
    assert client.post("/api-tokens/", data={"name": "no token", "scope": "all"}).status_code == 400
    csrf = _csrf_token(client.get("/api-tokens/").text)
    assert client.post("/api-tokens/", data={"name": "with token", "scope": "all", "csrf_token": csrf}).status_code == 201


def _csrf_token(page: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def _token_directly() -> str:
    secret = create_token("direct", TokenScope.ALL, factories.user("secretariat"))[1]
    db.session.commit()
    return secret


def test_cycle_describes_its_questionnaire_in_the_language_asked(client, published):
    data = client.get(f"/api/v1/cycles/{published.id}?lang=es").json
    questions = {q["id"]: q for s in data["questionnaire"]["sections"] for q in s["questions"]}
    assert questions["crim_offence"]["options"][0] == {"value": "yes", "label": "Sí"}
    assert questions["crim_law"]["show_if"] == {"question": "crim_offence", "in": ["yes", "partly"]}
    assert [row["id"] for row in questions["data_victims"]["rows"]] == ["2021", "2022", "2023", "2024", "2025"]
    assert questions["data_victims"]["marks"][0] == {"value": "not_collected", "label": "Datos no recopilados"}
    assert "marks" not in questions["prot_shelter_places"]  # an integer without marks: true
