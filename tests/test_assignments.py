"""The focal point gives sections to the State's contributors; each sees theirs first. Only the
focal point of that State changes them."""
import re

from app.assignments.models import SectionAssignment
from app.audit.models import AuditEvent
from app.extensions import db
from tests import factories
from tests.helpers import overview_url

SECTIONS = ("ratification", "criminalization", "protection", "data")


def _url(cycle, state="FRA"):
    return overview_url(cycle, state) + "assignments/"


def _people(login):
    contributor = factories.user("contributor", "FRA", name="Jean Martin", organisation="Ministry of Social Affairs")
    other = factories.user("contributor", "FRA", name="Anne Roy", organisation="Ministry of the Interior")
    focal = login(factories.user("focal_point", "FRA", name="Amina Diallo"))
    return focal, contributor, other


def _section_order(html):
    return [s for s in re.findall(r'/sections/([a-z_]+)"', html) if s in SECTIONS]


def _pairs():
    return {tuple(row) for row in db.session.execute(db.select(SectionAssignment.section_id,
                                                              SectionAssignment.user_id))}


def test_assigned_sections_come_first_for_their_assignee(client, login, cycle):
    focal, contributor, other = _people(login)
    page = client.get(_url(cycle)).text
    assert "Jean Martin (Ministry of Social Affairs)" in page and "Anne Roy (Ministry of the Interior)" in page
    response = client.post(_url(cycle), data={"section_protection": [str(contributor.id)],
                                              "section_data": [str(contributor.id), str(other.id)]})
    assert response.status_code == 302
    assert _pairs() == {("protection", contributor.id), ("data", contributor.id), ("data", other.id)}
    event = db.session.scalar(db.select(AuditEvent).filter_by(event_type="sections_assigned"))
    assert event.user_id == focal.id and event.state_code == "FRA"

    login(contributor)
    overview = client.get(overview_url(cycle)).text
    assert _section_order(overview) == ["protection", "data", "ratification", "criminalization"]
    assert overview.count("Assigned to you") == 2
    login(other)
    assert _section_order(client.get(overview_url(cycle)).text) == ["data", "ratification", "criminalization",
                                                                     "protection"]
    login(focal)
    overview = client.get(overview_url(cycle)).text
    assert _section_order(overview) == list(SECTIONS) and "Assigned to you" not in overview
    assert "Assigned to <bdi>Jean Martin (Ministry of Social Affairs) and Anne Roy (Ministry of the Interior)" \
        in overview or "Assigned to <bdi>Anne Roy (Ministry of the Interior) and Jean Martin" in overview

    # Unticking removes; the page shows what is stored.
    client.post(_url(cycle), data={"section_data": [str(other.id)]})
    assert _pairs() == {("data", other.id)}


def test_only_the_focal_point_of_the_state_changes_assignments(client, login, cycle):
    focal, contributor, _ = _people(login)
    client.post(_url(cycle), data={"section_data": [str(contributor.id)]})
    before = _pairs()
    login(contributor)
    assert "Jean Martin (Ministry of Social Affairs)" in client.get(_url(cycle)).text  # may read
    assert client.post(_url(cycle), data={"section_protection": [str(contributor.id)]}).status_code == 403
    german = login(factories.user("focal_point", "DEU"))
    assert client.get(_url(cycle)).status_code == 404
    assert client.post(_url(cycle), data={"section_protection": [str(contributor.id)]}).status_code == 404
    # A focal point cannot give a section to someone of another State either.
    assert client.post(_url(cycle, "DEU"), data={"section_data": [str(contributor.id)]}).status_code == 400
    login(factories.user("secretariat"))
    assert client.get(_url(cycle)).status_code == 200
    assert client.post(_url(cycle), data={"section_data": [str(german.id)]}).status_code == 403
    assert _pairs() == before
