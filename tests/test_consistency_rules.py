"""Consistency rules across questions (issue #15; V3-NOTES.md §4), written in the definition's
rule language: an error blocks submission until corrected, a warning until the State confirms
the answers; each names the questions it reads, in the reader's language."""
import re
from pathlib import Path

import pytest

from app.extensions import db
from app.questionnaires.loader import load_definition
from app.questionnaires.operations import store_definition
from tests import factories
from tests.helpers import overview_url, section_url

V3 = Path(__file__).parent.parent / "questionnaires" / "tip-protocol" / "questionnaire.yaml"
ACTS = ["recruitment", "transportation", "transfer", "harbouring", "receipt"]
FORMS = ["sexual", "forced_labour", "slavery", "servitude", "organs"]


@pytest.fixture(scope="module")
def v3():
    return load_definition(V3)


@pytest.fixture
def cycle(app, v3):
    store_definition(V3, v3)
    db.session.commit()
    return factories.cycle(version=factories.questionnaire_version("tip-protocol"))


@pytest.fixture
def focal(client, login):
    return login(factories.user("focal_point", "FRA"))


def _post(client, cycle, section, answers: dict):
    data = {}
    for qid, value in answers.items():
        if isinstance(value, dict):
            data.update({f"q_{qid}-{row}-{column}": str(cell) for row, cells in value.items()
                         for column, cell in cells.items()})
        else:
            data[f"q_{qid}"] = value if isinstance(value, list) else str(value)
    response = client.post(section_url(cycle, section), data=data)
    assert response.status_code == 302, response.text[:3000]
    return client.get(section_url(cycle, section)).text


def _rule(v3, rule_id):
    return next(rule for rule in v3.consistency if rule.id == rule_id)


def _message(v3, rule_id, language="en"):
    return _rule(v3, rule_id).message[language]


def _escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&#34;").replace("'", "&#39;").replace("<", "&lt;")


def _shown(page: str, v3, rule_id: str, language="en") -> bool:
    return _escaped(_message(v3, rule_id, language)) in page


def _submit(client, cycle):
    return client.post(overview_url(cycle) + "submit")


OFFENCE = {"crim_offence": "yes", "crim_acts": ACTS, "crim_means": ["no_means_required"], "crim_forms": FORMS,
           "crim_victims_covered": ["women", "men", "girls", "boys"], "crim_scope_requirements": ["none"],
           "crim_children": "yes"}


@pytest.mark.parametrize("answers,rule_id,level", [
    ({**OFFENCE, "crim_scope_requirements": ["means_for_children"]}, "C1", "error"),
    ({**OFFENCE, "crim_consent": "yes", "crim_defences": ["victim_consent"]}, "C2", "error"),
    ({**OFFENCE, "crim_child_age": 16}, "C3", "warning"),
    ({**OFFENCE, "crim_min_penalty": 10, "crim_max_penalty": 5}, "C4", "error"),
    ({**OFFENCE, "crim_max_penalty": 10, "crim_max_penalty_aggravated": 8}, "C4b", "error"),
    ({**OFFENCE, "crim_max_penalty": 3}, "C4c", "warning"),
    ({**OFFENCE, "crim_victims_covered": ["women", "girls"]}, "C5", "warning"),  # "yes" but only some victims
    ({**OFFENCE, "crim_offence": "partly"}, "C5", "warning"),  # "partly" but every form and victim
    ({**OFFENCE, "crim_scope_requirements": ["transnational"]}, "C6", "warning"),
])
def test_criminal_law_rules(client, cycle, focal, v3, answers, rule_id, level):
    page = _post(client, cycle, "criminalization", answers)
    assert _shown(page, v3, rule_id)
    finding = page[page.index(_escaped(_message(v3, rule_id))) - 300:]
    assert ("Must be corrected:" if level == "error" else "Please check:") in finding[:400]
    submit = _submit(client, cycle)
    assert submit.status_code == 303 and submit.location.endswith("/?submit=refused")  # refused: the overview says why
    assert _escaped(_message(v3, rule_id)) in client.get(submit.location).text


def test_consistent_answers_raise_nothing(client, cycle, focal, v3):
    page = _post(client, cycle, "criminalization", {**OFFENCE, "crim_child_age": 18, "crim_max_penalty": 10,
                                                     "crim_min_penalty": 4, "crim_max_penalty_aggravated": 20})
    assert not [rule.id for rule in v3.consistency if _shown(page, v3, rule.id)]


def test_c7_extradition_of_nationals_and_jurisdiction(client, cycle, focal, v3):
    _post(client, cycle, "cooperation", {"coop_extradition": "yes", "coop_extradition_nationals": "no"})
    page = _post(client, cycle, "criminalization", {**OFFENCE, "crim_jurisdiction_non_extradition": "no"})
    assert _shown(page, v3, "C7")
    _post(client, cycle, "criminalization", {**OFFENCE, "crim_jurisdiction_non_extradition": "yes"})
    assert not _shown(client.get(section_url(cycle, "criminalization")).text, v3, "C7")


def test_status_and_date_rules(client, cycle, focal, v3):
    page = _post(client, cycle, "ratification", {"rat_protocol_status": "ratified", "rat_protocol_year": 2003,
                                                 "rat_convention_status": "signed", })
    assert _shown(page, v3, "R1")
    page = _post(client, cycle, "ratification", {"rat_protocol_status": "ratified", "rat_protocol_year": 2003,
                                                 "rat_convention_status": "ratified", "rat_convention_year": 2005})
    assert not _shown(page, v3, "R1") and _shown(page, v3, "R2")
    page = _post(client, cycle, "coordination", {"coord_plan": "in_force", "coord_plan_start": 2025,
                                                 "coord_plan_end": 2022})
    assert _shown(page, v3, "R3")


@pytest.mark.parametrize("plan,end,shown", [
    ("in_force", 2019, True),    # in force, yet ended before the cycle's period (2021-2025)
    ("in_force", 2021, False),   # it ends in the period's first year
    ("expired", 2019, False),    # said to have expired: no contradiction
])
def test_a_plan_in_force_that_ended_before_the_reference_period_is_questioned(client, cycle, focal, v3, plan, end,
                                                                              shown):
    page = _post(client, cycle, "coordination", {"coord_plan": plan, "coord_plan_start": 2015, "coord_plan_end": end})
    assert _shown(page, v3, "R4") is shown
    if shown:
        finding = page[page.index(_escaped(_message(v3, "R4"))) - 300:]
        assert "Please check:" in finding[:400]  # a warning: the State may confirm it


def test_the_plan_rule_reads_the_period_of_the_cycle_the_answers_belong_to(client, focal, v3):
    """The same answers, in a cycle whose reference period is 2016-2020: the plan ended in it."""
    store_definition(V3, v3)
    db.session.commit()
    earlier = factories.cycle(name="2021", version=factories.questionnaire_version("tip-protocol"),
                              first_year=2016, last_year=2020)
    page = _post(client, earlier, "coordination", {"coord_plan": "in_force", "coord_plan_start": 2015,
                                                   "coord_plan_end": 2019})
    assert not _shown(page, v3, "R4")


def test_table_rules(client, cycle, focal, v3):
    page = _post(client, cycle, "data", {
        "data_victims_sex_age": {"2024": {"women": 10, "men": 5}},
        "data_victims_sexual": {"2024": {"women": 8}},
        "data_victims_forced_labour": {"2024": {"men": 5}},
        "data_protection_outcomes": {"2023": {"compensation_ordered": 4, "compensation_paid": 1},
                                     "2024": {"compensation_ordered": 1, "compensation_paid": 6, "returned": 2}},
        "data_victims_definition": "formal"})
    assert _shown(page, v3, "T1") and _shown(page, v3, "T2") and not _shown(page, v3, "T3")
    _post(client, cycle, "protection", {"prot_return_voluntary": "no_returns"})
    assert _shown(client.get(section_url(cycle, "data")).text, v3, "T3")
    page = _post(client, cycle, "data", {"data_victims_sexual": {"2024": {"women": 10}}})
    assert not _shown(page, v3, "T1")  # 10 + 5 by form, as by sex and age


def test_a_warning_holds_once_confirmed_for_the_same_answers(client, cycle, focal, v3):
    page = _post(client, cycle, "criminalization", {**OFFENCE, "crim_child_age": 16})
    child_age = v3.questions["crim_child_age"]
    assert f"<li>{child_age.number} {_escaped(child_age.text['en'])}</li>" in page  # the finding names the question
    fingerprints = re.findall(r'name="confirm" value="([0-9a-f]{64})"> I confirm these answers are correct', page)
    assert fingerprints
    client.post(section_url(cycle, "criminalization"), data={"confirm": fingerprints})
    assert not any(_escaped(_message(v3, "C3")) in problem for problem in
                   re.findall(r"<li>.*?</li>", _submit(client, cycle).text, re.S))


def test_completeness_rules_block_submission(client, cycle, focal, v3):
    page = _post(client, cycle, "data", {"data_victims_sex_age": {"2024": {"women": 3}},
                                         "data_suspects_sex_age": {"2024": {"men": 2}}})
    assert _shown(page, v3, "K1") and _shown(page, v3, "K1s")
    page = _post(client, cycle, "data", {"data_victims_definition": "formal", "data_suspects_articles": "Art. 225-4-1"})
    assert not _shown(page, v3, "K1") and not _shown(page, v3, "K1s")


@pytest.mark.parametrize("language", ["ar", "es", "fr", "ru", "zh"])
def test_rule_messages_in_every_language(client, cycle, login, v3, language):
    login(factories.user("focal_point", "FRA", locale=language))
    page = _post(client, cycle, "criminalization", {**OFFENCE, "crim_scope_requirements": ["means_for_children"]})
    assert _shown(page, v3, "C1", language)


def test_tables_marked_as_having_no_figures_are_not_summed(client, cycle, focal, v3):
    """A table marked "not collected" beside a part marked "confidential": nothing to compare,
    and the page shows them (the mark is no row of figures)."""
    response = client.post(section_url(cycle, "data"), data={
        "q_data_victims_sex_age-*-mark": "not_collected", "q_data_victims_sexual-*-mark": "confidential",
        "q_data_victims_forced_labour-2024-men": "5"})
    assert response.status_code == 302, response.text[:3000]
    page = client.get(section_url(cycle, "data"))
    assert page.status_code == 200 and not _shown(page.text, v3, "T1")
