"""The derived classification of the offence (issue #15 item 13; V3-NOTES.md §3): a rule of the
definition, judged from each State's answers, and its distribution on the dashboard, in the
CSV and XLSX exports and in the API, the three counting the same States."""
import csv
import io
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from app.api.models import TokenScope
from app.api.tokens import create_token
from app.extensions import db
from app.questionnaires.derived import classify
from app.questionnaires.loader import load_definition
from app.questionnaires.operations import store_definition
from app.responses import operations as ops
from app.responses.models import Response
from app.responses.workflow import Action
from app.states.models import State
from app.states.names import member_state_codes
from tests import factories
from tests.analysis_data import export_text
from tests.conftest import count_queries
from tests.helpers import job_file

V3 = Path(__file__).parent.parent / "questionnaires" / "tip-protocol" / "questionnaire.yaml"
ACTS = ["recruitment", "transportation", "transfer", "harbouring", "receipt"]
FORMS = ["sexual", "forced_labour", "slavery", "servitude", "organs"]
ALL_FORMS = {"crim_offence": "yes", "crim_acts": ACTS, "crim_means": ["no_means_required"], "crim_forms": FORMS,
             "crim_victims_covered": ["women", "men", "girls", "boys"], "crim_scope_requirements": ["none"],
             "crim_children": "yes", "crim_child_age": 18}


@pytest.fixture(scope="module")
def v3():
    return load_definition(V3)


def _offence(v3):
    return v3.classifications[0]


@pytest.mark.parametrize("changes,expected", [
    ({}, "all_forms"),
    ({"crim_offence": "partly"}, "all_forms"),  # the facts decide, not the yes/partly answer
    ({"crim_means": ["force", "coercion", "abduction", "fraud", "deception", "abuse_of_power", "vulnerability",
                     "payments"]}, "all_forms"),
    ({"crim_child_age": None}, "all_forms"),  # no age given: the Protocol's under 18
    ({"crim_victims_covered": ["women", "girls"]}, "some_forms"),
    ({"crim_means": ["force", "fraud"]}, "some_forms"),
    ({"crim_forms": ACTS[:0] + FORMS[:4]}, "some_forms"),
    ({"crim_scope_requirements": ["transnational"]}, "some_forms"),
    ({"crim_child_age": 16}, "some_forms"),
    ({"crim_children": "partly"}, "some_forms"),
    # One input unanswered: unclassifiable, unless an answer given already fails.
    ({"crim_victims_covered": None}, "not_classifiable"),
    ({"crim_victims_covered": None, "crim_acts": ACTS[:2]}, "some_forms"),
    ({"crim_offence": "no"}, "none"),
    ({"crim_offence": None}, "not_classifiable"),
])
def test_the_rule_classifies_each_state(v3, changes, expected):
    answers = {key: value for key, value in {**ALL_FORMS, **changes}.items() if value is not None}
    assert classify(_offence(v3), answers) == expected


def test_the_labels_come_from_the_definition_in_six_languages(v3):
    for each in _offence(v3).all_classes:
        assert set(each.label) == {"ar", "en", "es", "fr", "ru", "zh"} and all(each.label.values())
    assert _offence(v3).label("none", "fr") == "Pas d'infraction spécifique"


def _answers(index: int) -> dict:
    """164 States whose offence covers all forms, 19 some victims only, 10 without an offence."""
    if index < 164:
        return ALL_FORMS
    if index < 183:
        return {**ALL_FORMS, "crim_victims_covered": ["women", "girls"]}
    return {"crim_offence": "no"}


@pytest.fixture
def world(app, v3):
    store_definition(V3, v3)
    version = factories.questionnaire_version("tip-protocol")
    cycle = factories.cycle(version=version)
    focal, reviewer = factories.user("focal_point", "FRA"), factories.user("secretariat")
    codes = list(member_state_codes())
    assert len(codes) == 193
    for index, code in enumerate(codes):
        ops.create_response(db.session.get(State, code), cycle, focal, _answers(index), set())
        response = db.session.scalar(db.select(Response).filter_by(state_code=code, cycle_id=cycle.id))
        ops.change_status(response, Action.SUBMIT, focal)
        ops.change_status(response, Action.ACCEPT, reviewer)
        if index % 2:
            ops.change_status(response, Action.PUBLISH, reviewer)
    db.session.commit()
    return cycle


class _Shares(HTMLParser):
    """class id -> (count, share) of the dashboard's table for one classification."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows, self.row, self.cell, self.inside = {}, None, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and attrs.get("data-classification") == "offence_coverage":
            self.inside = True
        elif self.inside and tag == "tr" and "data-class" in attrs:
            self.row = attrs["data-class"]
            self.rows[self.row] = {}
        elif self.row and tag == "td":
            self.cell = attrs.get("class", "").split()[-1]

    def handle_data(self, data):
        if self.row and self.cell:
            self.rows[self.row][self.cell] = data.strip()

    def handle_endtag(self, tag):
        if tag == "td":
            self.cell = None
        elif tag == "tr":
            self.row = None
        elif tag == "section":
            self.inside = False


def _dashboard_shares(html: str) -> dict:
    parser = _Shares()
    parser.feed(html)
    return parser.rows


def _percent(count: int, total: int) -> int:
    return round(100 * count / total)


def test_193_states_give_85_10_5_percent_on_the_dashboard_csv_xlsx_and_api(client, login, world):
    login(factories.user("secretariat"))
    with count_queries() as queries:
        page = client.get("/analysis/")
    assert page.status_code == 200
    shares = _dashboard_shares(page.text)
    assert {key: (row["count"], row["share"]) for key, row in shares.items()} == {
        "all_forms": ("164", "85%"), "some_forms": ("19", "10%"), "none": ("10", "5%"), "not_classifiable": ("0", "0%")}
    assert len(queries) <= 10, queries  # two more than without classifications, whatever the States

    lines = list(csv.DictReader(io.StringIO(export_text(client.get(f"/analysis/cycles/{world.id}/export.csv")))))
    classes = [line["value"] for line in lines if line["question_id"] == "offence_coverage"]
    assert len(classes) == 193
    assert [_percent(classes.count(c), 193) for c in ("all_forms", "some_forms", "none")] == [85, 10, 5]

    workbook = load_workbook(io.BytesIO(job_file(client, f"/analysis/cycles/{world.id}/export.xlsx").data))
    sheet = list(workbook["Derived indicators"].values)
    assert sheet[0] == ("State", "ISO code", "Coverage of the trafficking offence in domestic law")
    labels = [row[2] for row in sheet[1:]]
    assert labels.count("The offence covers all forms of trafficking of the Protocol definition") == 164
    assert labels.count("No specific offence") == 10

    _token, secret = create_token("Statistics", TokenScope.ALL, factories.user("secretariat"))
    db.session.commit()
    url = f"/api/v1/cycles/{world.id}/classifications/offence_coverage/distribution"
    data = client.get(url, headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert data["states_counted"] == 193
    assert {c["id"]: _percent(c["count"], 193) for c in data["classes"]} == {
        "all_forms": 85, "some_forms": 10, "none": 5, "not_classifiable": 0}
    assert [round(100 * c["share"]) for c in data["classes"]] == [5, 85, 10, 0]  # in the definition's order
    public = client.get(url).get_json()  # without a token: published responses only
    assert public["statuses"] == ["published"] and public["states_counted"] == 96
    state = client.get(f"/api/v1/cycles/{world.id}/responses/{lines[0]['state']}",
                       headers={"Authorization": f"Bearer {secret}"}).get_json()
    assert state["derived"] == {"offence_coverage": "all_forms"}


#: A class label in the languages whose script or words differ most from the definition's English.
NONE_LABELS = {"ar": "لا توجد جريمة محددة", "zh": "无具体罪名", "ru": "Нет специального состава преступления"}


def test_the_dashboard_shows_the_classes_in_the_readers_language(client, login, world):
    # One world of 193 States for the three readers: building it is most of the test's time.
    for language, label in NONE_LABELS.items():
        user = factories.user("secretariat")
        user.locale = language
        db.session.commit()
        login(user)
        assert label in client.get("/analysis/").text, language


@pytest.mark.parametrize("public,label", [
    (False, "L'infraction couvre toutes les formes de traite de la définition du Protocole"),
    (True, "Non classable"),
])
def test_the_country_profile_shows_the_class_from_what_its_reader_sees(v3, public, label):
    """A public profile classifies without the answers the State withheld: without its answer to
    crim_victims_covered the offence cannot be classified."""
    from datetime import datetime, timezone

    from flask_babel import force_locale

    from app.reports.profile import ProfileSource, build_profile
    source = ProfileSource(questionnaire=v3, answers=dict(ALL_FORMS), locale="fr", state_name="France",
                           state_code="FRA", cycle_name="2026", status="published", revision_number=3,
                           revision_date=datetime(2026, 5, 1, tzinfo=timezone.utc),
                           confidential=frozenset({"crim_victims_covered"}), public=public)
    with force_locale("fr"):
        derived = build_profile(source)["derived"]
    assert derived == [{"title": "Portée de l'infraction de traite des personnes en droit interne",
                        "label": label}]
