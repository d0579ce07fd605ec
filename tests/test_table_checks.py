"""Totals and statistical checks of number tables: a draft keeps what was typed and flags it;
errors and unconfirmed warnings stop the submission; a confirmation holds for its figures only."""
import re

import pytest
import yaml

from app.extensions import db
from app.questionnaires.checks import ERROR, WARNING, question_findings
from app.questionnaires.loader import load_definition
from app.responses.models import FigureConfirmation, Response
from app.responses import operations as ops
from app.responses.operations import answers_at
from tests import factories
from tests.helpers import field_errors, overview_url, section_url
from tests.test_questionnaire_definitions import definition, problems_of, table

JSON = {"Accept": "application/json"}
REQUIRED = [("criminalization", {"q_crim_offence": "no"}), ("protection", {"q_prot_shelter": "no"})]


@pytest.fixture
def focal(client, login, cycle):
    user = login(factories.user("focal_point", "FRA"))
    for section, data in REQUIRED:
        client.post(section_url(cycle, section), data=data)
    return user


def _victims(**cells):
    return {f"q_data_victims-{key.replace('_', '-')}": str(value) for key, value in cells.items()}


def _submit(client, cycle):
    return client.post(overview_url(cycle) + "submit")


def _refused(submit) -> bool:
    """A refused submission goes back to the overview's own address, which says why."""
    return submit.status_code == 303 and submit.location.endswith("/?submit=refused")


def test_a_total_is_computed_and_a_posted_total_ignored(client, focal, cycle):
    response = client.post(section_url(cycle, "data"), data=_victims(
        **{"2024_women": 10, "2024_men": 5, "2024_girls": 1, "2024_boys": 0, "2024_total": 17}))
    assert response.status_code == 302 and response.location.endswith("/sections/data")
    stored = answers_at(db.session.scalar(db.select(Response.id)))["data_victims"]
    assert stored["2024"] == {"women": 10, "men": 5, "girls": 1, "boys": 0, "total": 16}
    page = client.get(section_url(cycle, "data")).text
    assert "Each total must equal the sum of its parts." not in page
    assert 'name="q_data_victims-2024-total"' not in page  # shown, never typed
    assert re.search(r'<output class="input-number computed-total" id="q_data_victims-2024-total" '
                     r'data-sum="q_data_victims-2024-women q_data_victims-2024-men q_data_victims-2024-girls '
                     r'q_data_victims-2024-boys" [^>]*>16</output>', page)
    assert _submit(client, cycle).status_code == 302


def test_a_wrong_total_stored_before_totals_were_computed_is_flagged_and_blocks_submission(client, focal, cycle):
    response_id = db.session.scalar(db.select(Response.id))
    ops.save_answers(db.session.get(Response, response_id), focal, {"data_victims": {
        "2024": {"women": 10, "men": 5, "girls": 1, "boys": 0, "total": 17}}})
    db.session.commit()
    page = client.get(section_url(cycle, "data")).text
    assert "2024, Total: 17, but its parts add up to 16" in page
    submit = _submit(client, cycle)
    assert _refused(submit)
    overview = client.get(submit.location)
    assert "some figures must be corrected or confirmed" in overview.text
    assert f'/sections/data#q-data_victims">4.1 Number of victims of trafficking identified' in overview.text
    client.post(section_url(cycle, "data"), data=_victims(**{"2024_women": 10, "2024_men": 5, "2024_girls": 1,
                                                             "2024_boys": 0}))  # saving recomputes it
    assert answers_at(response_id)["data_victims"]["2024"]["total"] == 16
    assert _submit(client, cycle).status_code == 302


@pytest.mark.parametrize("cells,total", [
    ({"2024_women": 10, "2024_total": 8}, 10),  # the total posted is ignored
    ({"2024_women": 10, "2024_men": 5}, 15),  # the parts left empty add nothing
    ({"2024_total": 30}, None),  # no part given, no total
])
def test_a_total_adds_up_the_parts_given(client, focal, cycle, cells, total):
    client.post(section_url(cycle, "data"), data=_victims(**cells))
    stored = answers_at(db.session.scalar(db.select(Response.id))).get("data_victims") or {}
    assert stored.get("2024", {}).get("total") == total


def test_autosave_runs_the_checks_and_clears_them_when_corrected(client, focal, cycle):
    url = section_url(cycle, "data")
    reply = client.post(url, data=_victims(**{"2023_women": 10, "2024_women": 100}), headers=JSON).get_json()
    assert reply["status"] == "saved"
    assert "changes very sharply between two years" in reply["findings"]["data_victims"]
    assert "Women: 10 in 2023, 100 in 2024" in reply["findings"]["data_victims"]
    assert reply["findings"]["data_assisted"] == ""
    fingerprint = re.search(r'name="confirm" value="([0-9a-f]{64})"', reply["findings"]["data_victims"])[1]
    reply = client.post(url, data={**_victims(**{"2023_women": 10, "2024_women": 100}), "confirm": fingerprint},
                        headers=JSON).get_json()
    assert "Confirmed as correct by" in reply["findings"]["data_victims"]  # confirmed by an autosave too
    reply = client.post(url, data=_victims(**{"2023_women": 10, "2024_women": 12}), headers=JSON).get_json()
    assert reply["findings"]["data_victims"] == ""


def test_negative_counts_are_refused_and_kept_on_screen(client, focal, cycle):
    response = client.post(section_url(cycle, "data"), data=_victims(**{"2024_women": -3}))
    assert response.status_code == 422
    assert field_errors(response.text) == ["2024, Women: enter a whole number of 0 or more, not “-3”."]


def test_a_warning_is_confirmed_for_its_figures_only(client, focal, cycle):
    client.post(section_url(cycle, "data"), data=_victims(**{"2023_women": 10, "2024_women": 100}))
    page = client.get(section_url(cycle, "data")).text
    assert "changes very sharply between two years" in page
    assert "Women: 10 in 2023, 100 in 2024" in page
    fingerprint = re.search(r'name="confirm" value="([0-9a-f]{64})"', page)[1]
    assert _refused(_submit(client, cycle))

    response = client.post(section_url(cycle, "data"), data={**_victims(**{"2023_women": 10, "2024_women": 100}),
                                                             "confirm": fingerprint}, follow_redirects=True)
    assert "Your confirmation of 1 set of figures was recorded." in response.text
    assert "Confirmed as correct by" in response.text and 'name="confirm"' not in response.text
    confirmation = db.session.scalar(db.select(FigureConfirmation))
    # Tied to the revision holding the confirmed figures (the save of the table; nothing else changed since).
    assert (confirmation.question_id, confirmation.revision_number) == ("data_victims", 3)
    assert _submit(client, cycle).status_code == 302


def test_changed_figures_need_a_new_confirmation(client, focal, cycle):
    client.post(section_url(cycle, "data"), data=_victims(**{"2023_women": 10, "2024_women": 100}))
    fingerprint = re.search(r'name="confirm" value="(\w+)"', client.get(section_url(cycle, "data")).text)[1]
    client.post(section_url(cycle, "data"), data={**_victims(**{"2023_women": 10, "2024_women": 100}),
                                                  "confirm": fingerprint})
    # A box ticked while the figures change confirms nothing: the new figures need their own confirmation.
    client.post(section_url(cycle, "data"), data={**_victims(**{"2023_women": 10, "2024_women": 90}),
                                                  "confirm": fingerprint})
    page = client.get(section_url(cycle, "data")).text
    assert 'name="confirm"' in page and "Confirmed as correct" not in page
    assert _refused(_submit(client, cycle))
    # Back to the confirmed figures: the old confirmation holds again.
    client.post(section_url(cycle, "data"), data=_victims(**{"2023_women": 10, "2024_women": 100}))
    assert _submit(client, cycle).status_code == 302


def test_an_error_level_check_blocks_and_cannot_be_confirmed(client, focal, cycle):
    client.post(section_url(cycle, "data"), data={**_victims(**{"2024_women": 10}), "q_data_assisted-2024-women": "12"})
    page = client.get(section_url(cycle, "data")).text
    assert "Some figures are larger than the matching figures of" in page
    assert "2024, Women: 12, more than 10" in page
    assert page.count('name="confirm"') == 0
    assert _refused(_submit(client, cycle))


def test_the_secretariat_sees_whether_figures_were_confirmed(client, focal, login, cycle):
    client.post(section_url(cycle, "data"), data=_victims(**{"2023_men": 1, "2024_men": 50}))
    login(factories.user("secretariat"))
    page = client.get(section_url(cycle, "data")).text
    assert "The State has not confirmed these figures." in page and 'name="confirm"' not in page


def test_total_rows_and_columns_are_both_checked(tmp_path):
    path = tmp_path / "totals.yaml"
    path.write_text(yaml.safe_dump(definition(table(
        "t1", rows=[{"id": "a"}, {"id": "b"}, {"id": "all", "total_of": ["a", "b"]}],
        columns=[{"id": "x"}, {"id": "y"}, {"id": "sum", "total_of": ["x", "y"]}]))), encoding="utf-8")
    questionnaire = load_definition(path)
    question = questionnaire.questions["t1"]
    good = {"a": {"x": 1, "y": 2, "sum": 3}, "b": {"x": 4, "y": 5, "sum": 9}, "all": {"x": 5, "y": 7, "sum": 12}}
    assert question_findings(questionnaire, question, {"t1": good}, "en") == []
    bad = {**good, "all": {"x": 6, "y": 7, "sum": 12}}
    (finding,) = question_findings(questionnaire, question, {"t1": bad}, "en")
    assert finding.level == ERROR
    assert finding.cells == ("all, sum: 12, but its parts add up to 13", "all, x: 6, but its parts add up to 5")


def test_year_on_year_ignores_zero_and_small_changes(tmp_path):
    path = tmp_path / "years.yaml"
    path.write_text(yaml.safe_dump(definition(table("t1", rows=[2021, 2022, 2023], columns=[{"id": "n"}],
                                                    checks=[{"kind": "year_on_year", "factor": 3}]))),
                    encoding="utf-8")
    questionnaire = load_definition(path)
    question = questionnaire.questions["t1"]
    calm = {"2021": {"n": 0}, "2022": {"n": 40}, "2023": {"n": 120}}
    assert question_findings(questionnaire, question, {"t1": calm}, "en") == []
    (finding,) = question_findings(questionnaire, question, {"t1": {**calm, "2023": {"n": 121}}}, "en")
    assert finding.level == WARNING and finding.cells == ("n: 40 in 2022, 121 in 2023",)


@pytest.mark.parametrize("before,after,flagged", [(1, 4, False), (3, 12, False), (12, 3, False), (2, 11, False),
                                                  (10, 40, True), (40, 10, True), (5, 25, True)])
def test_year_on_year_ignores_small_counts(tmp_path, before, after, flagged):
    """A jump of fewer than 10 is chance in small counts, whatever its ratio (issue 15 item 12)."""
    path = tmp_path / "years.yaml"
    path.write_text(yaml.safe_dump(definition(table("t1", rows=[2021, 2022], columns=[{"id": "n"}],
                                                    checks=[{"kind": "year_on_year", "factor": 3}]))),
                    encoding="utf-8")
    questionnaire = load_definition(path)
    answers = {"t1": {"2021": {"n": before}, "2022": {"n": after}}}
    assert bool(question_findings(questionnaire, questionnaire.questions["t1"], answers, "en")) == flagged


def test_a_small_jump_asks_nothing_on_the_page(client, focal, cycle):
    client.post(section_url(cycle, "data"), data=_victims(**{"2023_women": 1, "2024_women": 4}))
    assert "changes very sharply between two years" not in client.get(section_url(cycle, "data")).text


def _two_tables(tmp_path, forms_columns):
    """Victims by sex and by form of exploitation, the second checked against the first."""
    total = lambda *parts: {"id": "total", "total_of": list(parts)}  # noqa: E731
    path = tmp_path / "same-totals.yaml"
    path.write_text(yaml.safe_dump(definition(
        table("by_sex", rows=[2022, 2023], columns=[{"id": "f"}, {"id": "m"}, total("f", "m")]),
        table("by_form", rows=[2022, 2023], columns=forms_columns,
              checks=[{"kind": "same_totals", "question": "by_sex"}]))), encoding="utf-8")
    return path


def test_totals_of_two_tables_of_the_same_victims_are_compared_as_a_warning(tmp_path):
    path = _two_tables(tmp_path, [{"id": "sexual"}, {"id": "labour"}, {"id": "total", "total_of": ["sexual", "labour"]}])
    questionnaire = load_definition(path)
    by_form = questionnaire.questions["by_form"]
    by_sex = {"2022": {"f": 3, "m": 2, "total": 5}, "2023": {"f": 4, "m": 4, "total": 8}}
    same = {"2022": {"sexual": 4, "labour": 1, "total": 5}, "2023": {"sexual": 8, "labour": 0, "total": 8}}
    assert question_findings(questionnaire, by_form, {"by_sex": by_sex, "by_form": same}, "en") == []
    differ = {**same, "2023": {"sexual": 8, "labour": 1, "total": 9}}
    (finding,) = question_findings(questionnaire, by_form, {"by_sex": by_sex, "by_form": differ}, "en")
    assert finding.level == WARNING and finding.cells == ("2023: 9 in this table, 8 in the other",)
    assert question_findings(questionnaire, by_form, {"by_form": differ}, "en") == []  # nothing to compare yet


def test_same_totals_needs_a_total_column_in_both_tables(tmp_path):
    path = _two_tables(tmp_path, [{"id": "sexual"}, {"id": "labour"}])
    problems = problems_of(tmp_path, yaml.safe_load(path.read_text(encoding="utf-8")))
    assert any("question by_form" in p and "same rows and one total column each" in p for p in problems), problems
