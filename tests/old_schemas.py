"""Data written with SQL into the schema of an earlier migration, for the tests of the migrations
that follow it (the models describe only the latest schema)."""
import sqlalchemy as sa

#: A State, a focal point, a questionnaire version and a cycle: what a response needs.
REFERENCE_ROWS = [
    "INSERT INTO states (code, alpha2, m49) VALUES ('FRA', 'FR', '250')",
    "INSERT INTO users (id, email, name, password_hash, role, state_code, is_active, created_at) "
    "VALUES (1, 'focal@example.org', 'Focal', 'x', 'focal_point', 'FRA', TRUE, CURRENT_TIMESTAMP)",
    "INSERT INTO questionnaire_versions (id, code, version, definition, checksum, loaded_at) "
    "VALUES (1, 'q', 1, '{}', 'c', CURRENT_TIMESTAMP)",
    "INSERT INTO reporting_cycles (id, name, questionnaire_version_id, opens_on, closes_on, is_open, created_at) "
    "VALUES (1, '2026', 1, '2026-01-01', '2026-12-31', TRUE, CURRENT_TIMESTAMP)",
]


def run_sql(url: str, statements, query: str | None = None) -> list | None:
    """Run ``statements`` in one transaction on the database at ``url``; the rows of ``query``."""
    engine = sa.create_engine(url)
    try:
        with engine.begin() as connection:
            for statement in statements:
                connection.execute(sa.text(statement))
            return connection.execute(sa.text(query)).all() if query else None
    finally:
        engine.dispose()
