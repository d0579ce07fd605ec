"""The secretariat's dashboard: every State with status, completion, last activity, open
comments; the summary above it; filters, sorting, languages, and a bounded number of queries."""
import re
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext

from app.database import utcnow
from app.extensions import db
from app.responses import operations as ops
from app.responses.labels import status_label
from app.responses.workflow import Action
from app.review.operations import return_response
from app.states.models import State
from app.states.names import state_name
from tests import analysis_data, factories
from tests.conftest import count_queries
from tests.test_page_languages import check_page


def _row(html: str, code: str) -> str:
    return re.search(rf'<tr data-state="{code}">(.*?)</tr>', html, re.S).group(1)


def _order(html: str) -> list[str]:
    return re.findall(r'<tr data-state="(\w{3})">', html)


@pytest.fixture
def states(cycle):
    """France returned with two comments, Kenya a draft with half of its questions, Chile accepted."""
    focal, reviewer = factories.user("focal_point", "FRA"), factories.user("secretariat")
    france = _respond(cycle, "FRA", focal, {"crim_offence": "yes", "prot_shelter": "no"})
    ops.change_status(france, Action.SUBMIT, focal)
    return_response(france, reviewer, "Please complete.", {"crim_law": "Which law?"})
    _respond(cycle, "KEN", focal, {"crim_offence": "no", "prot_shelter": "no", "prot_description": "Shelters",
                                   "prot_budget": "3", "data_body": "Police", "ratification_status": "signed"})
    chile = _respond(cycle, "CHL", focal, {"crim_offence": "no", "prot_shelter": "no"})
    ops.change_status(chile, Action.SUBMIT, focal)
    ops.change_status(chile, Action.ACCEPT, reviewer)
    db.session.commit()
    return cycle


def _respond(cycle, code, focal, values):
    ops.create_response(db.session.get(State, code), cycle, focal, values)
    return db.session.scalar(db.select(ops.Response).filter_by(state_code=code))


def test_old_address_redirects_to_the_dashboard(client, login, states):
    login(factories.user("secretariat"))
    response = client.get(f"/review/?cycle={states.id}&status=draft")
    assert response.status_code == 302 and response.location == f"/analysis/?cycle={states.id}&status=draft"


def test_every_state_with_status_completion_comments_and_deadline(client, login, states):
    login(factories.user("secretariat"))
    page = client.get("/analysis/").text
    assert len(_order(page)) == 193
    assert "60 days to the deadline" in page
    france = _row(page, "FRA")
    assert "Returned for clarification" in france and "Western Europe" in france
    # Applicable to France: 13 of the 16 questions (crim_offence "yes" opens its 5 follow-ups;
    # ratification's two follow-ups and shelter places do not apply); answered 2.
    assert "2 of 13" in france and "15%" in france
    assert re.search(r'<td class="number">2</td>', france)  # the two comments of the latest return
    assert "days to the deadline" not in france  # said once above the table, not in every row
    kenya = _row(page, "KEN")
    assert "Draft" in kenya and "6 of 9" in kenya and "67%" in kenya
    chile = _row(page, "CHL")
    assert "Accepted" in chile
    assert "Not started" in _row(page, "DEU")


def test_filters_by_status_and_region_with_counts(client, login, states):
    login(factories.user("secretariat"))
    page = client.get("/analysis/?status=draft").text
    assert _order(page) == ["KEN"]
    page = client.get("/analysis/?region=150").text
    assert "FRA" in _order(page) and "KEN" not in _order(page) and len(_order(page)) == 43
    assert re.search(r'data-status="returned">1<', page) and re.search(r'data-status="not_started">42<', page)
    page = client.get("/analysis/?region=014&status=draft").text  # Eastern Africa
    assert _order(page) == ["KEN"]
    assert len(_order(client.get("/analysis/?region=999&status=nonsense").text)) == 193


def test_sorting_by_each_column(client, login, states):
    login(factories.user("secretariat"))
    by_name = _order(client.get("/analysis/").text)
    assert by_name[:3] == ["AFG", "ALB", "DZA"]
    assert _order(client.get("/analysis/?sort=name&order=desc").text)[0] == "ZWE"
    assert _order(client.get("/analysis/?sort=completion&order=desc").text)[:3] == ["KEN", "CHL", "FRA"]
    assert _order(client.get("/analysis/?sort=comments&order=desc").text)[0] == "FRA"
    assert _order(client.get("/analysis/?sort=status&order=desc").text)[0] == "CHL"
    activity = _order(client.get("/analysis/?sort=activity&order=desc").text)
    assert set(activity[:3]) == {"FRA", "KEN", "CHL"} and activity[0] == "CHL"
    assert _order(client.get("/analysis/?sort=region").text)[0] in ("DZA", "EGY", "LBY", "MAR", "SDN", "TUN")
    page = client.get("/analysis/?sort=completion").text
    assert 'aria-sort="ascending"' in page


def test_headers_show_which_columns_sort_and_leave_no_cell_unlabelled(client, login, states):
    login(factories.user("secretariat"))
    page = client.get("/analysis/?sort=completion&order=desc").text
    head = re.search(r'class="data-table dashboard">.*?<thead>(.*?)</thead>', page, re.S).group(1)
    assert "<td" not in head and head.count('<th scope="col"') == 7
    icons = re.findall(r'<span class="sort-link__icon" aria-hidden="true">(.)</span>', head)
    assert icons == ["↕", "↕", "↕", "▼", "↕", "↕"]
    assert '<span class="visually-hidden">Actions</span>' in head
    assert head.count("(sort in ascending order)") == 6  # clicking the sorted column turns it round
    assert "▲" in client.get("/analysis/?sort=completion").text


def test_days_late_once_the_deadline_passed(client, login, states):
    states.closes_on = utcnow().date() - timedelta(days=3)
    states.opens_on = states.closes_on - timedelta(days=30)
    db.session.commit()
    login(factories.user("secretariat"))
    page = client.get("/analysis/").text
    assert "The deadline passed 3 days ago." in page
    late = re.search(r'<li data-state="KEN" class="concern concern--late">(.*?)</li>', page, re.S).group(1)
    assert "3 days late" in late and "Send reminder" in late
    assert '<li data-state="CHL"' not in page and "Days to the deadline" not in page


@pytest.mark.parametrize("language,region", [
    ("fr", "Europe de l&#39;Ouest"), ("ar", "أوروبا الغربية"), ("zh", "西欧"), ("ru", "Западная Европа"),
    ("es", "Europa occidental"),
])
def test_dashboard_in_every_language(client, login, states, language, region):
    user = login(factories.user("secretariat"))
    user.locale = language
    db.session.commit()
    page = client.get("/analysis/").text
    assert f'<html lang="{language}"' in page
    with force_locale(language):
        status, heading = status_label("returned"), gettext("Progress by region")
    france = _row(page, "FRA")
    assert status in france and region in france and state_name("FR", language) in france
    assert heading in page and heading != "Progress by region"


def test_dashboard_queries_do_not_grow_with_states_or_answers(client, login, cycle):
    login(factories.user("secretariat"))
    _respond(cycle, "ZWE", factories.user("focal_point", "ZWE"), {"crim_offence": "yes"})
    db.session.commit()
    with count_queries() as one:
        assert client.get("/analysis/").status_code == 200
    analysis_data.build(cycle)
    with count_queries() as many:
        assert client.get("/analysis/").status_code == 200
    assert len(many) == len(one) <= 8, many


@pytest.mark.parametrize("language", ("ar", "en", "es", "fr", "ru", "zh"))
def test_analysis_pages_in_every_language(client, login, states, language):
    """Answers by question, a question and a table, the comparison with an earlier cycle (changed
    answers only, and all) and the export page read entirely in each language."""
    earlier = factories.cycle(name="2022", is_open=False)
    earlier.opens_on, earlier.closes_on = states.opens_on - timedelta(days=900), states.opens_on - timedelta(days=700)
    ops.create_response(db.session.get(State, "CHL"), earlier, factories.user("focal_point", "CHL"), {
        "crim_offence": "yes", "prot_shelter": "no", "prot_description": "Albergues del Estado",
        "data_victims": {"2024": {"women": 1}}})
    user = login(factories.user("secretariat"))
    user.locale = language
    db.session.commit()
    base = f"/analysis/cycles/{states.id}"
    for url in (f"{base}/questions", f"{base}/questions/crim_offence", f"{base}/questions/data_victims",
                f"{base}/states/CHL/comparison", f"{base}/states/CHL/comparison?show=all", f"{base}/export"):
        check_page(client.get(url), language)
