"""Exclusive options ("None of these", "No assistance needed"): declared in the definition,
refused in combination by the server, never combined by demo data, and ticked alone by the page."""
from pathlib import Path

import pytest
import yaml

from app.demo.data import sample_answers
from app.extensions import db
from app.questionnaires.loader import canonical, from_canonical, load_definition
from app.questionnaires.models import QuestionnaireVersion
from app.questionnaires.operations import store_definition
from app.responses.models import Response
from app.responses.operations import answers_at
from tests import factories
from tests.conftest import FIXTURES
from tests.helpers import checked_values, field_errors, page_form, section_url
from tests.test_questionnaire_definitions import definition, problems_of, question, texts

V3 = Path(__file__).parent.parent / "questionnaires" / "tip-protocol" / "questionnaire.yaml"
JSON = {"Accept": "application/json"}
#: The exclusive options of version 3 (V3-NOTES.md §1).
V3_EXCLUSIVE = {
    **{f"{section}_assistance": ("none",) for section in
       ("rat", "crim", "np", "ident", "prot", "prev", "train", "coord", "data", "coop")},
    **{qid: ("none",) for qid in (
        "prot_services", "data_disaggregation", "coop_mechanisms", "crim_scope_requirements", "crim_labour_offences",
        "crim_labour_sanctions", "crim_special_techniques", "crim_jurisdiction_other", "prot_approach_measures",
        "prot_non_discrimination", "prev_women_children", "prev_worker_protection", "coop_law_enforcement")},
    "crim_defences": ("general_only",), "crim_means": ("no_means_required",), "np_scope": ("any_offence",),
    "ident_referrers": ("anyone",),
}


def _options(*values, exclusive=None):
    return [{"value": v, "label": texts(v), **({"exclusive": exclusive} if v == "none" else {})} for v in values]


@pytest.mark.parametrize("data,expected", [
    (definition(question("q1", "single_choice", options=_options("a", "none", exclusive=True))),
     "question q1: exclusive is only allowed on the options of multiple_choice questions (option none)."),
    (definition(question("q1", "multiple_choice", options=_options("a", "none", exclusive="yes"))),
     "question q1: exclusive of option none must be true or false."),
])
def test_the_loader_refuses_a_misplaced_or_malformed_exclusive(tmp_path, data, expected):
    assert expected in problems_of(tmp_path, data)[0]


def test_exclusive_is_kept_in_the_canonical_json_and_left_out_when_false(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text(yaml.safe_dump(definition(question("q1", "multiple_choice",
                                                       options=_options("a", "b", "none", exclusive=True)))))
    loaded = load_definition(path)
    stored = canonical(loaded)["sections"][0]["questions"][0]["options"]
    assert [option.get("exclusive") for option in stored] == [None, None, True]
    assert from_canonical(canonical(loaded)) == loaded
    assert loaded.questions["q1"].exclusive_values == ("none",)


@pytest.mark.slow
def test_version_3_marks_every_exclusive_option_and_demo_answers_never_combine_them():
    questionnaire = load_definition(V3)
    marked = {q.id: q.exclusive_values for q in questionnaire.questions.values() if q.exclusive_values}
    assert marked == V3_EXCLUSIVE
    for variant in range(3):
        answers = sample_answers(questionnaire, variant=variant)
        combined = [qid for qid, values in V3_EXCLUSIVE.items()
                    if answers.get(qid) and set(values) & set(answers[qid]) and len(answers[qid]) > 1]
        assert combined == []


def exclusive_cycle():
    """A cycle on the test questionnaire whose crim_forms offers an exclusive "None of these"."""
    data = yaml.safe_load((FIXTURES / "questionnaires" / "test-questionnaire.yaml").read_text(encoding="utf-8"))
    data["id"] = "exclusive-questionnaire"
    forms = next(q for s in data["sections"] for q in s["questions"] if q["id"] == "crim_forms")
    forms["options"].append({"value": "none", "exclusive": True, "label": {
        "en": "None of these", "fr": "Aucune de ces formes", "es": "Ninguna de ellas", "ru": "Ничего из перечисленного",
        "zh": "均不涵盖", "ar": "لا شيء من ذلك"}})
    path = FIXTURES.parent / "exclusive.yaml"
    try:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        store_definition(path, load_definition(path))
    finally:
        path.unlink()
    db.session.commit()
    return factories.cycle(version=db.session.scalar(
        db.select(QuestionnaireVersion).filter_by(code="exclusive-questionnaire")))


@pytest.fixture
def cycle(app):
    return exclusive_cycle()


def _stored():
    return answers_at(db.session.scalar(db.select(Response.id)))


def test_the_server_refuses_an_exclusive_option_ticked_with_others(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    url = section_url(cycle, "criminalization")
    form = page_form(client.get(url).text, q_crim_offence="yes")
    form.setlist("q_crim_forms", ["sexual", "none"])
    reply = client.post(url, data=form, headers=JSON)
    assert reply.status_code == 422
    assert reply.get_json()["errors"]["crim_forms"] == [
        "“None of these” cannot be ticked together with other options: untick it or the others."]
    assert "crim_forms" not in _stored()
    page = client.post(url, data=form)  # the Save button: the page again, the boxes as ticked
    assert "“None of these” cannot be ticked together with other options: untick it or the others." in field_errors(
        page.text)
    assert checked_values(page.text, "q_crim_forms") == ["sexual", "none"]
    form.setlist("q_crim_forms", ["none"])
    assert client.post(url, data=form, headers=JSON).status_code == 200
    assert _stored()["crim_forms"] == ["none"]


def test_the_refusal_speaks_the_official_language(client, login, cycle):
    login(factories.user("focal_point", "FRA", locale="fr"))
    url = section_url(cycle, "criminalization")
    form = page_form(client.get(url).text, q_crim_offence="yes")
    form.setlist("q_crim_forms", ["none", "organs"])
    assert client.post(url, data=form, headers=JSON).get_json()["errors"]["crim_forms"] == [
        "« Aucune de ces formes » ne peut pas être cochée avec d'autres options : décochez-la ou décochez les autres."]


def test_the_page_marks_the_exclusive_option_for_its_script(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    html = client.get(section_url(cycle, "criminalization")).text
    assert 'value="none" data-exclusive' in html and 'value="sexual" data-exclusive' not in html
