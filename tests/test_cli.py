"""The command line: questionnaires, users, demo data and PDF reports."""
import json

import yaml

from app.auth.models import User
from app.auth.passwords import verify_password
from app.extensions import db
from app.questionnaires.models import QuestionnaireVersion
from app.responses.models import Response
from tests import factories
from tests.conftest import FIXTURES
from tests.helpers import pdf_text
from tests.test_questionnaire_definitions import definition, question


def test_validate_reports_ok_definitions(runner):
    result = runner.invoke(args=["questionnaires", "validate"])
    assert result.exit_code == 0, result.output
    assert "ok" in result.output and "test-questionnaire v1, 14 questions" in result.output


def test_validate_and_load_reject_a_broken_definition_and_load_nothing(runner, tmp_path):
    (tmp_path / "good.yaml").write_text(yaml.safe_dump(definition(question())), encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump({**definition(question("q1", "slider")), "id": "bad"}),
                                       encoding="utf-8")
    result = runner.invoke(args=["questionnaires", "validate", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'bad.yaml'}: question q1: unknown type slider" in result.output
    result = runner.invoke(args=["questionnaires", "load", "--dir", str(tmp_path)])
    assert result.exit_code == 1 and "Nothing was loaded." in result.output
    assert db.session.scalar(db.select(QuestionnaireVersion).filter_by(code="demo")) is None


def test_load_is_idempotent_and_refuses_a_changed_version(runner, tmp_path):
    path = tmp_path / "demo.yaml"
    path.write_text(yaml.safe_dump(definition(question())), encoding="utf-8")
    assert "added  demo v1" in runner.invoke(args=["questionnaires", "load", "--dir", str(tmp_path)]).output
    assert "unchanged  demo v1" in runner.invoke(args=["questionnaires", "load", "--dir", str(tmp_path)]).output
    path.write_text(yaml.safe_dump(definition(question(), question("q2"))), encoding="utf-8")
    result = runner.invoke(args=["questionnaires", "load", "--dir", str(tmp_path)])
    assert result.exit_code == 1 and "give the changed definition a new version number" in result.output


def test_export_lists_definitions_and_prints_canonical_json(runner):
    listing = json.loads(runner.invoke(args=["questionnaires", "export"]).output)
    assert {"id": "test-questionnaire", "version": 1} == {k: listing[0][k] for k in ("id", "version")}
    exported = json.loads(runner.invoke(args=["questionnaires", "export", "test-questionnaire",
                                              "--format", "json"]).output)
    assert set(exported) >= {"id", "version", "title", "sections"}
    first = exported["sections"][0]["questions"][1]
    assert set(first) >= {"id", "type", "text", "help", "options", "sources", "condition"}
    assert first["condition"] == {"question": "ratification_status", "values": ["ratified", "acceded"]}
    assert set(first["text"]) == {"ar", "en", "es", "fr", "ru", "zh"}
    assert runner.invoke(args=["questionnaires", "export", "nope"]).exit_code == 1


def test_users_create_hashes_the_password_read_from_stdin(runner):
    result = runner.invoke(args=["users", "create", "--email", "Focal@Example.org", "--role", "focal_point",
                                 "--state", "fra"], input="a long enough password\na long enough password\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).filter_by(email="focal@example.org"))
    assert user.state_code == "FRA" and user.password_hash.startswith("$argon2id$")
    assert verify_password(user.password_hash, "a long enough password")


def test_users_create_explains_mistakes(runner):
    stdin = "a long enough password\na long enough password\n"
    result = runner.invoke(args=["users", "create", "--email", "x@example.org", "--role", "focal_point"], input=stdin)
    assert result.exit_code == 1 and "needs --state" in result.output
    result = runner.invoke(args=["users", "create", "--email", "y@example.org", "--role", "secretariat",
                                 "--state", "FRA"], input=stdin)
    assert result.exit_code == 1 and "not bound to a State" in result.output
    result = runner.invoke(args=["users", "create", "--email", "z@example.org", "--role", "admin"], input="short\nshort\n")
    assert result.exit_code == 1 and "at least 12 characters" in result.output


def test_demo_creates_states_in_every_status_once(runner, app):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert "secretariat@example.org" in result.output and "focal.fra@example.org" in result.output
    statuses = set(db.session.scalars(db.select(Response.status)))
    assert statuses == {"draft", "submitted", "returned", "accepted"}
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 9


def test_demo_is_refused_in_production(runner, app, monkeypatch):
    monkeypatch.setitem(app.config, "DEMO_ALLOWED", False)
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 1 and "refused" in result.output


def test_reports_build_one_state_and_all(runner, tmp_path):
    assert runner.invoke(args=["demo"]).exit_code == 0
    out = tmp_path / "fra.pdf"
    result = runner.invoke(args=["reports", "build", "--state", "FRA", "--lang", "fr", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "France" in pdf_text(out.read_bytes())
    result = runner.invoke(args=["reports", "build", "--all", "--lang", "en", "--out", str(tmp_path / "all")])
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "all").glob("*.pdf"))) == 5
    assert runner.invoke(args=["reports", "build", "--state", "DEU", "--out", str(out)]).exit_code == 1
    assert runner.invoke(args=["reports", "build", "--all", "--lang", "xx", "--out", str(out)]).exit_code == 2


def test_cycles_open(runner):
    result = runner.invoke(args=["cycles", "open", "--name", "2027", "--questionnaire", "test-questionnaire",
                                 "--deadline", "2099-01-31"])
    assert result.exit_code == 0, result.output
    assert "Opened cycle 2027" in result.output
    again = runner.invoke(args=["cycles", "open", "--name", "2027", "--questionnaire", "test-questionnaire",
                                "--deadline", "2099-01-31"])
    assert again.exit_code == 1 and "already exists" in again.output


def test_fixture_dir_is_what_the_cli_reads(app):
    assert app.config["QUESTIONNAIRE_DIR"] == str(FIXTURES / "questionnaires")
    assert factories.questionnaire_version() is not None
