"""Login throttling per account and per client address, stored in the database."""
import re
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.audit.models import AuditEvent
from app.auth.models import LoginThrottle
from app.database import utcnow
from app.extensions import db
from tests import factories
from tests.helpers import request_reset

ROOT = Path(__file__).parent.parent
LOCKED = "Too many failed attempts."


def attempt(client, email, password="wrong password", address="192.0.2.10"):
    return client.post("/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address})


def fail(client, email, times, address="192.0.2.10"):
    for _ in range(times):
        assert attempt(client, email, address=address).status_code == 200


def unlock_all():
    db.session.execute(update(LoginThrottle).values(locked_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def test_five_failures_lock_the_account_even_for_the_right_password(client):
    user = factories.user("focal_point")
    fail(client, user.email, 5)
    response = attempt(client, user.email, factories.PASSWORD)
    assert response.status_code == 429 and LOCKED in response.text
    unlock_all()
    assert attempt(client, user.email, factories.PASSWORD).status_code == 302


def test_a_lock_reads_the_same_for_an_account_that_does_not_exist(client):
    user = factories.user("focal_point")
    fail(client, user.email, 5)
    fail(client, "nobody@example.org", 5, address="192.0.2.11")
    real = attempt(client, user.email)
    missing = attempt(client, "nobody@example.org", address="192.0.2.11")
    assert real.status_code == missing.status_code == 429
    # The echoed e-mail differs, and so may the CSRF tokens (they carry the second they were made).
    strip = lambda html: re.sub(r'(value|content)="[^"]*"', "", html)  # noqa: E731
    assert strip(real.text) == strip(missing.text)


def test_locks_double_up_to_a_bound_and_refused_attempts_do_not_extend_them(client):
    user = factories.user("focal_point")
    fail(client, user.email, 5)
    locks = []
    for _ in range(6):
        row = db.session.scalar(select(LoginThrottle).where(LoginThrottle.key == f"account:{user.email}"))
        locks.append(round((row.locked_until - row.last_failure_at).total_seconds() / 60))
        until = row.locked_until
        assert attempt(client, user.email).status_code == 429
        db.session.expire_all()
        assert db.session.scalar(select(LoginThrottle.locked_until).where(LoginThrottle.key == row.key)) == until
        unlock_all()
        fail(client, user.email, 1)
    assert locks == [1, 2, 4, 8, 15, 15]


def test_the_owners_usual_browser_is_not_locked_out_by_a_stranger(app, client):
    user = factories.user("focal_point")
    assert attempt(client, user.email, factories.PASSWORD, address="198.51.100.7").status_code == 302
    second = client.post("/login/two-factor", data={"code": factories.totp_code(user)},
                         environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert second.status_code == 302 and client.get_cookie("tip_device")  # a completed login marks the browser
    client.post("/logout")
    stranger = app.test_client()
    fail(stranger, user.email, 5, address="203.0.113.66")
    assert attempt(stranger, user.email, factories.PASSWORD, address="203.0.113.66").status_code == 429
    assert attempt(client, user.email, factories.PASSWORD, address="198.51.100.7").status_code == 302


def test_a_password_reset_clears_the_account_lock(client, outbox):
    user = factories.user("focal_point")
    fail(client, user.email, 5)
    request_reset(client, user.email)
    link = re.search(r"http://localhost(/password/reset/\S+)", outbox[-1].body).group(1)
    new = "violet kettle harbour ninety"
    client.post(link, data={"password": new, "confirm": new})
    assert attempt(client, user.email, new).status_code == 302


def test_many_failures_from_one_address_lock_that_address(client, app, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_FAILURES_PER_ADDRESS", 6)
    user = factories.user("focal_point")
    for index in range(6):
        attempt(client, f"guess{index}@example.org", address="192.0.2.99")
    assert attempt(client, user.email, factories.PASSWORD, address="192.0.2.99").status_code == 429
    assert attempt(client, user.email, factories.PASSWORD, address="192.0.2.100").status_code == 302


def test_wrong_two_factor_codes_count_as_failures(client):
    user = factories.user("secretariat")
    for _ in range(5):
        assert attempt(client, user.email, factories.PASSWORD).location == "/login/two-factor"
        client.post("/login/two-factor", data={"code": "123456"})
    attempt(client, user.email, factories.PASSWORD)
    assert attempt(client, user.email, factories.PASSWORD).status_code == 429


def test_failures_and_lockouts_are_in_the_audit_log(client):
    user = factories.user("focal_point")
    fail(client, user.email, 5)
    events = db.session.scalars(select(AuditEvent.event_type).order_by(AuditEvent.id)).all()
    assert events == ["login_failed"] * 5 + ["login_locked"]
    assert db.session.scalar(select(AuditEvent.ip_address).limit(1)) == "192.0.2.10"


@pytest.mark.subprocess
def test_the_count_holds_across_worker_processes(database_url):
    """Failures made by another process (another worker) lock the account here too."""
    user = factories.user("focal_point")
    script = textwrap.dedent(f"""
        from app import create_app
        client = create_app("testing", {{"SQLALCHEMY_DATABASE_URI": {database_url!r}}}).test_client()
        for _ in range(5):
            client.post("/login", data={{"email": {user.email!r}, "password": "wrong password"}})
    """)
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True)
    db.session.rollback()  # a new transaction: the test's own would still see the database as it was
    locked = db.session.scalar(select(LoginThrottle).where(LoginThrottle.key == f"account:{user.email}"))
    assert locked.failures == 5 and locked.locked_until > utcnow()


@pytest.mark.parametrize("address", ["192.0.2.10", "2001:db8::1"])
def test_keys_work_for_ipv4_and_ipv6(client, address):
    user = factories.user("focal_point")
    fail(client, user.email, 1, address=address)
    assert db.session.get(LoginThrottle, f"address:{address}").failures == 1
