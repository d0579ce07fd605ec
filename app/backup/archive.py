"""The backup file format, version 1: gzip-compressed JSON lines, UTF-8.

    {"format": "tip-backup", "format_version": 1, "alembic_revision": ..., "secrets": true, ...}
    {"table": "states", "columns": ["code", "alpha2", "m49"]}
    ["FRA", "FR", "250"]                      one JSON array per row, in primary-key order
    ...
    {"table": "users", "columns": [...]}
    ...
    {"end": true, "rows": {"states": 193, ...}, "sha256": "<hex>"}

The SHA-256 covers every byte before the last line. Values are encoded by column type, so a
restore on another database engine gets the same values back: dates and times as ISO 8601
(with their UTC offset), decimals as strings, binary as base64, JSON columns as a one-element
array holding the value (SQL NULL stays ``null``, so it is not confused with a JSON null).
"""
import base64
import gzip
import hashlib
import json
import uuid
from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa

FORMAT = "tip-backup"
FORMAT_VERSION = 1


class BackupError(RuntimeError):
    """The backup cannot be made or restored; the message says why."""


def _base_type(column: sa.Column) -> sa.types.TypeEngine:
    """The stored type under any TypeDecorator (e.g. UTCDateTime is a DateTime)."""
    kind = column.type
    while isinstance(kind, sa.types.TypeDecorator):
        kind = kind.impl_instance
    return kind


def is_json(column: sa.Column) -> bool:
    return isinstance(_base_type(column), sa.JSON)


def _python_type(column: sa.Column):
    try:
        kind = _base_type(column).python_type
    except NotImplementedError:
        kind = object
    if kind is object:
        raise BackupError(f"Column {column.table.name}.{column.name} has a type ({column.type}) "
                          f"that backups do not know how to store.")
    return kind


def encoder(column: sa.Column):
    """A function turning this column's values into JSON-compatible ones."""
    if is_json(column):
        return lambda value, is_null: None if is_null else [value]
    kind = _python_type(column)
    if kind in (datetime, date, time):
        return lambda value, is_null: None if value is None else value.isoformat()
    if kind is Decimal or kind is uuid.UUID:
        return lambda value, is_null: None if value is None else str(value)
    if kind is bytes:
        return lambda value, is_null: None if value is None else base64.b64encode(value).decode()
    return lambda value, is_null: value


def decoder(column: sa.Column):
    """The inverse of ``encoder``, giving values to insert."""
    if is_json(column):
        return lambda value: sa.null() if value is None else (sa.JSON.NULL if value[0] is None else value[0])
    kind = _python_type(column)
    parse = {datetime: datetime.fromisoformat, date: date.fromisoformat, time: time.fromisoformat,
             Decimal: Decimal, uuid.UUID: uuid.UUID, bytes: base64.b64decode}.get(kind)
    if parse is None:
        return lambda value: value
    return lambda value: None if value is None else parse(value)


class Writer:
    """Writes lines and keeps the running checksum."""

    def __init__(self, stream):
        self._stream = stream
        self._digest = hashlib.sha256()

    def line(self, item) -> None:
        data = (json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        self._digest.update(data)
        self._stream.write(data)

    def finish(self, rows: dict[str, int]) -> str:
        checksum = self._digest.hexdigest()
        self._stream.write((json.dumps({"end": True, "rows": rows, "sha256": checksum}) + "\n").encode())
        return checksum


def read_lines(path):
    """Yield the parsed lines of a backup, checking the checksum and row counts at the end;
    raises BackupError if the file is damaged, truncated or altered."""
    digest = hashlib.sha256()
    counts: dict[str, int] = {}
    table = None
    try:
        with gzip.open(path, "rb") as stream:
            for data in stream:
                item = json.loads(data)
                if isinstance(item, dict) and item.get("end"):
                    _check_end(item, digest.hexdigest(), counts)
                    return
                digest.update(data)
                if isinstance(item, dict) and "table" in item:
                    table = item["table"]
                    counts[table] = 0
                elif isinstance(item, list):
                    counts[table] = counts.get(table, 0) + 1
                yield item
    except (OSError, EOFError, ValueError) as error:
        raise BackupError(f"{path} is not a readable backup: {error}") from error
    raise BackupError(f"{path} is incomplete: its closing checksum line is missing.")


def _check_end(end: dict, checksum: str, counts: dict[str, int]) -> None:
    if end.get("sha256") != checksum:
        raise BackupError("The backup's checksum does not match its content: the file is damaged or was altered.")
    if end.get("rows") != counts:
        raise BackupError("The backup's row counts do not match its content.")
