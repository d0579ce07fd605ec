"""Alembic environment: the URL comes from the caller (tests, `flask db`) or DATABASE_URL."""
from logging.config import fileConfig

from alembic import context
from sqlalchemy import create_engine, pool

from app.database import UTCDateTime
from app.models import metadata
from config import database_url

config = context.config
if config.config_file_name is not None and not config.attributes.get("database_url"):
    fileConfig(config.config_file_name, disable_existing_loggers=False)

target_metadata = metadata


def render_item(type_, obj, autogen_context):
    """Render the app's column types as plain SQLAlchemy ones: migrations must not import app code."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def include_name(name, type_, parent_names) -> bool:
    """The job queue's tables (procrastinate's, on PostgreSQL) belong to its own schema SQL, not
    to the models: comparing them would read as tables to drop."""
    return not (type_ == "table" and name and name.startswith("procrastinate_"))


def _url() -> str:
    return config.attributes.get("database_url") or database_url()


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=True, compare_type=True, render_item=render_item, include_name=include_name)
    with context.begin_transaction():
        context.run_migrations()


def _sqlite_foreign_keys(connection, enabled: bool) -> None:
    """On SQLite a batch migration recreates a table: dropping the old one with foreign keys
    enforced would cascade to the rows that refer to it. Off for the migration (only outside a
    transaction, so on the driver's connection), checked afterwards."""
    if connection.dialect.name != "sqlite":
        return
    dbapi_connection = connection.connection.dbapi_connection
    if enabled:
        problems = dbapi_connection.execute("PRAGMA foreign_key_check").fetchall()
        if problems:
            raise RuntimeError(f"the migration left rows without the rows they refer to: {problems[:5]}")
    dbapi_connection.execute(f"PRAGMA foreign_keys={'ON' if enabled else 'OFF'}")


def run_migrations_online() -> None:
    engine = create_engine(_url(), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _sqlite_foreign_keys(connection, False)
        context.configure(connection=connection, target_metadata=target_metadata,
                          render_as_batch=True, compare_type=True, render_item=render_item,
                          include_name=include_name)
        with context.begin_transaction():
            context.run_migrations()
        _sqlite_foreign_keys(connection, True)
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
