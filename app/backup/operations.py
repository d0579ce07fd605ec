"""Backup and restore of every table in the SQLAlchemy metadata, so tables that later features
add are included without any change here.

A backup is made in one read transaction (a consistent snapshot), at the schema revision of
the code, and written to a temporary file renamed into place when complete. A restore reads
the file twice: first to check the checksum (nothing is written if it fails), then to insert
the rows, parents before children, in a single transaction; it refuses a database that holds
any row. Restoring into a database without tables first creates the schema with the
migrations.
"""
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from app.backup.archive import (FORMAT, FORMAT_VERSION, BackupError, BackupKeys, Writer, compressed_writer, decoder,
                                encoder, is_json, read_lines)
from app.database import alembic_config
from app.models import metadata

BATCH = 1000


def code_revision(url: str) -> str:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def database_revision(connection: sa.Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _snapshot(connection: sa.Connection) -> sa.Connection:
    """One consistent view of all tables while they are read. On SQLite every transaction starts
    with an explicit BEGIN (app/database.py), so the connection's own transaction is one."""
    if connection.dialect.name == "postgresql":
        return connection.execution_options(isolation_level="REPEATABLE READ")
    return connection


def _table_rows(connection: sa.Connection, table: sa.Table):
    """The rows in primary-key order, with an IS NULL flag per JSON column (SQL NULL and JSON
    null read back alike otherwise)."""
    json_columns = [column for column in table.columns if is_json(column)]
    query = sa.select(*table.columns, *(column.is_(None) for column in json_columns)).order_by(*table.primary_key)
    nulls_at = {column.name: len(table.columns) + index for index, column in enumerate(json_columns)}
    encoders = [encoder(column) for column in table.columns]
    for row in connection.execution_options(yield_per=BATCH).execute(query):
        yield [encode(row[i], row[nulls_at[column.name]] if column.name in nulls_at else row[i] is None)
               for i, (column, encode) in enumerate(zip(table.columns, encoders))]


def _blank_secrets(table: sa.Table, rows):
    """Without secrets: secret columns (password hashes, TOTP secrets...) are blanked."""
    secret = {i: None if column.nullable else "" for i, column in enumerate(table.columns)
              if column.info.get("secret")}
    for row in rows:
        yield [secret[i] if i in secret else value for i, value in enumerate(row)]


def create_backup(engine: sa.Engine, path: Path, keys: BackupKeys, include_secrets: bool = True,
                  encrypt: bool = False) -> dict:
    """Write a signed (and, with ``encrypt``, encrypted) backup of every table to ``path``;
    return its summary."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        with os.fdopen(handle, "wb") as raw, compressed_writer(raw, keys, encrypt) as stream, \
                engine.connect() as connection:
            summary = _write(_snapshot(connection), Writer(stream, keys.signing), include_secrets)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return summary


def _write(connection: sa.Connection, writer: Writer, include_secrets: bool) -> dict:
    revision = database_revision(connection)
    if revision != code_revision(connection.engine.url.render_as_string(hide_password=False)):
        raise BackupError(f"The database is at schema revision {revision}, not this code's; run `db upgrade` first.")
    writer.line({"format": FORMAT, "format_version": FORMAT_VERSION, "alembic_revision": revision,
                 "created_at": datetime.now(timezone.utc).isoformat(), "secrets": include_secrets,
                 "source": connection.dialect.name})
    counts = {}
    for table in metadata.sorted_tables:
        writer.line({"table": table.name, "columns": [column.name for column in table.columns]})
        if include_secrets:
            rows = _table_rows(connection, table)
        else:  # secret tables (tokens, recovery codes) stay empty
            rows = [] if table.info.get("secret") else _blank_secrets(table, _table_rows(connection, table))
        counts[table.name] = 0
        for row in rows:
            writer.line(row)
            counts[table.name] += 1
    signature = writer.finish(counts)
    return {"revision": revision, "rows": counts, "hmac_sha256": signature, "secrets": include_secrets}


def _check_header(header, url: str) -> None:
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError("This file is not a backup of this platform.")
    if header.get("format_version") == 1:
        raise BackupError("Format version 1 backups carry a plain checksum, which whoever edits the file can "
                          "recompute; this code restores only signed backups (version 2).")
    if header.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"Backup format version {header.get('format_version')} is not supported "
                          f"(this code reads version {FORMAT_VERSION}).")
    if header.get("alembic_revision") != code_revision(url):
        raise BackupError(f"The backup has schema revision {header.get('alembic_revision')}, this code "
                          f"{code_revision(url)}: restore it with the matching version of the platform, "
                          f"then run `db upgrade`.")


def _prepare_empty_database(engine: sa.Engine, url: str) -> None:
    """Create the schema in a database without tables; refuse one that holds any row."""
    with engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names()) - {"alembic_version"}
        revision = database_revision(connection)
    if not tables:
        command.upgrade(alembic_config(url), "head")
        return
    if revision != code_revision(url):
        raise BackupError(f"The database is at schema revision {revision}; restore into an empty database.")
    with engine.connect() as connection:
        filled = [table.name for table in metadata.sorted_tables
                  if connection.scalar(sa.select(sa.literal(1)).select_from(table).limit(1))]
    if filled:
        raise BackupError(f"The database is not empty ({', '.join(filled)} hold rows); restore only into an "
                          f"empty database.")


def restore_backup(engine: sa.Engine, path: Path, keys: BackupKeys) -> dict:
    """Restore ``path`` into the empty database behind ``engine``; return its summary."""
    url = engine.url.render_as_string(hide_password=False)
    lines = read_lines(path, keys)
    header = next(lines, None)
    _check_header(header, url)
    for _ in lines:  # the whole file is checked before anything is written
        pass
    _prepare_empty_database(engine, url)
    rows = {}
    with engine.begin() as connection:
        lines = read_lines(path, keys)
        next(lines)
        for table, batch in _batches(lines):
            connection.execute(table.insert(), batch)
            rows[table.name] = rows.get(table.name, 0) + len(batch)
        if connection.dialect.name == "postgresql":
            _reset_sequences(connection)
    return {"revision": header["alembic_revision"], "rows": rows, "secrets": header.get("secrets")}


def _batches(lines):
    """(table, list of row dicts) for the rows of the backup, at most BATCH rows at a time."""
    table, columns, batch = None, [], []
    for item in lines:
        if isinstance(item, dict):
            if batch:
                yield table, batch
            table, batch = _table_for(item), []
            columns = [(name, decoder(table.c[name])) for name in item["columns"]]
            continue
        batch.append({name: decode(value) for (name, decode), value in zip(columns, item)})
        if len(batch) >= BATCH:
            yield table, batch
            batch = []
    if batch:
        yield table, batch


def _table_for(item: dict) -> sa.Table:
    table = metadata.tables.get(item["table"])
    if table is None or set(item["columns"]) != set(table.columns.keys()):
        raise BackupError(f"Table {item['table']} in the backup does not match this code's schema.")
    return table


def _reset_sequences(connection: sa.Connection) -> None:
    """PostgreSQL sequences do not follow inserted ids: move each past the largest id."""
    quote = connection.dialect.identifier_preparer.quote
    for table in metadata.sorted_tables:
        for column in table.primary_key.columns:
            sequence = connection.scalar(sa.text("SELECT pg_get_serial_sequence(:table, :column)"),
                                         {"table": table.name, "column": column.name})
            if sequence:
                connection.execute(sa.text(
                    f"SELECT setval(:sequence, COALESCE(MAX({quote(column.name)}), 1), MAX({quote(column.name)}) "
                    f"IS NOT NULL) FROM {quote(table.name)}"), {"sequence": sequence})
