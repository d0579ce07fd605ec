"""The command line: questionnaires, users, demo data and PDF reports."""
import json
from pathlib import Path

import pytest
import yaml

from app.auth.models import User
from app.auth.passwords import verify_password
from app.extensions import db
from app.questionnaires.checks import blocking_findings
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.versions import questionnaire_for
from app.responses.models import Response
from app.responses.operations import answers_at
from tests import factories
from tests.conftest import FIXTURES
from tests.helpers import pdf_text
from tests.test_public_pages import page_facts
from tests.test_questionnaire_definitions import definition, question

ROOT = Path(__file__).parent.parent


def test_validate_reports_ok_definitions(runner):
    result = runner.invoke(args=["questionnaires", "validate"])
    assert result.exit_code == 0, result.output
    assert "ok" in result.output and "test-questionnaire v1, 16 questions" in result.output


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
    assert statuses == {"draft", "submitted", "returned", "accepted", "published"}
    assert runner.invoke(args=["demo"]).exit_code == 0
    assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 11


def test_the_demo_publishes_two_states_one_writing_in_arabic(runner, client):
    assert runner.invoke(args=["demo"]).exit_code == 0
    listing = client.get("/profiles/").text
    assert "Sweden" in listing and "Jordan" in listing
    jordan = client.get("/profiles/JOR", headers={"Accept-Language": "ar"})
    assert jordan.status_code == 200 and '<html lang="ar" dir="rtl">' in jordan.text
    assert "قانون منع الاتجار بالبشر" in jordan.text and "Act No. 12" not in jordan.text


def test_every_key_fact_of_the_protocol_questionnaire_is_answered_on_a_demo_page(runner, client):
    """The key facts name their questions by id (app/reports/key_facts.py): each names questions
    the Protocol questionnaire has, so a published State's page shows all six."""
    assert runner.invoke(args=["questionnaires", "load", "--dir", str(ROOT / "questionnaires")]).exit_code == 0
    assert runner.invoke(args=["demo"]).exit_code == 0
    facts = page_facts(client.get("/profiles/SWE").text)
    assert set(facts) == {"ratification", "criminalization", "victims", "convictions", "coordination", "action_plan"}
    assert all(facts.values()) and facts["coordination"]["coord_body_name"][-1].startswith("Swedish Gender Equality")
    assert {"2021", "2025"} <= set(facts["victims"]["data_victims_sex_age"]) and facts["convictions"]


@pytest.mark.parametrize("directory,code", [(ROOT / "questionnaires", "tip-protocol"),
                                            (FIXTURES / "questionnaires", "test-questionnaire")])
def test_every_demo_answer_passes_the_checks_of_the_section_forms(runner, app, directory, code):
    """What the browser's autosave posts back, a demo response's stored answers as its section forms
    show them, must be read back by each answer type as the same answers; and a submitted demo
    response has no table finding that would stop its submission."""
    assert runner.invoke(args=["questionnaires", "load", "--dir", str(directory)]).exit_code == 0
    assert runner.invoke(args=["demo"]).exit_code == 0
    responses = list(db.session.scalars(db.select(Response)))
    assert len(responses) == 7
    for response in responses:
        questionnaire = questionnaire_for(response.questionnaire_version)
        assert questionnaire.id == code
        stored = answers_at(response.id)
        with app.test_request_context():
            for question in questionnaire.questions.values():
                if question.id in stored:
                    shown = question.answer_type.shown(question, stored[question.id])
                    assert question.answer_type.parse(question, shown) == stored[question.id], question.id
            if response.status != "draft":
                assert blocking_findings(questionnaire, stored, set(), "en") == [], response.state_code


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
    assert len(list((tmp_path / "all").glob("*.pdf"))) == 7  # one per response of the demo
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


@pytest.mark.parametrize("broken,expected", [
    (definition(question(), question()), "question q1: the question id is used twice."),
    (definition({**question(), "text": {**question()["text"], "zh": ""}}), "question q1: text is missing the language zh."),
    (definition(question("q2", "short_text", show_if={"question": "gone", "equals": "yes"})),
     "question q2: show_if refers to a missing question gone."),
    (definition(question(), question("q2", "short_text", show_if={"question": "q1", "equals": "perhaps"})),
     "question q2: show_if refers to a value perhaps that q1 does not offer."),
    (definition(question("q1", show_if={"question": "q2", "equals": "yes"}),
                question("q2", show_if={"question": "q1", "equals": "yes"})),
     "question q1: show_if conditions form a cycle: q1 → q2 → q1."),
])
def test_validate_names_file_question_and_problem(runner, tmp_path, broken, expected):
    """Each problem an author is most likely to make, as the command line reports it (an unknown
    type is covered above)."""
    (tmp_path / "broken.yaml").write_text(yaml.safe_dump(broken, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(args=["questionnaires", "validate", "--dir", str(tmp_path)])
    assert result.exit_code == 1
    assert f"error  {tmp_path / 'broken.yaml'}: {expected}" in result.output
    assert "problem(s) found." in result.output


def test_coverage_maps_paragraphs_to_questions(runner):
    result = runner.invoke(args=["questionnaires", "coverage", "test-questionnaire"])
    assert result.exit_code == 0, result.output
    assert "# Coverage of test-questionnaire v1" in result.output
    assert "| Protocol art. 5 | crim_offence, crim_law, crim_laws, crim_in_force |" in result.output
    assert "| 000 §13 | prot_budget, prot_description |" in result.output
    assert "| 001 §14 | data_victims |" in result.output
    assert "- 004 rec. 12" in result.output  # a required paragraph no question cites
    report = json.loads(runner.invoke(args=["questionnaires", "coverage", "test-questionnaire",
                                            "--format", "json"]).output)
    paragraphs = {item["paragraph"]: item["questions"] for item in report["paragraphs"]}
    assert paragraphs["Protocol art. 6"] == ["prot_shelter", "prot_shelter_places", "prot_description", "data_assisted"]
    assert "Protocol art. 7(1)" in report["uncovered"] and "000 §18" not in report["uncovered"]
    assert list(paragraphs)[:3] == ["000 §3", "000 §4", "000 §6"]  # in document order


def test_coverage_strict_fails_only_when_a_required_paragraph_is_uncovered(runner):
    result = runner.invoke(args=["questionnaires", "coverage", "test-questionnaire", "--strict"])
    assert result.exit_code == 1 and "required paragraph(s) not covered" in result.output
    covered = ["--require", "000 §3-4", "--require", "Protocol art. 5-6"]
    result = runner.invoke(args=["questionnaires", "coverage", "test-questionnaire", "--strict", *covered])
    assert result.exit_code == 0, result.output
    assert "Every required paragraph is covered." in result.output
    result = runner.invoke(args=["questionnaires", "coverage", "--require", "chapter two"])
    assert result.exit_code == 2 and "cannot read the required paragraphs" in result.output
    assert runner.invoke(args=["questionnaires", "coverage", "nope"]).exit_code == 1


def test_the_worked_example_in_the_docs_validates(runner):
    result = runner.invoke(args=["questionnaires", "validate", "--dir", str(ROOT / "docs" / "examples")])
    assert result.exit_code == 0, result.output
    assert "smuggling-example v1, 5 questions" in result.output
