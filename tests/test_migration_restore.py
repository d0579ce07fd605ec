"""The migration that makes restore a workflow action rebuilds the revisions table on SQLite:
every revision, and every answer that refers to one, must come through, both ways."""
import sqlalchemy as sa
from alembic import command

from app.database import alembic_config
from tests.test_migrations import empty_database  # noqa: F401 - a fixture

BEFORE = "0700_accounts"
ROWS = [
    "INSERT INTO states (code, alpha2, m49) VALUES ('FRA', 'FR', '250')",
    "INSERT INTO users (id, email, name, password_hash, role, state_code, is_active, created_at) "
    "VALUES (1, 'focal@example.org', 'Focal', 'x', 'focal_point', 'FRA', TRUE, CURRENT_TIMESTAMP)",
    "INSERT INTO questionnaire_versions (id, code, version, definition, checksum, loaded_at) "
    "VALUES (1, 'q', 1, '{}', 'c', CURRENT_TIMESTAMP)",
    "INSERT INTO reporting_cycles (id, name, questionnaire_version_id, opens_on, closes_on, is_open, created_at) "
    "VALUES (1, '2026', 1, '2026-01-01', '2026-12-31', TRUE, CURRENT_TIMESTAMP)",
    "INSERT INTO responses (id, state_code, cycle_id, questionnaire_version_id, status, revision_count, created_at, "
    "updated_at) VALUES (1, 'FRA', 1, 1, 'draft', 2, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    "INSERT INTO revisions (response_id, number, kind, status_before, status, author_id, created_at, change_count) "
    "VALUES (1, 1, 'create', NULL, 'draft', 1, CURRENT_TIMESTAMP, 1), "
    "(1, 2, 'save', 'draft', 'draft', 1, CURRENT_TIMESTAMP, 1)",
    "INSERT INTO answer_changes (response_id, revision_number, question_id, value, confidential) "
    "VALUES (1, 1, 'q1', '\"first\"', FALSE), (1, 2, 'q1', '\"second\"', FALSE)",
]


def _count(url, table):
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return connection.scalar(sa.text(f"SELECT count(*) FROM {table}"))
    finally:
        engine.dispose()


def _execute(url, *statements):
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(sa.text(statement))
    engine.dispose()


def test_revisions_and_answers_survive_the_migration_both_ways(empty_database):  # noqa: F811
    config = alembic_config(empty_database)
    command.upgrade(config, BEFORE)
    _execute(empty_database, *ROWS)
    command.upgrade(config, "head")
    assert (_count(empty_database, "revisions"), _count(empty_database, "answer_changes")) == (2, 2)
    _execute(empty_database, "UPDATE responses SET revision_count = 3",
             "INSERT INTO revisions (response_id, number, previous_number, kind, status_before, status, author_id, "
             "created_at, change_count, restored_from) VALUES (1, 3, 2, 'restore', 'draft', 'draft', 1, "
             "CURRENT_TIMESTAMP, 1, 1)",
             "INSERT INTO answer_changes (response_id, revision_number, question_id, value, confidential) "
             "VALUES (1, 3, 'q1', '\"first\"', FALSE)")
    command.downgrade(config, BEFORE)
    assert (_count(empty_database, "revisions"), _count(empty_database, "answer_changes")) == (3, 3)
    engine = sa.create_engine(empty_database)
    with engine.connect() as connection:  # a restore was a save before restores existed
        assert connection.scalar(sa.text("SELECT kind FROM revisions WHERE number = 3")) == "save"
    engine.dispose()
