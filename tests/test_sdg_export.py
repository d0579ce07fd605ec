"""The SDG indicator 16.2.2 export (issue #15 item 11; V3-NOTES.md §2): a long CSV of detected
victims by year, sex, age and form, for the secretariat (accepted and published responses) and
in the open-data API (published responses only, whatever the token)."""
import csv
import io
from pathlib import Path

import pytest

from app.api.models import TokenScope
from app.api.tokens import create_token
from app.extensions import db
from app.questionnaires.loader import load_definition
from app.questionnaires.operations import store_definition
from app.responses import operations as ops
from app.responses.models import Response
from app.responses.workflow import Action
from app.states.models import State
from tests import factories
from tests.analysis_data import export_text

V3 = Path(__file__).parent.parent / "questionnaires" / "tip-protocol" / "questionnaire.yaml"

PERU = {
    "data_victims_sex_age": {"2023": {"women": 10, "girls": 4, "boys": 1, "female_age_unknown": 2, "unknown": 3,
                                      "total": 20}},
    "data_victims_sexual": {"2023": {"women": 8, "girls": 3}},
    "data_victims_forced_labour": {"2023": {"boys": 1}},
    "data_victims_begging": {"2023": {"girls": 1}},
    "data_victims_marriage": {"2023": {"women": 2}},
    "data_victims_form_unknown": {"2023": {"female_age_unknown": 2, "unknown": 3}},
    "data_victims_definition": "formal", "data_victims_source": ["police", "ngos"],
}


@pytest.fixture
def cycle(app):
    store_definition(V3, load_definition(V3))
    cycle = factories.cycle(version=factories.questionnaire_version("tip-protocol"))
    focal, reviewer = factories.user("focal_point", "PER"), factories.user("secretariat")
    chile = {"data_victims_sex_age": {"2024": {"men": 7}}}
    for code, answers, actions in (("PER", PERU, (Action.SUBMIT, Action.ACCEPT, Action.PUBLISH)),
                                   ("CHL", chile, (Action.SUBMIT, Action.ACCEPT)),
                                   ("ARG", {"data_victims_sex_age": {"2024": {"men": 99}}}, (Action.SUBMIT,))):
        ops.create_response(db.session.get(State, code), cycle, focal, answers, set())
        response = db.session.scalar(db.select(Response).filter_by(state_code=code))
        for action in actions:
            ops.change_status(response, action, reviewer)
    db.session.commit()
    return cycle


def _lines(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


def _value(lines, state="PER", year="2023", sex="total", age="total", form="total"):
    found = [line["value"] for line in lines if (line["state"], line["year"], line["sex"], line["age"], line["form"])
             == (state, year, sex, age, form)]
    return int(found[0]) if found else None


def test_the_secretariat_downloads_accepted_and_published_figures(client, login, cycle):
    login(factories.user("secretariat"))
    response = client.get(f"/analysis/cycles/{cycle.id}/sdg-16-2-2.csv")
    assert "sdg-16-2-2.csv" in response.headers["Content-Disposition"]
    lines = _lines(export_text(response))
    assert list(lines[0]) == ["state", "year", "sex", "age", "form", "value", "source"]
    assert {line["state"] for line in lines} == {"PER", "CHL"}  # ARG only submitted
    # The table of all victims: cells, totals by sex and by age, and the overall total.
    assert _value(lines, sex="female", age="adult") == 10 and _value(lines, sex="unknown", age="unknown") == 3
    assert _value(lines, sex="female", age="total") == 16  # women + girls + female_age_unknown
    assert _value(lines, sex="male", age="total") == 1 and _value(lines, sex="unknown", age="total") == 3
    assert _value(lines, sex="total", age="child") == 5 and _value(lines, sex="total", age="unknown") == 5
    assert _value(lines) == 20  # the typed total column is not counted twice
    # Forms: sexual, forced labour, the six "other purposes" tables together, and not known.
    assert _value(lines, form="sexual_exploitation") == 11 and _value(lines, form="forced_labour") == 1
    assert _value(lines, form="other_purposes") == 3 and _value(lines, form="other_purposes", sex="female",
                                                                  age="child") == 1
    assert _value(lines, form="unknown") == 5
    assert {line["source"] for line in lines if line["state"] == "PER"} == {"police; ngos"}
    assert _value(lines, state="CHL", year="2024", sex="male", age="adult") == 7
    assert _value(lines, year="2024") is None  # no figure, no line


def test_the_export_page_offers_it(client, login, cycle):
    login(factories.user("secretariat"))
    page = client.get(f"/analysis/cycles/{cycle.id}/export").text
    assert f'formaction="/analysis/cycles/{cycle.id}/sdg-16-2-2.csv"' in page
    public = _lines(export_text(client.get(f"/analysis/cycles/{cycle.id}/sdg-16-2-2.csv?audience=public")))
    assert {line["state"] for line in public} == {"PER"}


def test_the_open_data_api_gives_published_responses_only(client, cycle):
    lines = _lines(client.get(f"/api/v1/cycles/{cycle.id}/sdg-16-2-2.csv").text)
    assert {line["state"] for line in lines} == {"PER"} and _value(lines) == 20
    _token, secret = create_token("Portal", TokenScope.ALL, factories.user("secretariat"))
    db.session.commit()
    with_token = client.get(f"/api/v1/cycles/{cycle.id}/sdg-16-2-2.csv", headers={"Authorization": f"Bearer {secret}"})
    assert {line["state"] for line in _lines(with_token.text)} == {"PER"}


def test_a_questionnaire_without_victim_tables_exports_the_header_only(client, login):
    cycle = factories.cycle()
    login(factories.user("secretariat"))
    assert export_text(client.get(f"/analysis/cycles/{cycle.id}/sdg-16-2-2.csv")).splitlines() == [
        "state,year,sex,age,form,value,source"]
