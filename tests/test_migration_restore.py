"""The migration that makes restore a workflow action rebuilds the revisions table on SQLite:
every revision, and every answer that refers to one, must come through, both ways."""
from alembic import command

from app.database import alembic_config
from tests.old_schemas import REFERENCE_ROWS, run_sql

BEFORE = "0700_accounts"
ROWS = [
    *REFERENCE_ROWS,
    "INSERT INTO responses (id, state_code, cycle_id, questionnaire_version_id, status, revision_count, created_at, "
    "updated_at) VALUES (1, 'FRA', 1, 1, 'draft', 2, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
    "INSERT INTO revisions (response_id, number, kind, status_before, status, author_id, created_at, change_count) "
    "VALUES (1, 1, 'create', NULL, 'draft', 1, CURRENT_TIMESTAMP, 1), "
    "(1, 2, 'save', 'draft', 'draft', 1, CURRENT_TIMESTAMP, 1)",
    "INSERT INTO answer_changes (response_id, revision_number, question_id, value, confidential) "
    "VALUES (1, 1, 'q1', '\"first\"', FALSE), (1, 2, 'q1', '\"second\"', FALSE)",
]


def _count(url, table):
    return run_sql(url, [], f"SELECT count(*) FROM {table}")[0][0]


def test_revisions_and_answers_survive_the_migration_both_ways(empty_database):
    config = alembic_config(empty_database)
    command.upgrade(config, BEFORE)
    run_sql(empty_database, ROWS)
    command.upgrade(config, "head")
    assert (_count(empty_database, "revisions"), _count(empty_database, "answer_changes")) == (2, 2)
    run_sql(empty_database, [
        "UPDATE responses SET revision_count = 3",
        "INSERT INTO revisions (response_id, number, previous_number, kind, status_before, status, author_id, "
        "created_at, change_count, restored_from) VALUES (1, 3, 2, 'restore', 'draft', 'draft', 1, "
        "CURRENT_TIMESTAMP, 1, 1)",
        "INSERT INTO answer_changes (response_id, revision_number, question_id, value, confidential) "
        "VALUES (1, 3, 'q1', '\"first\"', FALSE)"])
    command.downgrade(config, BEFORE)
    assert (_count(empty_database, "revisions"), _count(empty_database, "answer_changes")) == (3, 3)
    # A restore was a save before restores existed.
    assert run_sql(empty_database, [], "SELECT kind FROM revisions WHERE number = 3") == [("save",)]
