"""Database failures injected under the app, at the driver, for the failure tests: a statement
raises the driver's own exception (sqlite3's or psycopg's, which SQLAlchemy wraps as it would a
real one), the commit fails, or the connection is closed under a statement. The listeners are on
the Engine class, so they reach every app of the process (the live server of the browser tests
too). Fixtures: ``inject``, ``errors``."""
import sqlite3
from dataclasses import dataclass, field
from typing import Callable

import pytest
import sqlalchemy as sa

from app.extensions import db


@dataclass
class Fault:
    """Statements beginning with ``on`` (upper case; "COMMIT" for the commit; "" for any) run
    ``act``, which returns the driver exception to raise (or None, having done its harm): the
    first ``times`` of them, or all. With ``then_down``, every statement after the first hit
    fails as well, as when the database goes away."""

    act: Callable
    on: str
    times: int | None = None
    then_down: bool = False
    hits: list = field(default_factory=list)

    def strikes(self, statement: str) -> bool:
        matches = statement.lstrip().upper().startswith(self.on) or (self.then_down and bool(self.hits))
        return matches and (self.times is None or len(self.hits) < self.times)

    def before_cursor_execute(self, conn, cursor, statement, parameters, context, executemany):
        if self.on != "COMMIT" and self.strikes(statement):
            self.strike(conn.connection.dbapi_connection, statement)

    def strike(self, dbapi_connection, statement):
        self.hits.append(statement)
        error = self.act(dbapi_connection)
        if error is not None:
            raise error


@pytest.fixture
def inject(monkeypatch):
    """``inject(act, on, ...)`` makes the database fail as ``Fault`` says, until the test ends
    (or ``inject.stop()``)."""
    faults = []
    dialects = {"sqlite": sa.dialects.sqlite.pysqlite.SQLiteDialect_pysqlite,
                "postgresql": sa.dialects.postgresql.psycopg.PGDialect_psycopg}
    dialect_class = dialects[db.engine.dialect.name]
    real_commit = dialect_class.do_commit

    def do_commit(dialect, dbapi_connection):
        for fault in faults:
            if fault.on == "COMMIT" and fault.strikes("COMMIT"):
                dbapi_connection.rollback()  # the commit never reached the disk
                fault.strike(dbapi_connection, "COMMIT")
        real_commit(dialect, dbapi_connection)

    def start(act, on, times=None, then_down=False) -> Fault:
        fault = Fault(act, on, times, then_down)
        faults.append(fault)
        sa.event.listen(sa.engine.Engine, "before_cursor_execute", fault.before_cursor_execute)
        return fault

    def stop():
        while faults:
            sa.event.remove(sa.engine.Engine, "before_cursor_execute", faults.pop().before_cursor_execute)

    monkeypatch.setattr(dialect_class, "do_commit", do_commit)
    start.stop = stop
    yield start
    stop()


@pytest.fixture
def errors():
    """Driver exceptions by kind: one that may pass, a constraint violation, and one that will not pass."""
    if db.engine.dialect.name == "postgresql":
        from psycopg import errors as pg

        return {"transient": lambda _: pg.DeadlockDetected("deadlock detected"),
                "constraint": lambda _: pg.UniqueViolation("duplicate key value violates unique constraint"),
                "lasting": lambda _: pg.DiskFull("could not extend file: No space left on device")}
    return {"transient": lambda _: sqlite3.OperationalError("database is locked"),
            "constraint": lambda _: sqlite3.IntegrityError("UNIQUE constraint failed: revisions.number"),
            "lasting": lambda _: sqlite3.OperationalError("database or disk is full")}


def drop_connection(dbapi_connection):
    """The connection dies under the statement, which then fails in the driver itself."""
    dbapi_connection.close()
