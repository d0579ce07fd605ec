"""Saves take the response for writing before they read what they merge with; pages that only
read never do (on SQLite they begin DEFERRED, so they never wait for, or hold, the write lock)."""
import sqlalchemy as sa

from app.extensions import db
from tests import factories
from tests.helpers import page_form, section_url


def _statements(request, *args, **kwargs) -> list[str]:
    """Every SQL statement sent while the request is served, BEGINs included."""
    db.session.rollback()  # the test's own session holds no transaction into the request
    recorded = []

    def record(conn, cursor, statement, parameters, context, executemany):
        recorded.append(" ".join(statement.split()))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        request(*args, **kwargs)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    return recorded


def test_a_save_locks_before_it_reads_and_a_page_view_never_locks(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    url = section_url(cycle, "criminalization")
    client.post(url, data={"q_crim_law": "Act 1"})
    viewing = _statements(client.get, url)
    saving = _statements(client.post, url, data=page_form(client.get(url).text, q_crim_law="Act 2"))
    lock = next(i for i, s in enumerate(saving) if "FOR UPDATE" in s or s == "BEGIN IMMEDIATE")
    # What the save merges with is read under the lock: the answers it reads (only the revisions
    # it has not seen: app/responses/operations.py current_states), and the response's latest
    # revision number, read again by the locking statement.
    assert all(i > lock for i, s in enumerate(saving) if "FROM answer_changes" in s)
    assert any("FROM responses" in s for s in saving[lock:])
    if db.engine.dialect.name == "sqlite":
        assert saving[0] == "BEGIN IMMEDIATE"  # before the first read of the request
        assert "BEGIN" in viewing and "BEGIN IMMEDIATE" not in viewing
    else:
        assert any(s.endswith("FOR UPDATE OF responses") for s in saving)
    assert not any("FOR UPDATE" in s or s == "BEGIN IMMEDIATE" for s in viewing)
