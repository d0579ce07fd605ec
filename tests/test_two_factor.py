"""Two-factor authentication: enrolment, login with a code, no replay, recovery codes."""
import re

import pyotp
import pytest
from sqlalchemy import select

from app.auth import twofactor
from app.audit.models import AuditEvent
from app.auth.models import RecoveryCode, User
from app.extensions import db
from tests import factories


def _password_step(client, user, next_url=""):
    response = client.post(f"/login{next_url}", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 302
    return response


def _enrol(client, user):
    """Go through the setup page; return the secret and the recovery codes shown."""
    page = client.get("/account/two-factor").text
    secret = re.search(r'<code class="secret" dir="ltr">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    response = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200, response.text
    return secret, re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", response.text)


def test_enrolment_shows_a_qr_code_and_the_key_then_recovery_codes_once(client, login):
    user = login(factories.user("focal_point", two_factor=False))
    page = client.get("/account/two-factor")
    assert page.headers["Cache-Control"] == "no-store"
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page.text and "style=" not in page.text.split("<svg")[1]
    secret, codes = _enrol(client, user)
    user = db.session.get(User, user.id)
    assert user.two_factor_enabled and user.totp_secret == secret
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10 and not set(codes) & set(stored)  # only hashes are kept
    page = client.get("/account/two-factor").text
    assert not any(code in page for code in codes)


def test_a_wrong_code_does_not_turn_two_factor_on(client, login):
    user = login(factories.user("focal_point", two_factor=False))
    client.get("/account/two-factor")
    response = client.post("/account/two-factor", data={"code": "000000"})
    assert "The code is not correct" in response.text
    assert not db.session.get(User, user.id).two_factor_enabled


def test_login_asks_for_the_code_and_keeps_the_destination(client):
    user = factories.user("secretariat")
    response = _password_step(client, user, "?next=/review/")
    assert response.location == "/login/two-factor"
    assert client.get("/").location.startswith("/login")  # not logged in before the code
    response = client.post("/login/two-factor", data={"code": factories.totp_code(user)})
    assert response.status_code == 302 and response.location == "/review/"
    assert client.get("/analysis/").status_code == 200


def test_a_code_cannot_be_used_twice(app, client):
    user = factories.user("secretariat")
    code = factories.totp_code(user)
    _password_step(client, user)
    assert client.post("/login/two-factor", data={"code": code}).status_code == 302
    other = app.test_client()
    _password_step(other, user)
    response = other.post("/login/two-factor", data={"code": code})
    assert response.status_code == 200 and "already used" in response.text


def test_an_older_code_is_refused_after_a_newer_one(client, monkeypatch):
    user = factories.user("secretariat")
    totp = pyotp.TOTP(factories.TOTP_SECRET)
    step = twofactor._current_step()
    assert twofactor.verify_code(user, totp.generate_otp(step))
    assert not twofactor.verify_code(user, totp.generate_otp(step - 1))  # still within the drift window
    assert twofactor.verify_code(user, totp.generate_otp(step + 1))
    assert not twofactor.verify_code(user, totp.generate_otp(step + 2))  # too far ahead


def test_a_recovery_code_logs_in_once(client, login, app):
    user = login(factories.user("focal_point", two_factor=False))
    _, codes = _enrol(client, user)
    client.post("/logout")
    _password_step(client, user)
    assert client.post("/login/two-factor", data={"code": codes[3].upper()}).status_code == 302
    other = app.test_client()
    _password_step(other, user)
    assert other.post("/login/two-factor", data={"code": codes[3]}).status_code == 200


@pytest.mark.parametrize("role", ["secretariat", "admin"])
def test_reviewers_must_enrol_before_reaching_anything(client, role, cycle):
    user = factories.user(role, two_factor=False)
    response = _password_step(client, user)
    for url in ("/", "/review/", "/audit/", f"/cycles/{cycle.id}/states/FRA/", "/account/"):
        assert client.get(url).location == "/account/two-factor", url
    assert "Your role gives access to every State's answers" in client.get("/account/two-factor").text
    _enrol(client, user)
    assert client.get("/analysis/").status_code == 200


@pytest.mark.parametrize("role", ["focal_point", "contributor"])
def test_state_users_must_enrol_before_reaching_anything(client, role, cycle):
    """Focal points and contributors hold unpublished and confidential answers (ASVS 5.0 6.3.3):
    they used to be free to skip two-factor authentication."""
    user = factories.user(role, "FRA", two_factor=False)
    _password_step(client, user)
    for url in ("/", f"/cycles/{cycle.id}/states/FRA/", f"/cycles/{cycle.id}/states/FRA/sections/criminalization",
                "/account/", "/notifications/"):
        assert client.get(url).location == "/account/two-factor", url
    assert "your State's unpublished and confidential answers" in client.get("/account/two-factor").text
    _, codes = _enrol(client, user)
    assert len(codes) == 10  # with recovery codes, as everyone
    assert client.get(f"/cycles/{cycle.id}/states/FRA/").status_code == 200


def test_a_production_setting_may_exempt_contributors_and_no_one_else(app, client, login, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_OPTIONAL_FOR_CONTRIBUTORS", True)
    contributor = factories.user("contributor", "FRA", two_factor=False)
    _password_step(client, contributor)
    assert client.get("/account/").status_code == 200  # not sent to enrol
    for role in ("focal_point", "secretariat", "admin"):
        assert factories.user(role, "FRA", two_factor=False).two_factor_required, role
    with_it = login(factories.user("contributor", "FRA"))
    assert "Turn off two-factor authentication" in client.get("/account/two-factor").text
    client.post("/account/two-factor/disable", data={"disable-password": factories.PASSWORD,
                                                     "disable-code": factories.totp_code(with_it)})
    assert not db.session.get(User, with_it.id).two_factor_enabled


@pytest.mark.parametrize("role", ["secretariat", "admin", "focal_point", "contributor"])
def test_no_one_can_turn_two_factor_off(client, login, role):
    user = login(factories.user(role, "FRA"))
    page = client.get("/account/two-factor").text
    assert "Turn off two-factor authentication" not in page
    response = client.post("/account/two-factor/disable",
                           data={"disable-password": factories.PASSWORD, "disable-code": factories.totp_code(user)})
    assert response.status_code == 403
    assert db.session.get(User, user.id).two_factor_enabled


def test_turning_two_factor_off_needs_the_password_and_a_current_code(app, client, login, outbox, monkeypatch):
    monkeypatch.setitem(app.config, "TWO_FACTOR_OPTIONAL_FOR_CONTRIBUTORS", True)  # the one exemption
    user = login(factories.user("contributor", two_factor=False))
    secret, _ = _enrol(client, user)
    code = factories.totp_code(db.session.get(User, user.id))
    refused = client.post("/account/two-factor/disable", data={"disable-password": "wrong", "disable-code": code})
    assert refused.status_code == 302 and db.session.get(User, user.id).two_factor_enabled
    client.post("/account/two-factor/disable", data={"disable-password": factories.PASSWORD, "disable-code": code})
    user = db.session.get(User, user.id)
    assert not user.two_factor_enabled and user.totp_secret is None
    assert db.session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == user.id)) is None
    assert "Two-factor authentication was turned off" in outbox[-1].body


def test_new_recovery_codes_replace_the_old_ones(client, login):
    user = login(factories.user("focal_point", two_factor=False))
    secret, old = _enrol(client, user)
    response = client.post("/account/two-factor/recovery-codes", data={"recovery-code": factories.totp_code(user)})
    new = re.findall(r"<li><code>([a-z0-9]{5}-[a-z0-9]{5})</code></li>", response.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert not twofactor.use_recovery_code(user, old[0])
    assert twofactor.use_recovery_code(user, new[0])


def test_the_demo_secret_works_in_the_demo_and_never_in_production(app, production_app):
    user = factories.user("secretariat")
    user.totp_secret = twofactor.DEMO_SECRET
    db.session.commit()
    assert twofactor.verify_code(user, pyotp.TOTP(twofactor.DEMO_SECRET).now())
    production = production_app()
    with production.app_context():
        user = db.session.get(User, user.id)
        user.totp_last_step = None
        assert not twofactor.verify_code(user, pyotp.TOTP(twofactor.DEMO_SECRET).now())


def test_the_demo_prints_the_current_code_of_its_reviewers(runner):
    result = runner.invoke(args=["demo-code"])
    assert result.exit_code == 0 and re.fullmatch(r"\d{6}\n", result.output)
    assert pyotp.TOTP(twofactor.DEMO_SECRET).verify(result.output.strip(), valid_window=1)


def test_the_command_line_resets_a_lost_second_factor(runner, client, login):
    user = login(factories.user("secretariat", email="lost.phone@example.org"))
    result = runner.invoke(args=["users", "reset-2fa", "Lost.Phone@example.org"])
    assert result.exit_code == 0 and "reset" in result.output
    db.session.expire_all()
    assert not user.two_factor_enabled and user.totp_secret is None
    assert client.get("/account/").location.startswith("/login")  # its sessions ended
    assert runner.invoke(args=["users", "reset-2fa", "nobody@example.org"]).exit_code == 1
    assert db.session.scalar(select(AuditEvent).filter_by(event_type="two_factor_reset")) is not None
