"""The backup file format, version 2: gzip-compressed JSON lines, UTF-8, optionally encrypted
(app/backup/crypto.py).

    {"format": "tip-backup", "format_version": 2, "alembic_revision": ..., "secrets": true, ...}
    {"table": "states", "columns": ["code", "alpha2", "m49"]}
    ["FRA", "FR", "250"]                      one JSON array per row, in primary-key order
    ...
    {"table": "users", "columns": [...]}
    ...
    {"end": true, "rows": {"states": 193, ...}, "hmac_sha256": "<hex>"}

The HMAC-SHA256 covers every byte before the last line. Its key is kept outside the file
(``BACKUP_KEY``, or one derived from ``SECRET_KEY``): a plain checksum could be recomputed by
whoever edits a backup (e.g. to make a user an administrator), a signature cannot. Version 1
backups (a plain SHA-256) are refused for that reason. Values are encoded by column type, so a
restore on another database engine gets the same values back: dates and times as ISO 8601
(with their UTC offset), decimals as strings, binary as base64, JSON columns as a one-element
array holding the value (SQL NULL stays ``null``, so it is not confused with a JSON null).
"""
import base64
import contextlib
import gzip
import hashlib
import hmac
import io
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

import sqlalchemy as sa

from app.backup.crypto import DecryptingReader, DecryptionError, EncryptingWriter, is_encrypted

FORMAT = "tip-backup"
FORMAT_VERSION = 2


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


@dataclass(frozen=True)
class BackupKeys:
    """What signs backups, and what encrypts those made with ``--encrypt``."""
    signing: bytes
    encryption: bytes


def backup_keys(config) -> BackupKeys:
    """Both keys, derived from ``BACKUP_KEY`` (or, when it is not set, from ``SECRET_KEY``):
    restoring needs the key of the platform that made the backup."""
    secret = (config.get("BACKUP_KEY") or f"backup:{config['SECRET_KEY']}").encode()
    return BackupKeys(*(hmac.new(secret, purpose, hashlib.sha256).digest() for purpose in (b"signing", b"encryption")))


@contextlib.contextmanager
def compressed_writer(raw, keys: BackupKeys, encrypt: bool):
    """The gzip stream of a new backup written to the file ``raw``, sealed when ``encrypt``."""
    with contextlib.ExitStack() as stack:
        sink = stack.enter_context(EncryptingWriter(raw, keys.encryption)) if encrypt else raw
        yield stack.enter_context(gzip.GzipFile(fileobj=sink, mode="wb"))


@contextlib.contextmanager
def compressed_reader(path, keys: BackupKeys):
    """The decompressed stream of the backup at ``path``, encrypted or not."""
    with open(path, "rb") as raw:
        source = io.BufferedReader(DecryptingReader(raw, keys.encryption)) if is_encrypted(path) else raw
        with gzip.GzipFile(fileobj=source, mode="rb") as stream:
            yield stream


class Writer:
    """Writes lines and keeps the running signature."""

    def __init__(self, stream, key: bytes):
        self._stream = stream
        self._digest = hmac.new(key, digestmod=hashlib.sha256)

    def line(self, item) -> None:
        data = (json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
        self._digest.update(data)
        self._stream.write(data)

    def finish(self, rows: dict[str, int]) -> str:
        signature = self._digest.hexdigest()
        self._stream.write((json.dumps({"end": True, "rows": rows, "hmac_sha256": signature}) + "\n").encode())
        return signature


def read_lines(path, keys: BackupKeys):
    """Yield the parsed lines of a backup, checking the signature and row counts at the end;
    raises BackupError if the file is damaged, truncated, altered or signed with another key."""
    digest = hmac.new(keys.signing, digestmod=hashlib.sha256)
    counts: dict[str, int] = {}
    table = None
    try:
        with compressed_reader(path, keys) as stream:
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
    except DecryptionError as error:
        raise BackupError(f"{path} is an encrypted backup, but {error}.") from error
    except (OSError, EOFError, ValueError) as error:
        raise BackupError(f"{path} is not a readable backup: {error}") from error
    raise BackupError(f"{path} is incomplete: its closing signature line is missing.")


def _check_end(end: dict, signature: str, counts: dict[str, int]) -> None:
    if "hmac_sha256" not in end:
        raise BackupError("The backup is not signed (a format version 1 backup, or an edited one): a plain "
                          "checksum proves nothing, since whoever edits the file can recompute it.")
    if not hmac.compare_digest(str(end["hmac_sha256"]), signature):
        raise BackupError("The backup's signature does not match its content: the file is damaged or was altered, "
                          "or it was made with another BACKUP_KEY (or SECRET_KEY).")
    if end.get("rows") != counts:
        raise BackupError("The backup's row counts do not match its content.")
