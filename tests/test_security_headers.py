"""Security headers on every response, templates the CSP can allow, CSRF on JSON requests too."""
import logging
import re
from pathlib import Path

import pytest

from tests import factories

ROOT = Path(__file__).parent.parent


@pytest.mark.parametrize("url", ["/login", "/static/css/app.css", "/no-such-page", "/password/forgot"])
def test_every_response_carries_the_security_headers(client, url):
    headers = client.get(url).headers
    policy = headers["Content-Security-Policy"]
    for directive in ("script-src 'self'", "object-src 'none'", "base-uri 'self'", "frame-ancestors 'none'",
                      "form-action 'self'", "style-src 'self'", "default-src 'self'"):
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in headers  # development and tests run on plain http


def test_private_pages_are_not_cached(client, login):
    login(factories.user("focal_point"))
    assert client.get("/account/").headers["Cache-Control"] == "no-store"


def test_hsts_in_production_only(production_app):
    app = production_app()
    response = app.test_client().get("/login", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


TEMPLATES = sorted(path for path in (ROOT / "app").rglob("templates/**/*.html")
                   if "reports" not in path.parts)  # PDF templates are rendered by WeasyPrint, not browsers


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda path: str(path.relative_to(ROOT / "app")))
def test_templates_have_no_inline_script_handler_or_style(template):
    html = template.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", html, re.I), "inline event handler"
    assert not re.search(r"\sstyle\s*=", html, re.I), "style attribute"
    assert "javascript:" not in html.lower()


def _token(page: str) -> str:
    return re.search(r'<meta name="csrf-token" content="([^"]+)">', page).group(1)


def test_json_requests_need_the_csrf_header(csrf_client):
    page = csrf_client.get("/login").text
    refused = csrf_client.post("/language", json={"lang": "fr"})
    assert refused.status_code == 400
    accepted = csrf_client.post("/language", json={"lang": "fr"}, headers={"X-CSRFToken": _token(page)})
    assert accepted.status_code == 302
    forged = csrf_client.post("/language", json={"lang": "fr"}, headers={"X-CSRFToken": "forged"})
    assert forged.status_code == 400


def test_logged_in_post_routes_refuse_requests_without_a_token(csrf_client):
    user = factories.user("focal_point")
    page = csrf_client.get("/login").text
    csrf_client.post("/login", data={"email": user.email, "password": factories.PASSWORD,
                                     "csrf_token": re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)})
    for url in ("/account/password", "/account/two-factor", "/invitations/", "/logout"):
        assert csrf_client.post(url, data={}).status_code == 400, url


def test_security_events_and_access_denials_are_logged(client, login, caplog):
    caplog.set_level(logging.INFO, logger="app")
    login(factories.user("focal_point"))
    client.get("/review/")
    events = {record.fields["event"]: record.fields for record in caplog.records if hasattr(record, "fields")}
    assert "login_succeeded" in events and events["access_denied"]["status"] == 403
