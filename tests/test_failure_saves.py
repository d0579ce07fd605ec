"""A save is all-or-nothing, and no database error loses an answer.

Faults are injected under the app, at the driver (tests/faults.py): a statement of the save
raises the driver's own exception, the commit fails, or the connection is closed under the
save. Everything is checked through HTTP: the pages show the response exactly as before, the
reply gives the input back to send again, and sending it again saves it. Errors that may pass
are tried again (app.database.retrying)."""
import io
import re
import sqlite3

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select, text

from app import database
from app.audit.models import AuditEvent
from app.auth.models import User
from app.extensions import db
from app.responses import operations as ops
from app.responses.models import AnswerChange, Response, Revision
from tests import factories
from tests.faults import drop_connection
from tests.helpers import input_value, page_form, section_url, sign_in

JSON = {"Accept": "application/json"}
SAVE_AGAIN = "send-again"
#: The statements of a save that come after its first write (DELETE of the page's stashed input).
LATER_WRITES = ("UPDATE RESPONSES", "INSERT INTO REVISIONS", "INSERT INTO ANSWER_CHANGES", "INSERT INTO AUDIT_EVENTS",
                "COMMIT")
#: Typed in a form: quotes, markup, a line break and right-to-left text must all come back as typed
#: (and be stored as any answer is, with the browser's CRLF as LF).
TYPED = 'Loi n° 2013-711 "art. 4" <b>&amp;</b>\r\nقانون 2010'
STORED = TYPED.replace("\r\n", "\n")


@pytest.fixture
def page(client, login, cycle):
    """France's criminalization page after a first save (revision 1), opened by its focal point."""
    login(factories.user("focal_point", "FRA"))
    url = section_url(cycle, "criminalization")
    assert client.post(url, data=page_form(client.get(url).text, q_crim_offence="yes",
                                           q_crim_law="Penal Code")).status_code == 302
    return url, client.get(url).text


def _without_tokens(html: str) -> str:
    return re.sub(r'(csrf[-_]token"[^>]*?(?:value|content)=")[^"]*', r"\1", html)


def _shown(client, cycle):
    """What the pages show of the response: the section's fields (answers and the versions they
    were loaded at) and the history timeline."""
    section = page_form(client.get(section_url(cycle, "criminalization")).text)
    history = _without_tokens(client.get(f"/cycles/{cycle.id}/states/FRA/history").text)
    # The CSRF token and the editor's ticket are signed with the time the page was served.
    signed = ("csrf_token", "editor")
    return sorted((name, value) for name, value in section.items(multi=True) if name not in signed), history


def _stored():
    """Row counts of everything a save writes."""
    return [db.session.scalar(select(func.count()).select_from(model))
            for model in (Revision, AnswerChange, AuditEvent)]


def _answers():
    return ops.answers_at(db.session.scalar(select(Response.id)))


@pytest.mark.parametrize("statement", LATER_WRITES)
def test_a_save_failing_after_its_first_write_leaves_everything_as_it_was(client, cycle, page, inject, errors,
                                                                         statement):
    url, html = page
    before, stored = _shown(client, cycle), _stored()
    fault = inject(errors["lasting"], statement)
    reply = client.post(url, data=page_form(html, q_crim_law=TYPED, q_crim_max_penalty="10"))
    assert fault.hits and reply.status_code == 500
    assert "what you sent was not saved" in reply.text
    assert input_value(reply.text, "q_crim_law") == _escaped(TYPED)
    assert input_value(reply.text, "q_crim_max_penalty") == "10"
    inject.stop()
    assert _shown(client, cycle) == before and _stored() == stored
    assert client.post(url, data=page_form(reply.text, SAVE_AGAIN)).status_code == 302
    assert _answers()["crim_law"] == STORED and _answers()["crim_max_penalty"] == 10
    assert db.session.scalar(select(func.max(Revision.number))) == 2  # the failed save used up no number


def _escaped(value: str) -> str:
    """``value`` as an attribute of the page (what input_value reads)."""
    return value.replace("&", "&amp;").replace('"', "&#34;").replace("<", "&lt;").replace(">", "&gt;")


@pytest.mark.parametrize("kind", ["transient", "connection lost"])
def test_a_failure_that_passes_is_retried_and_the_save_goes_through(client, cycle, page, inject, errors, kind):
    url, html = page
    act = drop_connection if kind == "connection lost" else errors["transient"]
    revisions, changes, events = _stored()
    fault = inject(act, "INSERT INTO ANSWER_CHANGES", times=1)
    reply = client.post(url, data=page_form(html, q_crim_law="Saved at the second try"))
    assert len(fault.hits) == 1 and reply.status_code == 302
    assert "Your answers were saved." in client.get(url).text
    assert _answers()["crim_law"] == "Saved at the second try"
    assert _stored() == [revisions + 1, changes + 1, events + 1]  # one revision for the save, not two
    assert db.session.scalar(select(func.max(Revision.number))) == 2


def test_autosave_is_retried_too(client, page, inject):
    url, html = page
    inject(drop_connection, "UPDATE RESPONSES", times=1)
    reply = client.post(url, data=page_form(html, q_crim_law="Autosaved"), headers=JSON)
    assert reply.status_code == 200 and reply.get_json()["status"] == "saved" and reply.get_json()["revision"] == 2


def test_a_restore_is_retried_too(client, cycle, page, inject):
    url, html = page
    client.post(url, data=page_form(html, q_crim_law="Changed later"))
    fault = inject(drop_connection, "INSERT INTO REVISIONS", times=1)
    reply = client.post(f"/cycles/{cycle.id}/states/FRA/revisions/1/restore", data={"question": "crim_law"})
    assert fault.hits and reply.status_code == 302
    assert _answers()["crim_law"] == "Penal Code"


def test_retries_are_bounded_then_the_input_comes_back_to_be_sent_again(csrf_client, cycle, inject, errors):
    """With CSRF on, as in production: the page's form carries a fresh token and works."""
    user = factories.user("focal_point", "FRA")
    _csrf_log_in(csrf_client, user)
    url = section_url(cycle, "criminalization")
    form = page_form(csrf_client.get(url).text, q_crim_offence="partly", q_crim_law=TYPED,
                     q_crim_forms=["sexual", "forced_labour"], action="next")
    fault = inject(errors["transient"], "INSERT INTO REVISIONS")
    reply = csrf_client.post(url, data=form)
    assert len(fault.hits) == 1 + len(database.RETRY_PAUSES)
    assert reply.status_code == 503 and reply.headers["Retry-After"] == "10"
    assert reply.headers["Cache-Control"] == "no-store"
    assert "could not reach its database, so what you sent was not saved" in reply.text
    again = page_form(reply.text, SAVE_AGAIN)
    assert _without_token(again) == _without_token(form) and again["csrf_token"]
    assert db.session.scalar(select(func.count()).select_from(Response)) == 0
    inject.stop()
    saved = csrf_client.post(url, data=again)
    assert saved.status_code == 302 and saved.location.endswith("/sections/protection")  # "next" came along
    answers = _answers()
    assert answers["crim_law"] == STORED and answers["crim_offence"] == "partly"
    assert answers["crim_forms"] == ["sexual", "forced_labour"]
    assert csrf_client.post(url, data={**again.to_dict(), "csrf_token": "forged"}).status_code == 400


def _without_token(form) -> list:
    """The fields of a form, in order, but its CSRF token."""
    return [(name, value) for name, value in form.items(multi=True) if name != "csrf_token"]


def _csrf_log_in(client, user):
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").text).group(1)
    assert sign_in(client, user, fields={"csrf_token": token}).status_code == 302


def test_autosave_gets_a_503_to_try_again_later(client, page, inject, errors):
    url, html = page
    form = page_form(html, q_crim_law="Typed while the database was down")
    inject(errors["transient"], "INSERT INTO REVISIONS")
    reply = client.post(url, data=form, headers=JSON)
    assert reply.status_code == 503 and reply.headers["Retry-After"] == "10"
    assert reply.get_json() == {"status": "retry", "message": "Not saved yet: the database did not take your "
                                "changes. They are kept on this page and will be sent again shortly."}
    inject.stop()
    reply = client.post(url, data=form, headers=JSON)  # autosave.js tries again later
    assert reply.status_code == 200 and reply.get_json()["revision"] == 2


def test_a_constraint_violation_is_a_409_that_keeps_the_input(client, cycle, page, inject, errors):
    url, html = page
    before = _shown(client, cycle)
    inject(errors["constraint"], "INSERT INTO ANSWER_CHANGES")
    reply = client.post(url, data=page_form(html, q_crim_law="Clashed"))
    assert reply.status_code == 409 and "Retry-After" not in reply.headers
    assert "it clashed with data stored at the same moment" in reply.text
    assert input_value(reply.text, "q_crim_law") == "Clashed"
    json_reply = client.post(url, data=page_form(html, q_crim_law="Clashed"), headers=JSON)
    assert json_reply.status_code == 409 and json_reply.get_json()["status"] == "retry"
    inject.stop()
    assert _shown(client, cycle) == before
    assert client.post(url, data=page_form(reply.text, SAVE_AGAIN)).status_code == 302
    assert _answers()["crim_law"] == "Clashed"


def test_a_database_gone_from_the_first_statement_still_gives_the_input_back(client, cycle, page, inject,
                                                                              errors):
    """Not even the account can be read: the page is drawn without the database, in the
    browser's language, without the account menu."""
    url, html = page
    fault = inject(errors["transient"], "")
    reply = client.post(url, data=page_form(html, q_crim_law="Typed offline"), headers={"Accept-Language": "fr"})
    hits = len(fault.hits)
    assert reply.status_code == 503 and input_value(reply.text, "q_crim_law") == "Typed offline"
    assert '<html lang="fr"' in reply.text and "Enregistrer à nouveau" in reply.text
    assert "Log out" not in reply.text and "language-switcher" not in reply.text
    page_view = client.get(url)
    assert page_view.status_code == 503 and "Database unavailable" in page_view.text
    assert len(fault.hits) > hits and f'href="{url}"' in page_view.text  # "Try again"
    inject.stop()
    assert client.post(url, data=page_form(reply.text, SAVE_AGAIN)).status_code == 302


def test_a_database_gone_in_the_middle_of_a_save_answers_in_the_account_language(client, cycle, page, inject,
                                                                                 errors):
    url, html = page
    user = db.session.scalar(select(User).where(User.role == "focal_point"))
    user.locale = "es"
    db.session.commit()
    fault = inject(errors["transient"], "INSERT INTO REVISIONS", then_down=True)
    reply = client.post(url, data=page_form(html, q_crim_law="Escrito sin base de datos"))
    assert reply.status_code == 503
    assert len(fault.hits) == 1 + len(database.RETRY_PAUSES)  # each try; the page itself needed no query
    assert '<html lang="es"' in reply.text and "Guardar de nuevo" in reply.text
    assert input_value(reply.text, "q_crim_law") == "Escrito sin base de datos"


def test_a_file_is_read_again_when_the_save_is_retried(client, page, inject, errors):
    url, html = page
    pdf = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    inject(errors["transient"], "INSERT INTO ANSWER_CHANGES", times=1)
    form = page_form(html, **{"q_crim_laws-0-title": "Code pénal"})
    reply = client.post(url, content_type="multipart/form-data",
                        data={**form.to_dict(), "q_crim_laws-0-file": (io.BytesIO(pdf), "code.pdf")})
    assert reply.status_code == 302
    law = _answers()["crim_laws"][0]
    assert law["title"] == "Code pénal" and law["attachment"] is not None
    assert client.get(f"/attachments/{law['attachment']}").data == pdf


def test_files_cannot_be_kept_and_the_page_says_so(client, page, inject, errors):
    url, html = page
    inject(errors["transient"], "INSERT INTO ANSWER_CHANGES")
    form = page_form(html, **{"q_crim_laws-0-title": "Code pénal"})
    reply = client.post(url, content_type="multipart/form-data",
                        data={**form.to_dict(), "q_crim_laws-0-file": (io.BytesIO(b"%PDF-1.7\n"), "code.pdf")})
    assert reply.status_code == 503 and "Files you chose cannot be kept on this page" in reply.text
    assert input_value(reply.text, "q_crim_laws-0-title") == "Code pénal"


def test_a_failure_after_the_save_was_stored_says_it_was_saved(client, cycle, page, inject, errors):
    """After its commit a save reads only to say what needs attention: figures flagged by a check."""
    url = section_url(cycle, "data")
    html = client.get(url).text
    committed = []

    def commit(conn):
        committed.append(True)

    sa.event.listen(sa.engine.Engine, "commit", commit)
    try:
        inject(lambda conn: errors["lasting"](conn) if committed else None, "SELECT")
        reply = client.post(url, data=page_form(html, **{"q_data_victims-2023-women": "10",
                                                          "q_data_victims-2024-women": "100"}))
    finally:
        sa.event.remove(sa.engine.Engine, "commit", commit)
        inject.stop()
    assert reply.status_code == 500 and "What you sent was saved" in reply.text
    assert _answers()["data_victims"]["2024"] == {"women": 100, "total": 100}  # a jump to confirm


def _wait_out_a_row_lock(client, url, html, monkeypatch):
    """PostgreSQL: the save waits for the response's row lock, times out (SQLSTATE 55P03), is
    tried again once the lock is gone, and goes through."""
    monkeypatch.setattr(ops, "LOCK_TIMEOUT", "50ms")
    holder = db.engine.connect()
    holder.execute(text("SELECT id FROM responses FOR UPDATE"))
    timeouts = []

    def release(context):
        timeouts.append(context.original_exception)
        holder.rollback()

    sa.event.listen(db.engine, "handle_error", release)
    try:
        reply = client.post(url, data=page_form(html, q_crim_law="After the lock"))
    finally:
        sa.event.remove(db.engine, "handle_error", release)
        holder.close()
    assert [error.sqlstate for error in timeouts] == ["55P03"]
    assert reply.status_code == 302


def _give_the_input_back_past_the_busy_timeout(client, url, html, monkeypatch):
    """SQLite: a writing request takes the database-wide write lock at its first statement,
    before the save begins, and waits busy_timeout for it; past that, its input comes back on
    the page to save again (it already waited: it is not tried again)."""
    monkeypatch.setattr(database, "SQLITE_BUSY_TIMEOUT_MS", 50)
    db.engine.dispose()
    try:
        with database.write_transaction():
            holder = db.engine.connect()
            holder.begin()  # BEGIN IMMEDIATE: the write lock
        try:
            reply = client.post(url, data=page_form(html, q_crim_law="After the lock"))
        finally:
            holder.close()
    finally:
        monkeypatch.undo()
        db.engine.dispose()
    assert reply.status_code == 503 and input_value(reply.text, "q_crim_law") == "After the lock"
    assert client.post(url, data=page_form(reply.text, SAVE_AGAIN)).status_code == 302


def test_a_lock_held_by_another_writer_loses_no_input(client, page, monkeypatch):
    """A real lock, not a fake error, on each database as it locks."""
    url, html = page
    if db.engine.dialect.name == "postgresql":
        _wait_out_a_row_lock(client, url, html, monkeypatch)
    else:
        _give_the_input_back_past_the_busy_timeout(client, url, html, monkeypatch)
    assert _answers()["crim_law"] == "After the lock"


@pytest.mark.parametrize("error,transient", [
    (sqlite3.OperationalError("database is locked"), True),
    (sqlite3.OperationalError("no such table: nope"), False),
    (sqlite3.IntegrityError("UNIQUE constraint failed: revisions.number"), False),
])
def test_what_counts_as_transient_on_sqlite(error, transient):
    wrapped = sa.exc.DBAPIError.instance("INSERT", {}, error, sqlite3.Error)
    assert database.is_transient(wrapped) is transient


def test_what_counts_as_transient_on_postgresql():
    import psycopg
    from psycopg import errors as pg

    cases = {pg.SerializationFailure: True, pg.DeadlockDetected: True, pg.LockNotAvailable: True,
             pg.AdminShutdown: True, pg.ConnectionFailure: True, pg.TooManyConnections: True,
             pg.QueryCanceled: False, pg.DiskFull: False, pg.UniqueViolation: False, pg.UndefinedTable: False}
    for error_class, transient in cases.items():
        wrapped = sa.exc.DBAPIError.instance("SELECT", {}, error_class("x"), psycopg.Error)
        assert database.is_transient(wrapped) is transient, error_class
    lost = sa.exc.DBAPIError.instance("SELECT", {}, psycopg.OperationalError(
        "consuming input failed: server closed the connection unexpectedly"), psycopg.Error)
    assert database.is_transient(lost)
