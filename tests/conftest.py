"""Test fixtures: one app per session, a clean database per test.

The schema is built by the Alembic migrations (so every run also tests them), on a temporary
SQLite file or, when ``TEST_DATABASE_URL`` is set, on that PostgreSQL database.
"""
import os
import re
import uuid
from contextlib import contextmanager
from pathlib import Path

import flask_babel
import pytest
import sqlalchemy as sa
from alembic import command
from flask import g

from app import create_app
from app.database import alembic_config
from app.extensions import db
from app.models import metadata
from app.questionnaires.operations import load_directory
from app.states.operations import sync_member_states
from tests import factories

#: Fixtures of their own modules, for every test: database faults injected under the app.
pytest_plugins = ["tests.faults"]

FIXTURES = Path(__file__).parent / "fixtures"
#: Tables of reference data that stay loaded across tests.
KEPT_TABLES = {"states", "questionnaire_versions", "alembic_version"}
FIXTURE_QUESTIONNAIRES = ("test-questionnaire",)
#: Where the production apps of the tests are served (their BASE_URL).
PRODUCTION_BASE_URL = "https://localhost"
#: Tables whose triggers refuse UPDATE and DELETE (the audit log; revisions and the answers
#: they hold, whose emptying also lifts, for that moment, the triggers that guard their inserts).
APPEND_ONLY_TABLES = {"audit_events", "revisions", "answer_changes"}


def _empty_append_only(connection, table) -> None:
    """Between tests only: step around the append-only triggers to empty the table."""
    if connection.scalar(sa.select(sa.literal(1)).select_from(table).limit(1)) is None:
        return
    if connection.dialect.name == "postgresql":
        connection.execute(sa.text("SET LOCAL session_replication_role = replica"))
        connection.execute(table.delete())
        connection.execute(sa.text("SET LOCAL session_replication_role = origin"))
        return
    triggers = connection.execute(sa.text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                                          "AND tbl_name = :table"), {"table": table.name}).all()
    for name, _ in triggers:
        connection.execute(sa.text(f'DROP TRIGGER "{name}"'))
    connection.execute(table.delete())
    for _, sql in triggers:
        connection.execute(sa.text(sql))


def _reset_schema(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    command.upgrade(alembic_config(url), "head")


def pytest_collection_modifyitems(config, items):
    """Marks the browser tests; deselects (rather than skips) what applies to the other database
    only (marked ``postgresql`` or ``sqlite``): the other pass of ``.ci/run`` runs it."""
    on_postgresql = os.environ.get("TEST_DATABASE_URL", "").startswith("postgresql")
    kept, deselected = [], []
    for item in items:
        if "/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
        other_database = item.get_closest_marker("sqlite" if on_postgresql else "postgresql")
        (deselected if other_database else kept).append(item)
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture(scope="session")
def database_url(tmp_path_factory, worker_id):
    """The suite's database. ``make test`` runs the suite in parallel processes (pytest-xdist):
    each has a SQLite file of its own, or on PostgreSQL a database of its own beside
    TEST_DATABASE_URL's, made for the run and dropped after it."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    if worker_id == "master":
        yield url
        return
    base = sa.engine.make_url(url)
    name = f"{base.database}_{worker_id}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield base.set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    _reset_schema(database_url)
    app = create_app("testing", {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "QUESTIONNAIRE_DIR": str(FIXTURES / "questionnaires"),
        "UPLOAD_DIR": str(tmp_path_factory.mktemp("uploads")),
    })
    # Test requests run inside the test's app context, where Flask-Babel caches the locale;
    # in production every request has its own context. Start each request afresh.
    app.before_request(flask_babel.refresh)
    with app.app_context():
        sync_member_states()
        load_directory(FIXTURES / "questionnaires")
        db.session.commit()
    # A test's requests share its app context (and so ``g``); in production each request has
    # its own, so the language one request chose must not stick to the next.
    app.before_request(flask_babel.refresh)
    fresh_globals_per_request(app)
    return app


def fresh_globals_per_request(app) -> None:
    """In production each request has an application context, and so a ``g``, of its own;
    tests keep one context open across requests (for ``db.session``), so each request starts
    with an empty ``g`` here, lest one client's logged-in user leak into another's request."""

    def clear_globals(endpoint=None, values=None):
        for name in list(g):
            delattr(g, name)

    # The first hook of a request: URL value preprocessors run before before_request functions.
    app.url_value_preprocessors.setdefault(None, []).insert(0, clear_globals)

    def end_transaction(error=None):
        """Production removes the session when a request's context ends; here the session
        outlives the request, so at least its transaction must end (on SQLite a transaction a
        POST began holds the write lock)."""
        db.session.rollback()

    app.teardown_request(end_transaction)


@pytest.fixture(autouse=True)
def clean_database(app):
    """Each test starts with only the reference data (States, questionnaire versions)."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(metadata.sorted_tables):
                if table.name in APPEND_ONLY_TABLES:
                    _empty_append_only(connection, table)
                elif table.name not in KEPT_TABLES:
                    connection.execute(table.delete())
            versions = metadata.tables["questionnaire_versions"]
            connection.execute(versions.delete().where(versions.c.code.not_in(FIXTURE_QUESTIONNAIRES)))


@pytest.fixture
def empty_database(database_url, tmp_path):
    """A fresh, empty database of the same kind as the suite's."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    name = f"tip_migrations_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.engine.make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def csrf_client(database_url):
    """A client of an app that checks CSRF tokens, as production does."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True})
    fresh_globals_per_request(app)
    with app.app_context():
        yield app.test_client()


@pytest.fixture
def production_app(database_url, monkeypatch):
    """``production_app(**config)``: an app of the production configuration on the suite's
    database, whose public address (BASE_URL) is https://localhost, the test client's."""

    def make(environment: dict | None = None, **config):
        for name, value in {"SECRET_KEY": factories.PRODUCTION_SECRET, "DATABASE_URL": database_url,
                            "BASE_URL": PRODUCTION_BASE_URL, **(environment or {})}.items():
            monkeypatch.setenv(name, value)
        # Jobs run at once, as the testing configuration runs them (on PostgreSQL in the test process).
        jobs = {"JOBS_EAGER": True, "JOBS_BACKEND": "inprocess"}
        made = create_app("production", {"SQLALCHEMY_DATABASE_URI": database_url, **jobs, **config})
        fresh_globals_per_request(made)
        return made

    return make


@pytest.fixture
def cycle(app):
    return factories.cycle()


@pytest.fixture
def login(client):
    """``login(user)`` logs the test client in through the login form, entering a current
    two-factor code when the account has two-factor authentication."""

    def log_in(user, password=factories.PASSWORD):
        client.post("/logout")
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.text
        if response.location.startswith("/login/two-factor"):
            response = client.post(response.location, data={"code": factories.totp_code(user)})
            assert response.status_code == 302, response.text
        return user

    return log_in


@pytest.fixture
def outbox(app):
    """The e-mails sent during the test (the testing configuration keeps them in memory)."""
    from app import mail

    with app.app_context():
        messages = mail.outbox()
        messages.clear()
        yield messages


@contextmanager
def count_queries():
    """Counts the SQL statements run inside the block: ``with count_queries() as queries``."""
    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not re.match(r"\s*(SAVEPOINT|RELEASE|ROLLBACK|BEGIN|COMMIT)", statement, re.I):
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
