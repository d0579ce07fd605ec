"""A new cycle's response starts from the State's last accepted answers, matched by question
id; questions new or changed since then are marked; the prefill is revision 1 of the new
response and the history says where it came from."""
import re
from datetime import date

import yaml

from app.responses.prefill import CHANGED, NEW, question_marks
from app.extensions import db
from app.questionnaires.loader import Checker, load_definition, read_definition
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.operations import store_definition
from app.responses import operations as ops
from app.responses.models import Response, Revision
from app.responses.workflow import Action
from app.states.models import State
from tests import factories
from tests.conftest import FIXTURES
from tests.helpers import overview_url, section_url

ACCEPTED_ANSWERS = {"crim_offence": "partly", "crim_law": "Penal Code art. 4", "prot_budget": "2.5",
                    "data_body": "Statistics office", "prot_shelter": "yes"}


def _question(definition, question_id):
    return next(q for s in definition["sections"] for q in s["questions"] if q["id"] == question_id)


def _next_version(tmp_path) -> QuestionnaireVersion:
    """The test questionnaire as a later version: data_body dropped, data_new added, the text of
    crim_law reworded, prot_budget now a whole number. (Its own id: the suite's cleanup
    removes it.)"""
    definition = yaml.safe_load((FIXTURES / "questionnaires" / "test-questionnaire.yaml").read_text(encoding="utf-8"))
    definition["id"] = "next-questionnaire"
    data = next(section for section in definition["sections"] if section["id"] == "data")
    data["questions"] = [q for q in data["questions"] if q["id"] != "data_body"]
    data["questions"].append({**_question(definition, "crim_law"), "id": "data_new"})
    _question(definition, "crim_law")["text"]["fr"] = "Quelle loi, et quel article, établissent l'infraction ?"
    _question(definition, "prot_budget")["type"] = "integer"
    path = tmp_path / "next.yaml"
    path.write_text(yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8")
    store_definition(path, load_definition(path))
    db.session.commit()
    return db.session.scalar(db.select(QuestionnaireVersion).filter_by(code="next-questionnaire"))


def _cycle(name, year, version=None, is_open=False):
    cycle = factories.cycle(name=name, version=version, is_open=is_open)
    cycle.opens_on, cycle.closes_on = date(year, 1, 1), date(year, 12, 31)
    db.session.commit()
    return cycle


def _accepted(cycle, focal, reviewer, values, confidential=frozenset()):
    revision = ops.create_response(db.session.get(State, focal.state_code), cycle, focal, values, confidential)
    response = db.session.get(Response, revision.response_id)
    ops.change_status(response, Action.SUBMIT, focal)
    ops.change_status(response, Action.ACCEPT, reviewer)
    db.session.commit()
    return response


def test_the_last_accepted_answers_start_the_new_cycle(client, login, tmp_path):
    focal = factories.user("focal_point", "FRA", name="Amina")
    reviewer = factories.user("secretariat")
    _accepted(_cycle("2022", 2022), focal, reviewer, {"crim_law": "A law of 2010"})
    _accepted(_cycle("2024", 2024), focal, reviewer, ACCEPTED_ANSWERS, confidential={"prot_budget", "crim_law"})
    draft = _cycle("2025", 2025)  # a later cycle with answers never accepted: not a source
    ops.create_response(db.session.get(State, "FRA"), draft, focal, {"crim_law": "Draft only"})
    db.session.commit()
    current = _cycle("2026", 2026, _next_version(tmp_path), is_open=True)

    login(focal)
    # Reading the overview writes nothing: it offers to start from the accepted answers.
    offer = client.get(overview_url(current)).text
    assert db.session.scalar(db.select(Response).filter_by(cycle_id=current.id)) is None
    assert "Start from the answers of cycle 2024" in offer
    started = client.post(overview_url(current) + "start")
    assert started.location == overview_url(current)
    overview = client.get(overview_url(current)).text
    assert "Start from the answers of cycle" not in overview
    response = db.session.scalar(db.select(Response).filter_by(cycle_id=current.id))
    assert response.revision_count == 1 and response.status == "draft"
    revision = db.session.scalar(db.select(Revision).filter_by(response_id=response.id))
    assert (revision.kind, revision.author_id) == ("create", focal.id)
    # Matched by id; dropped and retyped questions are left out; confidentiality is kept.
    assert ops.answers_at(response.id) == {"crim_offence": "partly", "crim_law": "Penal Code art. 4",
                                           "prot_shelter": "yes"}
    assert ops.confidential_at(response.id) == {"crim_law"}

    assert "Prefilled from cycle 2024" in overview
    assert "3 questions are new or changed since then" in overview
    assert re.search(r"#q-crim_law\">[^<]+</a>\s*— changed", overview)
    assert re.search(r"#q-prot_budget\">[^<]+</a>\s*— changed", overview)
    assert re.search(r"#q-data_new\">[^<]+</a>\s*— new", overview)
    assert "check the answer carried over" in client.get(section_url(current, "criminalization")).text
    assert "New question since cycle 2024" in client.get(section_url(current, "data")).text
    history = client.get(overview_url(current) + "history").text
    assert "Prefilled from cycle 2024" in history

    client.post(overview_url(current) + "start")  # starting again copies nothing more
    assert db.session.scalar(db.select(db.func.count()).select_from(Revision).filter_by(response_id=response.id)) == 1


def test_a_type_change_counts_as_changed_and_a_translation_fix_too(app):
    old = yaml.safe_load((FIXTURES / "questionnaires" / "test-questionnaire.yaml").read_text(encoding="utf-8"))
    new = yaml.safe_load((FIXTURES / "questionnaires" / "test-questionnaire.yaml").read_text(encoding="utf-8"))
    _question(new, "prot_budget")["type"] = "integer"
    _question(new, "crim_law")["text"]["zh"] += "？"
    new["sections"][0]["questions"].append({**_question(new, "crim_law"), "id": "fresh"})
    new, old = read_definition(new, Checker("new")), read_definition(old, Checker("old"))
    assert question_marks(new, old) == {"prot_budget": CHANGED, "crim_law": CHANGED, "fresh": NEW}
    assert question_marks(old, old) == {}


def test_nothing_is_prefilled_without_accepted_answers_or_for_the_secretariat(client, login, tmp_path):
    focal = factories.user("focal_point", "FRA")
    reviewer = factories.user("secretariat")
    _accepted(_cycle("2024", 2024), focal, reviewer, ACCEPTED_ANSWERS)
    current = _cycle("2026", 2026, _next_version(tmp_path), is_open=True)
    login(reviewer)
    assert "Start from" not in client.get(overview_url(current)).text
    assert client.post(overview_url(current) + "start").status_code == 403
    assert db.session.scalar(db.select(Response).filter_by(cycle_id=current.id)) is None
    login(factories.user("focal_point", "DEU"))  # Germany has never had answers accepted
    page = client.get(overview_url(current, "DEU")).text
    assert "Prefilled" not in page and "Start from" not in page
    assert db.session.scalar(db.select(Response).filter_by(cycle_id=current.id)) is None
    login(focal)
    # A section of a response not started yet sends to the overview, which offers to start it.
    shown = client.get(section_url(current, "criminalization"))
    assert shown.status_code == 302 and shown.location == overview_url(current)
    assert db.session.scalar(db.select(Response).filter_by(cycle_id=current.id)) is None


def test_a_first_save_before_starting_prefills_and_asks_about_what_it_changed(client, login, tmp_path):
    """A section form posted before the response was started (a tab left open) starts it from
    the accepted answers: the answers left empty keep the accepted ones, and an answer typed over
    an accepted one is a conflict to settle, so neither is lost."""
    focal = factories.user("focal_point", "FRA")
    _accepted(_cycle("2024", 2024), focal, factories.user("secretariat"), ACCEPTED_ANSWERS)
    current = _cycle("2026", 2026, _next_version(tmp_path), is_open=True)
    login(focal)
    posted = client.post(section_url(current, "criminalization"), data={
        "q_crim_offence": "", "v_crim_offence": "0", "q_crim_law": "Act 5 of 2025", "v_crim_law": "0"})
    assert posted.status_code == 409
    assert "Someone else changed this answer" in posted.text and "Penal Code art. 4" in posted.text
    response = db.session.scalar(db.select(Response).filter_by(cycle_id=current.id))
    assert ops.answers_at(response.id)["crim_offence"] == "partly"
    assert ops.answers_at(response.id)["crim_law"] == "Penal Code art. 4"
