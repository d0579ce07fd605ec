"""Test fixtures: one app per session, a clean database per test.

The schema is built by the Alembic migrations (so every run also tests them), on a temporary
SQLite file or, when ``TEST_DATABASE_URL`` is set, on that PostgreSQL database.
"""
import os
import re
from contextlib import contextmanager
from pathlib import Path

import flask_babel
import pytest
import sqlalchemy as sa
from alembic import command

from app import create_app
from app.database import alembic_config
from app.extensions import db
from app.models import metadata
from app.questionnaires.operations import load_directory
from app.states.operations import sync_member_states
from tests import factories

FIXTURES = Path(__file__).parent / "fixtures"
#: Tables of reference data that stay loaded across tests.
KEPT_TABLES = {"states", "questionnaire_versions", "alembic_version"}
FIXTURE_QUESTIONNAIRES = ("test-questionnaire",)


def _reset_schema(url: str) -> None:
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    command.upgrade(alembic_config(url), "head")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


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
    return app


@pytest.fixture(autouse=True)
def clean_database(app):
    """Each test starts with only the reference data (States, questionnaire versions)."""
    with app.app_context():
        yield
        db.session.rollback()
        db.session.remove()
        with db.engine.begin() as connection:
            for table in reversed(metadata.sorted_tables):
                if table.name not in KEPT_TABLES:
                    connection.execute(table.delete())
            versions = metadata.tables["questionnaire_versions"]
            connection.execute(versions.delete().where(versions.c.code.not_in(FIXTURE_QUESTIONNAIRES)))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def cycle(app):
    return factories.cycle()


@pytest.fixture
def login(client):
    """``login(user)`` logs the test client in through the login form."""

    def log_in(user, password=factories.PASSWORD):
        client.post("/logout")
        response = client.post("/login", data={"email": user.email, "password": password})
        assert response.status_code == 302, response.text
        return user

    return log_in


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
