"""Who reaches the analysis: the secretariat everything; a State's users only their own State's
comparison; anonymous callers only published data, through the API."""
import pytest

from app.extensions import db
from app.responses import operations as ops
from app.responses.workflow import Action
from app.states.models import State
from tests import factories

SECRETARIAT_ROUTES = [
    "/analysis/",
    "/analysis/cycles/{cycle}/questions",
    "/analysis/cycles/{cycle}/questions/crim_law",
    "/analysis/cycles/{cycle}/export",
    "/analysis/cycles/{cycle}/export.csv",
    "/analysis/cycles/{cycle}/export.xlsx",
    "/api-tokens/",
]


@pytest.fixture
def german_response(cycle):
    """Germany's accepted response, with a law only the secretariat may read."""
    focal, reviewer = factories.user("focal_point", "DEU"), factories.user("secretariat")
    ops.create_response(db.session.get(State, "DEU"), cycle, focal, {"crim_offence": "yes", "crim_law": "SECRET-DE"})
    response = db.session.scalar(db.select(ops.Response).filter_by(state_code="DEU"))
    ops.change_status(response, Action.SUBMIT, focal)
    ops.change_status(response, Action.ACCEPT, reviewer)
    db.session.commit()
    return cycle


@pytest.mark.parametrize("role", ["focal_point", "contributor"])
@pytest.mark.parametrize("route", SECRETARIAT_ROUTES)
def test_state_users_cannot_use_the_secretariats_analysis(client, login, german_response, role, route):
    login(factories.user(role, "FRA"))
    response = client.get(route.format(cycle=german_response.id))
    assert response.status_code == 403
    assert b"SECRET-DE" not in response.data


@pytest.mark.parametrize("route", SECRETARIAT_ROUTES + ["/analysis/cycles/{cycle}/states/DEU/comparison"])
def test_anonymous_users_are_sent_to_login(client, german_response, route):
    response = client.get(route.format(cycle=german_response.id))
    assert response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize("role", ["focal_point", "contributor"])
def test_state_users_compare_their_own_state_only(client, login, german_response, role):
    login(factories.user(role, "FRA"))
    other = client.get(f"/analysis/cycles/{german_response.id}/states/DEU/comparison")
    assert other.status_code == 404 and b"SECRET-DE" not in other.data
    assert client.get(f"/analysis/cycles/{german_response.id}/states/FRA/comparison").status_code == 200


def test_token_creation_and_revocation_need_the_secretariat(client, login, german_response):
    login(factories.user("focal_point", "FRA"))
    assert client.post("/api-tokens/", data={"name": "mine", "scope": "all"}).status_code == 403
    assert client.post("/api-tokens/1/revoke").status_code == 403


def test_a_logged_in_state_user_sees_only_published_data_through_the_api(client, login, german_response):
    login(factories.user("focal_point", "DEU"))
    listing = client.get(f"/api/v1/cycles/{german_response.id}/responses")
    assert listing.status_code == 200 and listing.json["data"] == []
    assert client.get(f"/api/v1/cycles/{german_response.id}/responses?status=accepted").status_code == 403
    assert client.get(f"/api/v1/cycles/{german_response.id}/responses/DEU").status_code == 404
