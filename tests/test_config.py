"""Production refuses to start with what would make it unsafe; DATABASE_URL selects the database."""
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app import create_app
from config import DEVELOPMENT_SECRET_KEY
from tests import factories

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
POSTGRES_URL = "postgresql+psycopg://tip@db.example.org/tip"
BASE = {"BASE_URL": "https://tip.example.org"}


@pytest.mark.parametrize("environment,complaint", [
    ({"DATABASE_URL": POSTGRES_URL, **BASE}, "SECRET_KEY"),
    ({"SECRET_KEY": factories.PRODUCTION_SECRET, **BASE}, "DATABASE_URL"),
    ({"SECRET_KEY": DEVELOPMENT_SECRET_KEY, "DATABASE_URL": POSTGRES_URL, **BASE}, "at least 32 characters"),
    ({"SECRET_KEY": "short-secret", "DATABASE_URL": POSTGRES_URL, **BASE}, "at least 32 characters"),
    # Long enough, but with no entropy to speak of: a key anyone guesses.
    ({"SECRET_KEY": "a" * 40, "DATABASE_URL": POSTGRES_URL, **BASE}, "128 bits"),
    ({"SECRET_KEY": "abc" * 20, "DATABASE_URL": POSTGRES_URL, **BASE}, "128 bits"),
])
def test_production_refuses_to_start_without_a_real_secret_and_database(monkeypatch, environment, complaint):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(RuntimeError, match=complaint):
        create_app("production")


def test_production_starts_with_a_real_secret_and_database(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", factories.PRODUCTION_SECRET)
    monkeypatch.setenv("DATABASE_URL", POSTGRES_URL)
    monkeypatch.setenv("BASE_URL", BASE["BASE_URL"])
    app = create_app("production")
    assert app.config["SESSION_COOKIE_SECURE"] and not app.config["DEMO_ALLOWED"]


@pytest.mark.subprocess
def test_database_url_selects_the_database_of_the_app_the_cli_and_alembic(tmp_path):
    """One variable, three entry points: the app's engine, ``flask db upgrade`` and ``alembic``."""
    environment = {**os.environ, "APP_CONFIG": "development"}
    for tool, name in ((["flask", "--app", "wsgi", "db", "upgrade"], "cli"), (["alembic", "upgrade", "head"], "alembic")):
        database = tmp_path / f"{name}.sqlite3"
        environment["DATABASE_URL"] = f"sqlite:///{database}"
        subprocess.run([str(BIN / tool[0]), *tool[1:]], cwd=ROOT, env=environment, check=True, capture_output=True)
        tables = sqlite3.connect(database).execute("SELECT count(*) FROM sqlite_master WHERE name = 'responses'")
        assert tables.fetchone() == (1,), name
    environment["DATABASE_URL"] = POSTGRES_URL
    engine_url = subprocess.run([str(BIN / "python"), "-c", "import wsgi; print(wsgi.app.config['SQLALCHEMY_DATABASE_URI'])"],
                                cwd=ROOT, env=environment, check=True, capture_output=True, text=True).stdout
    assert engine_url.strip() == POSTGRES_URL


def test_an_unknown_configuration_name_is_refused():
    with pytest.raises(RuntimeError, match="Unknown APP_CONFIG"):
        create_app("staging")
