"""Database conventions shared by every feature: column types, timestamps, SQLite pragmas and
transactions, and the ``flask db`` commands that run Alembic against the app's configured database."""
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from pathlib import Path

import click
import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import current_app, g, has_request_context, request
from flask.cli import AppGroup
from sqlalchemy.dialects.postgresql import JSONB

from config import BASE_DIR

#: JSON everywhere, stored as JSONB on PostgreSQL.
JSONType = sa.JSON().with_variant(JSONB(), "postgresql")


def utcnow() -> datetime:
    """Default for timestamp columns; called per row, never evaluated at import."""
    return datetime.now(timezone.utc)


class UTCDateTime(sa.types.TypeDecorator):
    """A timezone-aware UTC datetime on every database (SQLite stores naive values)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime; use app.database.utcnow()")
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


#: Methods whose requests write: on SQLite their transactions take the write lock at BEGIN.
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Foreign keys are off by default in SQLite; WAL lets readers run beside a writer. The
    driver's own transaction handling is switched off: ``_sqlite_begin`` emits BEGIN itself."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()
    dbapi_connection.isolation_level = None


@sa.event.listens_for(sa.engine.Engine, "begin")
def _sqlite_begin(connection):
    """Every SQLite transaction starts with an explicit BEGIN (pysqlite would let SELECTs run
    outside any transaction, so two saves could read the same revision number). A transaction
    that will write begins IMMEDIATE: it waits for the write lock up front (busy_timeout) rather
    than failing when it upgrades from reading; reads begin DEFERRED and never block a writer."""
    if connection.dialect.name != "sqlite" or \
            connection.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
        return
    connection.exec_driver_sql("BEGIN IMMEDIATE" if _wants_write_lock() else "BEGIN")


def _wants_write_lock() -> bool:
    if _write_intent.get():
        return True
    return has_request_context() and request.method in WRITE_METHODS and not g.get("writes_done", False)


def writes_done() -> None:
    """The request has committed what it writes: its later transactions (rendering the reply)
    only read, so on SQLite they need not queue for the write lock again."""
    g.writes_done = True


@contextmanager
def write_transaction():
    """Transactions begun inside the block will write (on SQLite: BEGIN IMMEDIATE). Requests
    that POST, PUT, PATCH or DELETE get this by themselves; use it for writes outside a request
    (command line, benchmarks) that may run beside other writers."""
    token = _write_intent.set(True)
    try:
        yield
    finally:
        _write_intent.reset(token)


def alembic_config(url: str) -> AlembicConfig:
    config = AlembicConfig(str(BASE_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(BASE_DIR / "migrations"))
    config.attributes["database_url"] = url
    return config


def ensure_sqlite_directory(url: str) -> None:
    if url.startswith("sqlite:///") and url != "sqlite://":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


db_cli = AppGroup("db", help="Create and migrate the database schema (Alembic).")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def upgrade_command(revision: str) -> None:
    """Apply migrations up to REVISION (default: head)."""
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    ensure_sqlite_directory(url)
    command.upgrade(alembic_config(url), revision)


@db_cli.command("downgrade")
@click.argument("revision")
def downgrade_command(revision: str) -> None:
    """Revert migrations down to REVISION (``base`` empties the database)."""
    command.downgrade(alembic_config(current_app.config["SQLALCHEMY_DATABASE_URI"]), revision)


@db_cli.command("check")
def check_command() -> None:
    """Fail when the models and the migrated schema differ."""
    command.check(alembic_config(current_app.config["SQLALCHEMY_DATABASE_URI"]))


def init_app(app) -> None:
    app.cli.add_command(db_cli)
