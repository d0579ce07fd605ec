"""Backups: a round trip reproduces every row, response and revision, on SQLite and PostgreSQL
and from one to the other; damaged or mismatched files and non-empty databases are refused."""
import gzip
import hashlib
import json
import os
import re
import uuid
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

import pyotp
import pytest
import sqlalchemy as sa

from app import create_app
from app.audit import record_event
from app.audit.models import AuditEvent
from app.auth import twofactor
from app.auth.models import TokenPurpose, User
from app.auth.tokens import issue_token
from app.backup.archive import Writer, backup_keys, decoder, encoder
from app.demo.data import DEMO_PASSWORD
from app.extensions import db
from app.models import metadata
from app.responses.models import Response
from tests import factories
from tests.conftest import fresh_globals_per_request

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture
def scratch_database(database_url, tmp_path):
    """``scratch_database(kind)``: the URL of a new, empty database of that kind."""
    created = []

    def make(kind: str) -> str:
        if kind == "sqlite":
            return f"sqlite:///{tmp_path / f'scratch-{uuid.uuid4().hex[:6]}.sqlite3'}"
        admin_url = database_url if database_url.startswith("postgresql") else POSTGRES_ADMIN_URL
        name = f"tip_backup_{uuid.uuid4().hex[:10]}"
        admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        created.append((admin, name))
        return sa.engine.make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    yield make
    for admin, name in created:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def scratch_app(scratch_database):
    apps = []

    def make(kind: str):
        app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": scratch_database(kind)})
        fresh_globals_per_request(app)
        apps.append(app)
        return app

    yield make
    for app in apps:
        with app.app_context():
            db.engine.dispose()


@pytest.fixture
def rich_data(runner, client):
    """The demo (every workflow status, revisions, comments) and every kind of account secret."""
    assert runner.invoke(args=["demo"]).exit_code == 0
    reviewer = db.session.scalar(sa.select(User).where(User.email == "secretariat@example.org"))
    twofactor.new_recovery_codes(reviewer)
    issue_token(reviewer, TokenPurpose.PASSWORD_RESET, timedelta(hours=1))
    record_event("login_failed", details=None)  # JSON null
    db.session.execute(sa.insert(AuditEvent).values(event_type="plain", details=sa.null()))  # SQL NULL
    db.session.commit()
    client.post("/login", data={"email": "focal.fra@example.org", "password": "wrong password"})


def invoke(app, *args):
    """Run a command against ``app`` (the CLI uses whichever app context is current)."""
    with app.app_context():
        return app.test_cli_runner().invoke(args=list(args))


def table_contents(engine) -> dict:
    """Every row of every table, in key order, with SQL NULL told apart from JSON null."""
    contents = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            flags = [column.is_(None) for column in table.columns if isinstance(column.type, sa.JSON)]
            rows = connection.execute(sa.select(*table.columns, *flags).order_by(*table.primary_key)).all()
            width = len(table.columns)
            contents[table.name] = [tuple(row[:width]) + tuple(bool(flag) for flag in row[width:]) for row in rows
                                    if not (table.name == "audit_events" and row.event_type.startswith("backup_"))]
    return contents


def pages(app) -> dict[str, str]:
    """What France's focal point sees of its response: overview, history and every revision."""
    client = app.test_client()
    assert client.post("/login", data={"email": "focal.fra@example.org", "password": DEMO_PASSWORD}).status_code == 302
    with app.app_context():  # the demo's accounts use the demo secret; a code works once per account
        db.session.execute(sa.update(User).where(User.email == "focal.fra@example.org").values(totp_last_step=None))
        db.session.commit()
    code = pyotp.TOTP(twofactor.DEMO_SECRET).now()
    assert client.post("/login/two-factor", data={"code": code}).status_code == 302
    with app.app_context():
        response = db.session.scalar(sa.select(Response).where(Response.state_code == "FRA"))
        base = f"/cycles/{response.cycle_id}/states/FRA"
        urls = [f"{base}/", f"{base}/history"] + [f"{base}/revisions/{n}" for n in range(1, response.revision_count + 1)]
    seen = {}
    for url in urls:
        page = client.get(url)
        assert page.status_code == 200, url
        seen[url] = re.sub(r'(csrf[-_]token"[^>]*(?:value|content)=")[^"]+', r"\1", page.text)
    return seen


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_a_round_trip_reproduces_every_row_and_page(app, runner, rich_data, scratch_app, tmp_path, target):
    path = tmp_path / "tip.backup"
    result = runner.invoke(args=["backup", "create", str(path)])
    assert result.exit_code == 0, result.output
    restored = scratch_app(target)
    result = invoke(restored, "backup", "restore", str(path))
    assert result.exit_code == 0, result.output
    with restored.app_context():
        assert table_contents(db.engine) == table_contents(app.extensions["sqlalchemy"].engine)
    assert pages(restored) == pages(app)
    with restored.app_context():  # ids continue after the restored ones (PostgreSQL sequences)
        assert factories.user("focal_point", "FRA").id > 9
    result = invoke(restored, "backup", "restore", str(path))
    assert result.exit_code == 1 and "not empty" in result.output


def test_a_backup_without_secrets_keeps_everything_else(app, runner, rich_data, scratch_app, tmp_path):
    path = tmp_path / "tip.backup"
    assert runner.invoke(args=["backup", "create", "--without-secrets", str(path)]).exit_code == 0
    restored = scratch_app("sqlite")
    assert invoke(restored, "backup", "restore", str(path)).exit_code == 0
    with restored.app_context():
        copy = table_contents(db.engine)
        users = db.session.execute(sa.select(User.password_hash, User.totp_secret, User.session_token,
                                             User.totp_confirmed_at, User.totp_last_step)).all()
    original = table_contents(app.extensions["sqlalchemy"].engine)
    # Two-factor authentication confirmed without its secret would lock every such account out.
    assert set(users) == {("", None, None, None, None)}
    assert copy["account_tokens"] == copy["recovery_codes"] == [] and original["recovery_codes"]
    for table in ("responses", "revisions", "answer_changes", "review_comments", "audit_events"):
        assert copy[table] == original[table]
    assert not re.search(rb"argon2|" + twofactor.DEMO_SECRET.encode(), gzip.decompress(path.read_bytes()))


def test_every_table_of_the_schema_is_in_the_backup(runner, tmp_path):
    path = tmp_path / "tip.backup"
    runner.invoke(args=["backup", "create", str(path)])
    lines = [json.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines()]
    assert lines[0]["format"] == "tip-backup" and lines[0]["format_version"] == 2
    assert lines[0]["alembic_revision"]
    assert [line["table"] for line in lines if isinstance(line, dict) and "table" in line] == \
        [table.name for table in metadata.sorted_tables]
    assert re.fullmatch(r"[0-9a-f]{64}", lines[-1]["hmac_sha256"])
    assert path.stat().st_mode & 0o077 == 0  # password hashes inside: readable by its owner only


def _rewrite(path, change):
    lines = gzip.decompress(path.read_bytes()).decode().splitlines(keepends=True)
    path.write_bytes(gzip.compress("".join(change(lines)).encode()))


@pytest.mark.parametrize("damage,message", [
    (lambda lines: [line.replace('"FRA"', '"FRX"', 1) for line in lines], "signature"),
    (lambda lines: lines[:-1], "incomplete"),
    (lambda lines: [line.replace('"format_version":2', '"format_version":9') for line in lines],
     "format version 9 is not supported"),
])
def test_a_damaged_backup_is_refused_before_anything_is_written(runner, scratch_app, tmp_path, damage, message):
    path = tmp_path / "tip.backup"
    runner.invoke(args=["backup", "create", str(path)])
    _rewrite(path, damage)
    restored = scratch_app("sqlite")
    result = invoke(restored, "backup", "restore", str(path))
    assert result.exit_code == 1 and message in result.output
    with restored.app_context():
        assert sa.inspect(db.engine).get_table_names() == []


def test_a_backup_of_another_schema_revision_is_refused(app, runner, scratch_app, tmp_path):
    """Even with a correct signature: the rows must fit this code's tables."""
    path = tmp_path / "tip.backup"
    runner.invoke(args=["backup", "create", str(path)])
    header, *body, end = [json.loads(line) for line in gzip.decompress(path.read_bytes()).splitlines()]
    with gzip.open(path, "wb") as stream:
        writer = Writer(stream, backup_keys(app.config).signing)
        for item in [{**header, "alembic_revision": "0001"}, *body]:
            writer.line(item)
        writer.finish(end["rows"])
    result = invoke(scratch_app("sqlite"), "backup", "restore", str(path))
    assert result.exit_code == 1 and "schema revision 0001" in result.output


def _promote_and_checksum_again(lines):
    """What the attack did: make a focal point an administrator, and recompute the SHA-256."""
    *body, end = lines
    columns = None
    edited = []
    for line in body:
        item = json.loads(line)
        if isinstance(item, dict) and item.get("table"):
            columns = item["columns"] if item["table"] == "users" else None
        elif columns and isinstance(item, list) and item[columns.index("role")] == "focal_point":
            item[columns.index("role")], item[columns.index("state_code")] = "admin", None
            line = json.dumps(item, ensure_ascii=False, separators=(",", ":")) + "\n"
        edited.append(line)
    digest = hashlib.sha256("".join(edited).encode()).hexdigest()
    return edited + [json.dumps({**json.loads(end), "sha256": digest, "hmac_sha256": digest}) + "\n"]


def test_an_edited_backup_with_its_checksum_recomputed_is_refused(runner, scratch_app, tmp_path):
    """A backup edited to make a user an administrator, with its SHA-256 recomputed, used to be
    restored; its signature needs a key the file does not hold."""
    factories.user("focal_point", "FRA", email="promoted@example.org")
    path = tmp_path / "tip.backup"
    assert runner.invoke(args=["backup", "create", str(path)]).exit_code == 0
    _rewrite(path, _promote_and_checksum_again)
    assert b'"admin",null' in gzip.decompress(path.read_bytes())
    restored = scratch_app("sqlite")
    result = invoke(restored, "backup", "restore", str(path))
    assert result.exit_code == 1 and "signature does not match" in result.output
    with restored.app_context():
        assert sa.inspect(db.engine).get_table_names() == []


def test_a_backup_restores_only_with_the_key_that_signed_it(runner, scratch_app, tmp_path):
    path = tmp_path / "tip.backup"
    assert runner.invoke(args=["backup", "create", str(path)]).exit_code == 0
    elsewhere = scratch_app("sqlite")
    elsewhere.config["BACKUP_KEY"] = "another platform's backup key"
    result = invoke(elsewhere, "backup", "restore", str(path))
    assert result.exit_code == 1 and "BACKUP_KEY" in result.output


def test_an_encrypted_backup_hides_everything_and_round_trips(app, runner, rich_data, scratch_app, tmp_path):
    path = tmp_path / "tip.backup"
    result = runner.invoke(args=["backup", "create", "--encrypt", str(path)])
    assert result.exit_code == 0 and "encrypted" in result.output and "Warning" not in result.output
    content = path.read_bytes()
    with pytest.raises(OSError):
        gzip.decompress(content)
    for clear in (b"focal.fra@example.org", b"argon2", twofactor.DEMO_SECRET.encode()):
        assert clear not in content
    restored = scratch_app("sqlite")
    assert invoke(restored, "backup", "restore", str(path)).exit_code == 0
    with restored.app_context():
        assert table_contents(db.engine) == table_contents(app.extensions["sqlalchemy"].engine)
    for damage in (lambda data: data[:-20], lambda data: data[:200] + bytes([data[200] ^ 1]) + data[201:]):
        path.write_bytes(damage(content))
        result = invoke(scratch_app("sqlite"), "backup", "restore", str(path))
        assert result.exit_code == 1 and "encrypted backup" in result.output, result.output


def test_a_backup_with_secrets_in_the_clear_is_made_with_a_warning(runner, tmp_path):
    result = runner.invoke(args=["backup", "create", str(tmp_path / "tip.backup")])
    assert result.exit_code == 0 and "--encrypt" in result.output


def test_values_of_every_column_type_survive_encoding():
    table = sa.Table(
        "kinds", sa.MetaData(), sa.Column("d", sa.Date), sa.Column("t", sa.DateTime(timezone=True)),
        sa.Column("n", sa.Numeric(10, 3)), sa.Column("b", sa.LargeBinary), sa.Column("flag", sa.Boolean),
        sa.Column("j", sa.JSON), sa.Column("u", sa.Uuid), sa.Column("clock", sa.Time), sa.Column("f", sa.Float),
    )
    values = [date(2026, 2, 28), datetime(2026, 11, 23, 9, 30, 1, 123456, tzinfo=timezone(timedelta(hours=3))),
              Decimal("12.500"), b"\x00\xff", True, {"a": [1, None, "é"]}, uuid.uuid4(), time(23, 59, 59), 0.1]
    for column, value in zip(table.columns, values):
        encoded = json.loads(json.dumps(encoder(column)(value, False)))
        assert decoder(column)(encoded) == value, column.name
    json_column = table.c.j
    assert isinstance(decoder(json_column)(encoder(json_column)(None, True)), sa.sql.elements.Null)
    assert decoder(json_column)(encoder(json_column)(None, False)) is sa.JSON.NULL
