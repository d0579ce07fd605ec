"""Database conventions shared by every feature: column types, timestamps, SQLite pragmas,
and the ``flask db`` commands that run Alembic against the app's configured database."""
from datetime import datetime, timezone
from pathlib import Path

import click
import sqlalchemy as sa
from alembic import command
from alembic.config import Config as AlembicConfig
from flask import current_app
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


@sa.event.listens_for(sa.engine.Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """Foreign keys are off by default in SQLite; WAL lets readers run beside a writer."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


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
