"""A table, or a year of it, marked as having no figures ("Data not collected", "Collected but
not available", "Confidential"): stored apart from 0 and from an empty table, shown on every page,
kept apart in analysis, exports and profiles (issue 15 item 7)."""
import csv
import io
import re
from pathlib import Path

import pytest
import yaml
from openpyxl import load_workbook

from app.extensions import db
from app.questionnaires.loader import load_definition
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.operations import store_definition
from app.questionnaires.versions import questionnaire_for
from app.responses import operations as ops
from app.responses.diff import compare_answers
from app.responses.models import Response
from app.responses.operations import answers_at
from app.states.models import State
from app.responses.workflow import Action
from tests import factories
from tests.conftest import FIXTURES
from tests.helpers import field_errors, job_file, overview_url, section_url
from tests.test_profile_data import SEX, _profile, _questionnaire, _questions
from tests.test_questionnaire_definitions import definition, problems_of, question, table

JSON = {"Accept": "application/json"}


def _victims(**cells):
    return {f"q_data_victims-{key.replace('_', '-')}": str(value) for key, value in cells.items()}


def _stored():
    return answers_at(db.session.scalar(db.select(Response.id))).get("data_victims")


@pytest.fixture
def focal(client, login, cycle):
    return login(factories.user("focal_point", "FRA"))


def test_a_whole_table_marked_is_answered_without_figures(client, focal, cycle):
    url = section_url(cycle, "data")
    reply = client.post(url, data={"q_data_victims-*-mark": "not_collected"}, headers=JSON)
    assert reply.status_code == 200 and _stored() == {"_marks": {"*": "not_collected"}}
    assert reply.get_json()["progress"]["section"]["answered"] == 1  # neither unanswered nor 0
    page = client.get(url).text
    assert '<option value="not_collected" selected>Data not collected</option>' in page
    history = client.get(overview_url(cycle) + "revisions/1").text
    assert '<p class="answer answer--mark">Data not collected</p>' in history


def test_a_year_marked_keeps_the_others_figures_and_refuses_its_own(client, focal, cycle):
    url = section_url(cycle, "data")
    client.post(url, data={**_victims(**{"2024_women": 4, "2024_men": 1}), "q_data_victims-2023-mark": "not_available"})
    assert _stored() == {"2024": {"women": 4, "men": 1, "total": 5}, "_marks": {"2023": "not_available"}}
    page = client.get(overview_url(cycle) + "revisions/1").text
    assert re.search(r'<td class="table-mark" colspan="5">Collected but not available</td>', page)
    reply = client.post(url, data={**_victims(**{"2023_women": 2}), "q_data_victims-2023-mark": "not_available"})
    assert reply.status_code == 422
    assert field_errors(reply.text) == ["A table or year marked as having no figures cannot have figures: remove the "
                                        "figures or the mark (2023)."]
    reply = client.post(url, data={"q_data_victims-2022-mark": "lost"}, headers=JSON)
    assert reply.get_json()["errors"]["data_victims"] == ["Choose one of the reasons offered for a table without figures."]


def test_the_mark_speaks_the_official_language(client, login, cycle):
    login(factories.user("focal_point", "FRA", locale="es"))
    client.post(section_url(cycle, "data"), data={"q_data_victims-*-mark": "confidential"})
    assert '<p class="answer answer--mark">Confidencial</p>' in client.get(overview_url(cycle) + "revisions/1").text


def test_a_profile_prints_the_marks(app, tmp_path):
    questionnaire = _questionnaire(tmp_path, table("victims", rows=(2022, 2023, 2024), columns=SEX),
                                   table("cases", rows=(2022, 2023), columns=SEX))
    answers = {"victims": {"2022": {"women": 4, "men": 1, "total": 5}, "_marks": {"2023": "not_collected"}},
               "cases": {"_marks": {"*": "confidential"}}}
    found = _questions(_profile(questionnaire, answers, locale="fr"))
    rows = found["victims"]["table"]["rows"]
    assert rows[1]["cells"] == ["Données non collectées", "", ""]
    assert rows[3]["cells"] == ["4", "1", "5"]  # the total over the years leaves the mark out
    assert found["cases"]["answer"] == "Confidentiel"


@pytest.fixture
def marked_cycle(app):
    """Three accepted responses: figures for 2024 from two States, 2024 not collected by the third."""
    cycle = factories.cycle()
    focal, reviewer = factories.user("focal_point", "FRA"), factories.user("secretariat")
    tables = {"FRA": {"2024": {"women": 3, "men": 2, "total": 5}}, "DEU": {"2024": {"women": 0, "total": 0}},
              "ITA": {"_marks": {"2024": "not_collected"}, "2023": {"women": 7, "total": 7}}}
    for code, value in tables.items():
        ops.create_response(db.session.get(State, code), cycle, focal, {"crim_offence": "no", "data_victims": value})
        response = db.session.scalar(db.select(Response).filter_by(state_code=code, cycle_id=cycle.id))
        ops.change_status(response, Action.SUBMIT, focal)
        ops.change_status(response, Action.ACCEPT, reviewer)
    db.session.commit()
    return cycle


def test_analysis_and_exports_keep_marks_apart_from_zero_and_from_unanswered(client, login, marked_cycle):
    login(factories.user("secretariat"))
    page = client.get(f"/analysis/cycles/{marked_cycle.id}/questions/data_victims").text
    row_2024 = re.search(r'<tr data-row="2024">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r"<td[^>]*>([\d,]*)</td>", row_2024)[:5] == ["3", "2", "", "", "5"]
    assert "<summary>2</summary>" in row_2024  # States reporting: France and Germany (a 0 is a figure)
    assert "<summary>Data not collected: 1</summary>" in row_2024
    rows = list(csv.DictReader(io.StringIO(client.get(f"/analysis/cycles/{marked_cycle.id}/export.csv").get_data(
        as_text=True).lstrip("\ufeff"))))
    italy = [r for r in rows if r.get("question_id", r.get("question")) == "data_victims" and "ITA" in r.values()]
    assert any("not_collected" in r.values() and "2024" in r.values() for r in italy), italy
    cells = [cell.value for sheet in load_workbook(io.BytesIO(job_file(
        client, f"/analysis/cycles/{marked_cycle.id}/export.xlsx").data)).worksheets
        for row in sheet.iter_rows() for cell in row]
    assert "Data not collected" in cells


# Counts (integer questions with ``marks: true``) ------------------------------------------------

def marked_count_cycle():
    """A cycle on the test questionnaire whose prot_shelter_places may be marked."""
    data = yaml.safe_load((FIXTURES / "questionnaires" / "test-questionnaire.yaml").read_text(encoding="utf-8"))
    data["id"] = "marks-questionnaire"
    places = next(q for s in data["sections"] for q in s["questions"] if q["id"] == "prot_shelter_places")
    places["marks"] = True
    path = FIXTURES.parent / "marks.yaml"
    try:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        store_definition(path, load_definition(path))
    finally:
        path.unlink()
    db.session.commit()
    return factories.cycle(name="marks", version=db.session.scalar(
        db.select(QuestionnaireVersion).filter_by(code="marks-questionnaire")))


@pytest.mark.parametrize("data,expected", [
    (definition(question("q1", "integer", marks="yes")), "question q1: marks must be true or false."),
    (definition(question("q1", "short_text", marks=True)), "question q1: marks is only allowed on integer questions."),
])
def test_the_loader_checks_marks(tmp_path, data, expected):
    assert expected in problems_of(tmp_path, data)[0]


def test_a_count_marked_is_stored_apart_from_zero_and_shown(client, focal):
    cycle = marked_count_cycle()
    url = section_url(cycle, "protection")
    reply = client.post(url, data={"q_prot_shelter": "yes", "q_prot_shelter_places": "",
                                   "q_prot_shelter_places-*-mark": "not_available"}, headers=JSON)
    assert reply.status_code == 200
    assert answers_at(db.session.scalar(db.select(Response.id)))["prot_shelter_places"] == {
        "_marks": {"*": "not_available"}}
    assert '<option value="not_available" selected>Collected but not available</option>' in client.get(url).text
    assert "Collected but not available" in client.get(overview_url(cycle) + "revisions/1").text
    reply = client.post(url, data={"q_prot_shelter": "yes", "q_prot_shelter_places": "0", "v_prot_shelter_places": "1",
                                   "q_prot_shelter_places-*-mark": "not_available"}, headers=JSON)
    assert reply.get_json()["errors"]["prot_shelter_places"] == [
        "An answer marked as having no figure cannot have a figure: remove the number or the mark."]
    client.post(url, data={"q_prot_shelter": "yes", "q_prot_shelter_places": "0", "v_prot_shelter_places": "1"})
    assert answers_at(db.session.scalar(db.select(Response.id)))["prot_shelter_places"] == 0


def test_the_analysis_summarises_figures_and_lists_marks_apart(client, login, app):
    cycle = marked_count_cycle()
    focal, reviewer = factories.user("focal_point", "FRA"), factories.user("secretariat")
    for code, places in (("FRA", 12), ("DEU", 0), ("ITA", {"_marks": {"*": "not_collected"}})):
        ops.create_response(db.session.get(State, code), cycle, focal,
                            {"crim_offence": "no", "prot_shelter": "yes", "prot_shelter_places": places})
        response = db.session.scalar(db.select(Response).filter_by(state_code=code, cycle_id=cycle.id))
        ops.change_status(response, Action.SUBMIT, focal)
        ops.change_status(response, Action.ACCEPT, reviewer)
    db.session.commit()
    login(reviewer)
    page = client.get(f"/analysis/cycles/{cycle.id}/questions/prot_shelter_places").text
    figures = dict(re.findall(r'<th scope="row">(\w+)</th><td class="number">([\d,.]+)</td>', page))
    assert figures["States"] == "2" and figures["Total"] == "12" and figures["Lowest"] == "0"
    assert "Data not collected" in page  # Italy's answer, listed by State
    rows = list(csv.DictReader(io.StringIO(client.get(f"/analysis/cycles/{cycle.id}/export.csv").get_data(
        as_text=True).lstrip("\ufeff"))))
    assert any("not_collected" in r.values() and "ITA" in r.values() for r in rows)


@pytest.mark.slow
def test_version_3_lets_the_counts_of_the_notes_be_marked(app):
    v3 = load_definition(Path(__file__).parent.parent / "questionnaires" / "tip-protocol" / "questionnaire.yaml")
    assert {q.id for q in v3.questions.values() if q.marks} == {
        "crim_max_penalty", "crim_min_penalty", "crim_max_penalty_aggravated", "crim_limitation_years",
        "prot_shelter_places", "prot_reflection_days", "train_count_enforcement", "train_count_judicial",
        "train_count_other", "coop_jit_count"}


def test_a_mark_set_or_lifted_shows_in_the_comparison_of_revisions(app, cycle):
    questionnaire = questionnaire_for(cycle.questionnaire_version)
    old = {"data_victims": {"2024": {"women": 12}, "_marks": {"2023": "not_collected"}}}
    new = {"data_victims": {"2024": {"women": 12}, "2023": {"women": 1}, "_marks": {"2022": "confidential"}}}
    with app.test_request_context():
        [diff] = compare_answers(questionnaire, old, new, "en")
    assert [(c.row, c.column, c.old, c.new) for c in diff.cells] == [
        ("2023", "Women", "", "1"), ("2022", "Without figures", "", "Confidential"),
        ("2023", "Without figures", "Data not collected", "")]
