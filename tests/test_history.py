"""History: the timeline of revisions, the comparison of any two (app/responses/diff.py), and
restoring an earlier revision as a new one."""
import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.questionnaires.versions import questionnaire_for
from app.responses import operations as ops
from app.responses.diff import ADDED, CHANGED, REMOVED, SAME, Segment, compare_answers, word_diff
from app.responses.models import Response, Revision
from app.responses.workflow import Action
from app.states.models import State
from tests import factories
from tests.conftest import count_queries
from tests.helpers import overview_url, section_url

LAW = {"title": "Penal Code", "article": "art. 225-4-1", "adopted": None, "status": "in_force", "url": None,
       "attachment": None}


@pytest.fixture
def questionnaire(cycle):
    return questionnaire_for(cycle.questionnaire_version)


def _side(segments, kind):
    return "".join(s.text for s in segments if s.kind in (SAME, kind))


def test_words_are_marked_where_they_changed():
    old, new = "The law protects victims of trafficking.", "The new law protects all victims of trafficking."
    segments = word_diff(old, new)
    assert _side(segments, REMOVED) == old and _side(segments, ADDED) == new
    assert [s.text.strip() for s in segments if s.kind == ADDED] == ["new", "all"]
    assert not [s for s in segments if s.kind == REMOVED]
    assert word_diff("受害者援助", "受害人援助") == (
        Segment(SAME, "受害"), Segment(REMOVED, "者"), Segment(ADDED, "人"), Segment(SAME, "援助"))
    assert word_diff("", "نص جديد") == (Segment(ADDED, "نص جديد"),)


def test_tables_compare_cell_by_cell(questionnaire):
    old = {"data_victims": {"2024": {"women": 12, "men": 3}}}
    new = {"data_victims": {"2024": {"women": 14, "men": 3}, "2023": {"girls": 2}}}
    [diff] = compare_answers(questionnaire, old, new, "en")
    assert diff.kind == CHANGED
    assert [(c.row, c.column, c.old, c.new) for c in diff.cells] == [("2023", "Girls", "", "2"),
                                                                      ("2024", "Women", "12", "14")]


def test_law_lists_compare_entry_by_entry(questionnaire):
    old = [LAW, {**LAW, "title": "Labour Code", "article": "art. 8"}]
    new = [{**LAW, "article": "art. 225-4-2"}, {**LAW, "title": "Victims Act", "article": None}]
    [diff] = compare_answers(questionnaire, {"crim_laws": old}, {"crim_laws": new}, "en")
    assert [item.kind for item in diff.items] == [CHANGED, REMOVED, ADDED]
    changed = diff.items[0]
    assert [s for s in changed.words if s.kind != SAME] == [Segment(REMOVED, "1"), Segment(ADDED, "2")]
    assert diff.items[1].old.startswith("Labour Code") and diff.items[2].new.startswith("Victims Act")


def test_choices_and_plain_answers(questionnaire):
    diffs = compare_answers(questionnaire,
                            {"crim_forms": ["sexual", "organs"], "crim_offence": "partly", "crim_max_penalty": 10},
                            {"crim_forms": ["sexual", "forced_labour"], "crim_offence": "yes", "crim_law": ""}, "en")
    assert [d.question.id for d in diffs] == ["crim_offence", "crim_forms", "crim_max_penalty"]
    offence, forms, penalty = diffs
    assert (offence.old_text, offence.new_text) == ("Partly", "Yes")
    assert [(i.kind, i.old or i.new) for i in forms.items] == [(ADDED, "Forced labour or services"), (REMOVED, "Removal of organs")]
    assert penalty.kind == REMOVED and penalty.new_text == ""


@pytest.fixture
def history(client, login, cycle):
    """France's response in four revisions: created with a law, a description, the description
    changed, the law changed."""
    focal = login(factories.user("focal_point", "FRA", name="Amélie Focal"))
    url = section_url(cycle, "criminalization")
    client.post(url, data={"q_crim_offence": "yes", "q_crim_law": "Penal Code"})
    client.post(section_url(cycle, "protection"), data={"q_prot_shelter": "yes", "q_prot_shelter_places": "40",
                                                         "q_prot_description": "Shelters <b>in</b> two regions."})
    client.post(section_url(cycle, "protection"), data={"q_prot_shelter": "yes", "q_prot_shelter_places": "40",
                                                         "q_prot_description": "Shelters <b>in</b> five regions."})
    client.post(url, data={"q_crim_offence": "yes", "q_crim_law": "Penal Code, art. 4"})
    return focal


def test_the_timeline_says_who_changed_what_and_highlights_status_changes(client, history, cycle):
    client.post(overview_url(cycle) + "submit")
    page = client.get(overview_url(cycle) + "history").text
    assert page.count('class="timeline__item') == 5
    assert "Amélie Focal" in page and "Which law and article establish the offence?" in page
    assert "What obstacles" not in page  # never answered
    assert '<li class="timeline__item timeline__item--status" id="revision-5">' in page
    assert 'status--draft">Draft</span> <span class="arrow" aria-hidden="true">→</span> <span class="status status--submitted">Submitted</span>' in page
    assert 'name="a" value="3" form="compare-form" checked' in page  # preset: the latest save and the one
    assert 'name="b" value="4" form="compare-form" checked' in page  # before (the submit changed nothing)


def test_the_preset_comparison_is_of_the_latest_revision_that_changed_answers(client, login, history, cycle):
    """Submitted, then returned: the newest two revisions changed no answer, and the comparison
    chosen at first is of the latest one that did and the one before it, which is not empty."""
    client.post(overview_url(cycle) + "submit")
    ops.change_status(db.session.scalar(select(Response)), Action.RETURN, factories.user("secretariat"))
    db.session.commit()
    page = client.get(overview_url(cycle) + "history").text
    assert 'name="a" value="3" form="compare-form" checked' in page
    assert 'name="b" value="4" form="compare-form" checked' in page
    assert page.count("checked") == 2
    default = client.get(overview_url(cycle) + "compare").text  # the same pair without a choice
    assert "Penal Code<ins>, art. 4</ins>" in default
    assert "Penal Code<ins>, art. 4</ins>" in client.get(overview_url(cycle) + "compare?a=3&b=4").text
    assert "Penal Code<ins>, art. 4</ins>" not in client.get(overview_url(cycle) + "compare?a=5&b=6").text


def test_comparing_two_revisions_question_by_question(client, history, cycle):
    page = client.get(overview_url(cycle) + "compare?a=2&b=3").text
    assert "Before" in page and "After" in page
    assert "Does your State provide appropriate housing" not in page  # unchanged between 2 and 3
    assert '<del>two</del>' in page and '<ins>five</ins>' in page
    assert "&lt;b&gt;in&lt;/b&gt;" in page and "<b>in</b>" not in page  # the State's text, escaped
    assert 'class="diff__text" dir="auto"' in page
    default = client.get(overview_url(cycle) + "compare").text  # the latest and the one before
    assert "Penal Code<ins>, art. 4</ins>" in default and "five" not in default
    assert client.get(overview_url(cycle) + "compare?a=4&b=2").text.count("<del>two</del>") == 1  # either order
    assert client.get(overview_url(cycle) + "compare?a=1&b=99").status_code == 404


def test_the_comparison_shows_confidentiality_marks_and_anchors_each_question(client, history, cycle):
    client.post(section_url(cycle, "criminalization"),
                data={"q_crim_offence": "yes", "q_crim_law": "Penal Code, art. 4", "c_crim_law": "y"})  # revision 5
    page = client.get(overview_url(cycle) + "compare?a=4&b=5").text
    marks = re.search(r'id="confidentiality-marks">(.*?)</section>', page, re.S).group(1)
    assert "Which law and article establish the offence?" in marks and "(now marked confidential)" in marks
    assert "No answer differs" not in page
    assert 'id="q-crim_law"' in client.get(overview_url(cycle) + "compare?a=3&b=4").text


def test_the_history_form_opens_the_comparison_of_the_chosen_revisions(client, history, cycle):
    page = client.get(overview_url(cycle) + "history").text
    assert 'action="/cycles/%d/states/FRA/compare" id="compare-form"' % cycle.id in page
    assert client.get(overview_url(cycle) + "compare", query_string={"a": "1", "b": "4"}).status_code == 200


def test_other_states_cannot_see_the_history(client, login, history, cycle):
    login(factories.user("focal_point", "DEU"))
    for path in ("history", "compare?a=1&b=2", "revisions/2"):
        assert client.get(overview_url(cycle) + path).status_code == 404


def test_history_and_comparison_take_the_same_queries_however_long_the_history(client, login, cycle):
    focal = login(factories.user("focal_point", "FRA"))
    ops.create_response(db.session.get(State, "FRA"), cycle, focal, {})
    response = db.session.scalar(select(Response))
    counts = []
    for saves in (5, 30):
        for n in range(saves):
            ops.save_answers(response, focal, {"crim_law": f"Law {n}", "prot_description": f"Text {n}"})
        db.session.commit()
        with count_queries() as history_queries:
            client.get(overview_url(cycle) + "history")
        with count_queries() as compare_queries:
            client.get(overview_url(cycle) + "compare?a=2")
        counts.append((len(history_queries), len(compare_queries)))
    assert counts[0] == counts[1]


def test_older_revisions_are_a_page_away(client, login, cycle):
    focal = login(factories.user("focal_point", "FRA"))
    ops.create_response(db.session.get(State, "FRA"), cycle, focal, {})
    response = db.session.scalar(select(Response))
    for n in range(55):
        ops.save_answers(response, focal, {"crim_law": f"Law {n}"})
    db.session.commit()
    page = client.get(overview_url(cycle) + "history").text
    assert page.count('class="timeline__item') == 50 and "before=7" in page
    assert client.get(overview_url(cycle) + "history?before=7").text.count('class="timeline__item') == 6


def _restore(client, cycle, number, question=""):
    return client.post(overview_url(cycle) + f"revisions/{number}/restore", data={"question": question},
                       follow_redirects=True)


def test_restoring_a_revision_adds_a_revision_with_its_answers(client, history, cycle):
    response_id = db.session.scalar(select(Response.id))
    page = _restore(client, cycle, 2).text
    assert "The answers of revision 2 were restored, as revision 5." in page
    assert "Brought back answers of revision 2." in page and "Restored earlier answers" in page
    assert ops.answers_at(response_id) == ops.answers_at(response_id, 2)
    restore = db.session.scalar(select(Revision).filter_by(number=5))
    assert (restore.kind, restore.restored_from, restore.status) == ("restore", 2, "draft")
    assert ops.answers_at(response_id, 4)["crim_law"] == "Penal Code, art. 4"  # history is not rewritten


def test_restoring_one_question_leaves_the_others(client, history, cycle):
    response_id = db.session.scalar(select(Response.id))
    compare = client.get(overview_url(cycle) + "compare?a=1&b=4").text
    assert "Restore the answer of revision 1" in compare
    page = _restore(client, cycle, 1, question="crim_law").text
    assert "The answer of revision 1 was restored, as revision 5." in page
    answers = ops.answers_at(response_id)
    assert answers["crim_law"] == "Penal Code" and answers["prot_description"] == "Shelters <b>in</b> five regions."
    assert "already are those of revision 1" in _restore(client, cycle, 1, question="crim_law").text
    assert _restore(client, cycle, 1, question="no_such_question").status_code == 404
    assert _restore(client, cycle, 42).status_code == 404


def test_submitted_revisions_are_frozen_and_reviewers_restore_nothing(client, login, history, cycle):
    client.post(overview_url(cycle) + "submit")
    count = db.session.scalar(select(func.count()).select_from(Revision))
    assert "Restore the answers of this revision" not in client.get(overview_url(cycle) + "revisions/2").text
    assert "can be restored only while the response can be edited" in _restore(client, cycle, 2).text
    login(factories.user("secretariat"))
    assert _restore(client, cycle, 2).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(Revision)) == count


def test_restoring_keeps_the_confidentiality_marks_of_the_revision(cycle):
    author = factories.user("focal_point", "FRA")
    ops.create_response(db.session.get(State, "FRA"), cycle, author, {"prot_budget": "1000"})
    response = db.session.scalar(select(Response))
    ops.save_answers(response, author, {"prot_budget": "2000"}, confidential={"prot_budget": True})
    ops.restore_revision(response, author, 1)
    assert ops.answers_at(response.id) == {"prot_budget": "1000"} and ops.confidential_at(response.id) == set()
    ops.change_status(response, Action.SUBMIT, author)
    with pytest.raises(ops.ResponseLocked):
        ops.restore_revision(response, author, 2)
