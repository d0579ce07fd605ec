"""The secretariat opens reporting cycles from a page, closes and reopens them."""
from datetime import date

from app.audit.models import AuditEvent
from app.cycles.models import ReportingCycle
from app.extensions import db
from tests import factories
from tests.helpers import section_url

PERIOD = {"first_year": "2021", "last_year": "2025", "question_set": "full"}


def test_the_secretariat_opens_and_closes_a_cycle(client, login):
    version = factories.questionnaire_version()
    login(factories.user("secretariat"))
    page = client.get("/cycles/")
    assert page.status_code == 200 and "No reporting cycle has been opened yet." in page.text
    response = client.post("/cycles/", data={"name": "2027", "version": version.id, "opens_on": "2027-01-15",
                                             "closes_on": "2027-06-30", **PERIOD})
    assert response.status_code == 302
    cycle = db.session.scalar(db.select(ReportingCycle))
    assert (cycle.name, cycle.questionnaire_version_id, cycle.opens_on, cycle.closes_on, cycle.is_open) == (
        "2027", version.id, date(2027, 1, 15), date(2027, 6, 30), True)
    again = client.post("/cycles/", data={"name": "2027", "version": version.id, "opens_on": "2027-01-15",
                                          "closes_on": "2027-06-30", **PERIOD})
    assert "A cycle named 2027 already exists." in again.text
    backwards = client.post("/cycles/", data={"name": "2028", "version": version.id, "opens_on": "2028-06-30",
                                              "closes_on": "2028-01-01", **PERIOD})
    assert "The deadline must not be before the opening date." in backwards.text

    client.post(f"/cycles/{cycle.id}/close")
    db.session.expire_all()
    assert not cycle.is_open
    login(factories.user("focal_point", "FRA"))
    assert client.post(section_url(cycle, "criminalization"), data={"q_crim_law": "x"}).status_code == 403
    assert client.get("/cycles/").status_code == 403
    assert client.post(f"/cycles/{cycle.id}/reopen").status_code == 403
    kinds = db.session.scalars(db.select(AuditEvent.event_type).where(AuditEvent.event_type.like("cycle_%"))
                               .order_by(AuditEvent.id)).all()
    assert kinds == ["cycle_opened", "cycle_closed"]
