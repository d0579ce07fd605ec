"""Database conventions shared by every feature: column types, timestamps, SQLite pragmas and
transactions, trying a transaction again when the database fails in a way that passes, and the
``flask db`` commands that run Alembic against the app's configured database."""
import logging
import random
import time
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

import click
import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import current_app, g, has_request_context, request
from flask.cli import AppGroup
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError

from app.extensions import db
from config import BASE_DIR

log = logging.getLogger(__name__)
T = TypeVar("T")

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
#: How long an SQLite transaction waits for the write lock before "database is locked".
SQLITE_BUSY_TIMEOUT_MS = 10000


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Foreign keys are off by default in SQLite; WAL lets readers run beside a writer. The
    driver's own transaction handling is switched off: ``_sqlite_begin`` emits BEGIN itself.

    Durability: with WAL, a commit returns once its pages are written to the WAL file. A killed
    server process loses no committed save in any ``synchronous`` mode, since those writes
    already belong to the operating system (tests/test_failure_killed_server.py); a transaction
    cut off before its commit record is ignored on recovery. Power loss or an OS crash is
    different: ``synchronous=NORMAL`` syncs the WAL only at checkpoints, so the last saves could
    vanish (the file stays consistent); ``FULL`` syncs the WAL at every commit, so a save that
    was acknowledged is on disk. We keep FULL (SQLite's usual default, set here so that no build
    option changes it): an acknowledged answer must survive, and one fsync per save is cheap."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={int(SQLITE_BUSY_TIMEOUT_MS)}")
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


def commit_keeping_objects() -> None:
    """Commit, and keep the objects loaded as they were committed: a request that has written
    what it writes (``writes_done``) and only reads to reply needs not read them again. (A plain
    commit expires every object, and the reply would load the user, the cycle and the response
    once more; the request's session ends, and with it these objects, when the request does.)"""
    session = db.session()
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


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


#: PostgreSQL SQLSTATEs worth another try: the transaction lost a race (serialization failure,
#: deadlock), waited too long for a lock, or the server was restarting or full of connections.
#: Class 08 (connection exceptions) counts too.
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03", "57P01", "57P02", "57P03", "53300"})
#: Errors without a code (SQLite, or a connection that could not be made) that are worth another try.
TRANSIENT_WORDS = ("database is locked", "database table is locked", "connection")
#: Pauses (seconds, +-50 % at random so that clashing saves part) before the second and third try.
RETRY_PAUSES = (0.05, 0.25)
#: No new try once this long has gone: a save that waited out a lock timeout (10 s) gives up.
RETRY_WITHIN = 5.0


def is_transient(error: BaseException) -> bool:
    """Whether the same transaction, run again, may succeed: the connection broke, or the
    database was busy, locked or restarting. Constraint violations and errors in the SQL are not."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    if not isinstance(error, (OperationalError, InterfaceError)):
        return False
    code = getattr(error.orig, "sqlstate", None)
    if code:
        return code.startswith("08") or code in TRANSIENT_SQLSTATES
    name = getattr(error.orig, "sqlite_errorname", None)
    if name:
        return name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
    return any(words in str(error.orig).lower() for words in TRANSIENT_WORDS)


def retrying(transaction: Callable[[], T]) -> T:
    """Run ``transaction`` (which writes and commits) and, when the database fails in a way
    that may pass (``is_transient``), run it again from the start, at most ``RETRY_PAUSES``
    more times: each try begins a new transaction, on a connection the pool has checked
    (``pool_pre_ping``) or made anew. A database error always leaves the session rolled back;
    the last one is raised."""
    pauses, started = iter(RETRY_PAUSES), time.monotonic()
    while True:
        try:
            return transaction()
        except DBAPIError as error:
            db.session.rollback()
            pause = next(pauses, None)
            if pause is None or not is_transient(error) or time.monotonic() - started > RETRY_WITHIN:
                raise
            log.warning("Database error that may pass, trying the transaction again: %s", error.orig)
            time.sleep(pause * random.uniform(0.5, 1.5))


def alembic_config(url: str) -> AlembicConfig:
    config = AlembicConfig(str(BASE_DIR / "alembic.ini"))
    config.set_main_option("script_location", str(BASE_DIR / "migrations"))
    config.attributes["database_url"] = url
    return config


def ensure_sqlite_directory(url: str) -> None:
    if url.startswith("sqlite:///") and url != "sqlite://":
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)


#: Alembic's own commands, run against the app's configured database (DATABASE_URL). Flask-Migrate
#: would give the same; these few wrappers keep migrations/env.py readable by plain ``alembic``
#: too, without the app.
db_cli = AppGroup("db", help="Create and migrate the database schema (Alembic).")


def _config() -> AlembicConfig:
    url = current_app.config["SQLALCHEMY_DATABASE_URI"]
    ensure_sqlite_directory(url)
    return alembic_config(url)


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
    command.downgrade(_config(), revision)


@db_cli.command("check")
def check_command() -> None:
    """Fail when the models and the migrated schema differ."""
    command.check(_config())


@db_cli.command("current")
def current_command() -> None:
    """The revision the database is at."""
    command.current(_config(), verbose=False)


@db_cli.command("history")
def history_command() -> None:
    """Every migration, newest first."""
    command.history(_config())


@db_cli.command("revision")
@click.option("-m", "--message", required=True, help="What the migration is for.")
@click.option("--autogenerate", is_flag=True, help="Write the operations that bring the schema to the models.")
def revision_command(message: str, autogenerate: bool) -> None:
    """Write a new migration (Alembic picks its id; see migrations/README.md)."""
    command.revision(_config(), message=message, autogenerate=autogenerate)


def init_app(app) -> None:
    app.cli.add_command(db_cli)
