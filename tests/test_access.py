"""A focal point of one State reaches nothing of another State's response, on every route."""
import pytest

from tests import factories
from tests.helpers import overview_url, section_url

STATE_ROUTES = [
    ("get", "/cycles/{cycle}/states/{state}/"),
    ("get", "/cycles/{cycle}/states/{state}/sections/criminalization"),
    ("post", "/cycles/{cycle}/states/{state}/sections/criminalization"),
    ("post", "/cycles/{cycle}/states/{state}/submit"),
    ("get", "/cycles/{cycle}/states/{state}/history"),
    ("get", "/cycles/{cycle}/states/{state}/revisions/1"),
    ("get", "/cycles/{cycle}/states/{state}/profile.pdf"),
    ("get", "/cycles/{cycle}/states/{state}/profile.pdf?revision=1&lang=fr"),
    ("post", "/cycles/{cycle}/states/{state}/profile.pdf"),
]
REVIEW_ROUTES = [
    ("get", "/review/"),
    ("get", "/review/cycles/{cycle}/states/{state}"),
    ("post", "/review/cycles/{cycle}/states/{state}/return"),
    ("post", "/review/cycles/{cycle}/states/{state}/accept"),
    ("post", "/review/cycles/{cycle}/states/{state}/publish"),
    ("get", "/cycles/{cycle}/profiles-en.zip"),
    ("get", "/cycles/{cycle}/profiles-all.zip"),
    ("post", "/cycles/{cycle}/profiles-all.zip"),
    ("post", "/analysis/cycles/{cycle}/export.xlsx"),
]


@pytest.fixture
def french_response(client, login, cycle):
    """France has a submitted response with a secret answer."""
    login(factories.user("focal_point", "FRA"))
    client.post(section_url(cycle, "criminalization"), data={"q_crim_offence": "yes", "q_crim_law": "SECRET-FR"})
    client.post(section_url(cycle, "protection"), data={"q_prot_shelter": "no"})
    assert client.post(overview_url(cycle) + "submit").status_code == 302
    client.post("/logout")
    return cycle


@pytest.mark.parametrize("role", ["focal_point", "contributor"])
@pytest.mark.parametrize("method,route", STATE_ROUTES)
def test_state_users_cannot_reach_another_states_response(client, login, french_response, role, method, route):
    login(factories.user(role, "DEU"))
    url = route.format(cycle=french_response.id, state="FRA")
    response = getattr(client, method)(url, data={"q_crim_law": "overwritten"})
    assert response.status_code == 404
    assert b"SECRET-FR" not in response.data


@pytest.mark.parametrize("state", ["fra", "FRA"])
def test_a_state_code_in_any_case_is_the_same_state(client, login, french_response, state):
    login(factories.user("focal_point", "DEU"))
    assert client.get(f"/cycles/{french_response.id}/states/{state}/").status_code == 404


@pytest.mark.parametrize("method,route", REVIEW_ROUTES)
@pytest.mark.parametrize("role", ["focal_point", "contributor"])
def test_state_users_cannot_use_review_routes(client, login, french_response, role, method, route):
    login(factories.user(role, "FRA"))
    response = getattr(client, method)(route.format(cycle=french_response.id, state="FRA"), data={"comment": "x"})
    assert response.status_code == 403
    assert b"SECRET-FR" not in response.data


@pytest.mark.parametrize("method,route", STATE_ROUTES + REVIEW_ROUTES)
def test_anonymous_users_are_sent_to_login(client, french_response, method, route):
    response = getattr(client, method)(route.format(cycle=french_response.id, state="FRA"))
    assert response.status_code == 302 and "/login" in response.location


def test_guessed_ids_of_missing_cycles_and_states_are_404(client, login, french_response):
    login(factories.user("secretariat"))
    assert client.get(f"/cycles/{french_response.id + 99}/states/FRA/").status_code == 404
    assert client.get(f"/cycles/{french_response.id}/states/XXX/").status_code == 404
    assert client.get(f"/review/cycles/{french_response.id}/states/DEU").status_code == 404


def test_own_state_routes_work(client, login, french_response):
    login(factories.user("focal_point", "FRA"))
    for method, route in STATE_ROUTES:
        if method == "get":
            assert client.get(route.format(cycle=french_response.id, state="FRA")).status_code == 200, route


def test_contributor_edits_but_only_the_focal_point_submits(client, login, cycle):
    login(factories.user("contributor", "FRA"))
    assert client.post(section_url(cycle, "data"), data={"q_data_body": "Ministry"}).status_code == 302
    assert "Only the national focal point can submit" in client.get(overview_url(cycle)).text
    assert client.post(overview_url(cycle) + "submit").status_code == 403


def test_secretariat_reads_but_does_not_edit_a_states_answers(client, login, french_response):
    login(factories.user("secretariat"))
    assert client.get(section_url(french_response, "criminalization")).status_code == 200
    response = client.post(section_url(french_response, "criminalization"), data={"q_crim_law": "x"})
    assert response.status_code == 403


def test_closed_cycle_is_read_only(client, login):
    closed = factories.cycle(name="2020", is_open=False)
    login(factories.user("focal_point", "FRA"))
    page = client.get(section_url(closed, "data"))
    assert "cannot be changed" in page.text
    assert client.post(section_url(closed, "data"), data={"q_data_body": "x"}).status_code == 403
