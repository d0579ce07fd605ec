"""The append-only audit log, its page, and structured JSON logs."""
import json
import logging
import re
import sys
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from app.audit import record_event
from app.logs import JsonLinesFormatter, RequestFields
from app.audit.models import AuditEvent
from app.database import utcnow
from app.extensions import db
from tests import factories


def test_record_event_stores_who_when_where_what_and_which_object(app, client, login):
    user = login(factories.user("focal_point"))
    with app.test_request_context("/x", environ_base={"REMOTE_ADDR": "2001:db8::7"}):
        event = record_event("response_saved", user=user, state_code="FRA", response_id=42, details={"answers": 3})
        db.session.commit()
    stored = db.session.get(AuditEvent, event.id)
    assert (stored.event_type, stored.user_id, stored.state_code, stored.response_id, stored.details) == \
        ("response_saved", user.id, "FRA", 42, {"answers": 3})
    assert stored.ip_address == "2001:db8::7"
    assert utcnow() - stored.occurred_at < timedelta(minutes=1)


def test_logins_and_logouts_are_recorded(client, login):
    user = login(factories.user("focal_point"))
    client.post("/logout")
    rows = db.session.execute(select(AuditEvent.event_type, AuditEvent.user_id).order_by(AuditEvent.id)).all()
    assert ("login_succeeded", user.id) in rows and rows[-1] == ("logout", user.id)


@pytest.mark.parametrize("statement", ["UPDATE audit_events SET event_type = 'nothing happened'",
                                       "DELETE FROM audit_events"])
def test_the_database_refuses_to_change_or_delete_audit_events(statement):
    record_event("login_failed", details={"email": "x@example.org"})
    db.session.commit()
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        db.session.execute(sa.text(statement))
    db.session.rollback()
    assert db.session.scalar(select(AuditEvent.event_type)) == "login_failed"


def _events_page(client, **filters):
    return client.get("/audit/", query_string=filters)


def test_the_secretariat_filters_the_audit_log_by_user_type_and_date(client, login):
    focal = factories.user("focal_point", email="focal.fra@example.org")
    record_event("password_changed", user=focal)
    db.session.add(AuditEvent(event_type="invitation_sent", user=focal, details={"email": "new@example.org"},
                              occurred_at=utcnow() - timedelta(days=10)))
    db.session.commit()
    login(factories.user("secretariat"))
    page = _events_page(client).text
    assert "Password changed" in page and "Invitation sent" in page and "new@example.org" in page
    assert "Password changed</td>" not in _events_page(client, user="someone.else").text
    assert "Password changed</td>" in _events_page(client, user="FOCAL.FRA").text
    by_type = _events_page(client, event_type="invitation_sent").text
    assert "Invitation sent</td>" in by_type and "Password changed</td>" not in by_type
    today = utcnow().date()
    recent = _events_page(client, date_from=(today - timedelta(days=1)).isoformat()).text
    assert "Password changed</td>" in recent and "Invitation sent</td>" not in recent
    older = _events_page(client, date_to=(today - timedelta(days=5)).isoformat()).text
    assert "Invitation sent</td>" in older and "Password changed</td>" not in older


@pytest.mark.parametrize("query", [{"date_to": "9999-12-31"}, {"date_from": "9999-12-31"}, {"date_from": "0001-01-01"},
                                   {"date_to": "not a date"}])
def test_a_date_out_of_range_is_a_400_with_its_message(client, login, query):
    """9999-12-31 has no next day: the filter used to fail with an OverflowError (500)."""
    login(factories.user("secretariat"))
    response = client.get("/audit/", query_string=query)
    assert response.status_code == 400 and 'class="field__error"' in response.text


def test_the_audit_log_is_escaped(client, login):
    record_event("login_failed", details={"email": "<script>alert(1)</script>"})
    db.session.commit()
    login(factories.user("secretariat"))
    page = _events_page(client).text
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_audit_log_pages_through_older_events(client, login):
    for index in range(105):
        record_event("login_failed", details={"email": f"guess{index}@example.org"})
    db.session.commit()
    login(factories.user("secretariat"))
    first = _events_page(client).text
    assert "guess104@example.org" in first and "guess4@example.org" not in first
    older = re.search(r'href="(/audit/\?[^"]*before=\d+[^"]*)"', first).group(1).replace("&amp;", "&")
    assert "guess4@example.org" in client.get(older).text


@pytest.mark.parametrize("role", ["focal_point", "contributor"])
def test_state_users_cannot_read_the_audit_log(client, login, role):
    login(factories.user(role))
    assert client.get("/audit/").status_code == 403


def test_log_lines_are_json_with_the_request_and_the_traceback(app):
    logger = logging.getLogger("app.errors")
    with app.test_request_context("/cycles/1/", method="POST", environ_base={"REMOTE_ADDR": "192.0.2.5"}):
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            record = logger.makeRecord(logger.name, logging.ERROR, __file__, 1, "Unhandled error", (),
                                       sys.exc_info())
        RequestFields().filter(record)
    line = json.loads(JsonLinesFormatter().format(record))
    assert line["level"] == "ERROR" and line["message"] == "Unhandled error"
    assert (line["method"], line["path"], line["ip"]) == ("POST", "/cycles/1/", "192.0.2.5")
    assert "RuntimeError: boom" in line["exception"]


def test_the_app_logger_writes_json_lines(app):
    handlers = logging.getLogger("app").handlers
    assert any(isinstance(handler.formatter, JsonLinesFormatter) for handler in handlers)
