"""The head of the secretariat's dashboard: statuses as one bar and by region, the States late
or at risk with a "send reminder" button (one e-mail per user, one audit entry), and the
tile-grid map of the world, coloured by status there and by answer on a question's page."""
import re
from datetime import timedelta

import pytest
from html.parser import HTMLParser

from app.audit.models import AuditEvent
from app.cycles.models import ReportingCycle
from app.database import utcnow
from app.extensions import db
from app.notifications.models import Notification
from app.states.names import member_state_codes
from tests import factories
from tests.conftest import count_queries
from tests.test_analysis_dashboard import states  # noqa: F401 (the fixture: FRA returned, KEN draft, CHL accepted)



def _due_in(cycle, days):
    """Move the deadline (an UPDATE: the outbox fixture's app context has a session of its own)."""
    db.session.execute(db.update(ReportingCycle).where(ReportingCycle.id == cycle.id)
                       .values(closes_on=utcnow().date() + timedelta(days=days)))
    db.session.commit()


class _TileReader(HTMLParser):
    """(code, x, y, category) of every tile of one map, from the rectangles of its SVG."""

    def __init__(self, map_id):
        super().__init__()
        self.map_id, self.inside, self.group, self.tiles = map_id, False, None, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure":
            self.inside = attrs.get("id") == self.map_id
        elif self.inside and tag == "g":
            self.group = attrs
        elif self.inside and tag == "rect" and self.group:
            self.tiles.append((self.group["data-state"], float(attrs["x"]), float(attrs["y"]),
                               self.group["data-category"]))

    def handle_endtag(self, tag):
        if tag == "figure":
            self.inside = False


def _tiles(page, map_id):
    reader = _TileReader(map_id)
    reader.feed(page)
    assert reader.tiles, f"no map {map_id}"
    return reader.tiles


def _concerns(page):
    return {m.group(1): m.group(2) for m in re.finditer(r'<li data-state="(\w{3})" class="concern concern--(\w+)">',
                                                       page)}


def test_status_counts_as_one_bar_and_by_region(client, login, states):
    login(factories.user("secretariat"))
    page = client.get("/analysis/").text
    overall = re.search(r'<div class="summary-overall">(.*?)</ul>', page, re.S).group(1)
    assert "1 of 193 States have submitted" in overall
    counts = dict(re.findall(r'<li data-status="(\w+)">.*?<span class="count">(\d+)</span>', overall, re.S))
    assert counts == {"not_started": "190", "draft": "1", "returned": "1", "accepted": "1"}
    europe = re.search(r'<tr data-region="150">(.*?)</tr>', page, re.S).group(1)
    assert "Europe" in europe and "0 of 43" in europe and 'data-status="returned"' in europe
    americas = re.search(r'<tr data-region="019">(.*?)</tr>', page, re.S).group(1)
    assert "1 of 35" in americas and 'data-status="accepted"' in americas


def test_late_and_at_risk_follow_the_documented_rule(client, login, states):
    login(factories.user("secretariat"))
    assert _concerns(client.get("/analysis/").text) == {}  # 60 days ahead: nobody at risk yet
    _due_in(states, 14)
    concerns = _concerns(client.get("/analysis/").text)
    # France returned with 2 of 13 answered and every State not started are at risk; Kenya (67%)
    # is not, nor Chile (accepted).
    assert concerns["FRA"] == "risk" and concerns["DEU"] == "risk" and len(concerns) == 191
    assert "KEN" not in concerns and "CHL" not in concerns
    _due_in(states, 15)
    assert _concerns(client.get("/analysis/").text) == {}
    _due_in(states, -1)
    concerns = _concerns(client.get("/analysis/").text)
    assert concerns["KEN"] == "late" and len(concerns) == 192 and "CHL" not in concerns


def test_send_reminder_queues_one_email_and_writes_one_audit_entry(client, login, states, outbox):
    focal = factories.user("focal_point", "KEN")
    reviewer = login(factories.user("secretariat"))
    _due_in(states, -3)
    page = client.get("/analysis/").text
    assert re.search(r'action="/analysis/cycles/\d+/states/KEN/reminder"', page)
    events_before = db.session.scalar(db.select(db.func.count()).select_from(AuditEvent))
    response = client.post(f"/analysis/cycles/{states.id}/states/KEN/reminder")
    assert response.status_code == 303 and response.location.startswith("/analysis/")
    assert [(m.to, m.subject) for m in outbox] == [(focal.email, "Deadline passed: Kenya")]
    assert "was due on" in outbox[0].body and "has not been submitted yet" in outbox[0].body
    events = db.session.scalars(db.select(AuditEvent).order_by(AuditEvent.id).offset(events_before)).all()
    assert [(e.event_type, e.user_id, e.state_code, e.details["recipients"]) for e in events] == [
        ("reminder_sent", reviewer.id, "KEN", 1)]
    assert db.session.scalar(db.select(Notification.kind).where(Notification.user_id == focal.id)) == "deadline"
    assert "A reminder was sent to 1 user of Kenya." in client.get(response.location).text
    audit = client.get("/audit/").text
    assert "Deadline reminder sent" in audit


def test_no_reminder_once_submitted_nor_to_a_state_without_users(client, login, states, outbox):
    login(factories.user("secretariat"))
    response = client.post(f"/analysis/cycles/{states.id}/states/CHL/reminder", follow_redirects=True)
    assert "Chile has already submitted its response: no reminder was sent." in response.text
    response = client.post(f"/analysis/cycles/{states.id}/states/DEU/reminder", follow_redirects=True)
    assert "Germany has no user who could be reminded yet." in response.text
    assert outbox == []
    assert db.session.scalar(db.select(db.func.count()).select_from(AuditEvent)
                             .where(AuditEvent.event_type == "reminder_sent")) == 0  # nothing was sent
    assert client.post(f"/analysis/cycles/{states.id}/states/XXX/reminder").status_code == 404
    assert client.get(f"/analysis/cycles/{states.id}/states/KEN/reminder").status_code == 405


def test_only_the_secretariat_sends_reminders_and_only_with_a_csrf_token(csrf_client, client, login, states, outbox):
    login(factories.user("focal_point", "KEN"))
    assert client.post(f"/analysis/cycles/{states.id}/states/KEN/reminder").status_code == 403
    reviewer = factories.user("secretariat")
    csrf_client.post("/login", data={"email": reviewer.email, "password": factories.PASSWORD})
    assert csrf_client.post(f"/analysis/cycles/{states.id}/states/KEN/reminder").status_code == 400
    assert outbox == []


def test_tile_map_has_every_member_state_once_on_its_own_square(client, login, states):
    login(factories.user("secretariat"))
    tiles = _tiles(client.get("/analysis/").text, "status-map")
    assert sorted(code for code, *_ in tiles) == sorted(member_state_codes())
    assert len({(x, y) for _, x, y, _ in tiles}) == 193
    category = {code: cat for code, _, _, cat in tiles}
    assert (category["FRA"], category["KEN"], category["CHL"], category["DEU"]) == (
        "returned", "draft", "accepted", "not_started")
    page = client.get("/analysis/").text
    table = re.search(r'<details class="tilemap__text">(.*?)</details>', page, re.S).group(1)
    assert len(re.findall(r"<tr data-tile=", table)) == 193
    assert re.search(r'<tr data-tile="FRA"><th scope="row"><a href="/review/cycles/\d+/states/FRA">France</a></th>'
                     r"<td>Returned for clarification</td>", table)
    assert re.search(r'<tr data-tile="DEU"><th scope="row">Germany</th><td>Not started</td>', table)
    svg = re.search(r'<svg class="tilemap__svg".*?</svg>', page, re.S).group(0)
    assert re.search(r'<a href="/review/cycles/\d+/states/KEN" class="tilemap__link">\s*<g [^>]*data-state="KEN"', svg)
    assert 'data-state="DEU"' in svg and "states/DEU" not in svg  # nothing to review yet


def test_tile_map_is_mirrored_in_arabic(client, login, states):
    user = login(factories.user("secretariat"))
    english = {code: (x, y) for code, x, y, _ in _tiles(client.get("/analysis/").text, "status-map")}
    user.locale = "ar"
    db.session.commit()
    arabic = {code: (x, y) for code, x, y, _ in _tiles(client.get("/analysis/").text, "status-map")}
    # x in Arabic = the map's width - the tile's width - x in English; rows stay.
    width = max(x for x, _ in english.values()) + min(x for x, _ in english.values())
    assert all(arabic[code] == (width - x, y) for code, (x, y) in english.items())
    assert english["USA"][0] < english["CHN"][0] and arabic["USA"][0] > arabic["CHN"][0]


def test_summary_adds_no_query(client, login, states):
    login(factories.user("secretariat"))
    client.get("/analysis/")
    with count_queries() as queries:
        client.get("/analysis/")
    assert len(queries) <= 12


@pytest.fixture
def answered(cycle):
    for code, offence in (("FRA", "yes"), ("KEN", "partly"), ("CHL", "no")):
        factories.response(code, cycle, {"crim_offence": offence}, status="accepted")
    return cycle


def test_question_page_colours_the_map_by_answer(client, login, answered):
    login(factories.user("secretariat"))
    page = client.get(f"/analysis/cycles/{answered.id}/questions/crim_offence").text
    category = {code: cat for code, _, _, cat in _tiles(page, "answers-map")}
    assert (category["FRA"], category["KEN"], category["CHL"], category["DEU"]) == ("yes", "partly", "no", "")
    legend = re.search(r'<figure class="tilemap tilemap--categorical" id="answers-map">.*?<ul class="tilemap__legend">'
                       r"(.*?)</ul>", page, re.S).group(1)
    assert re.findall(r'<li data-category="(\w*)">', legend) == ["yes", "partly", "no", ""]
    several = client.get(f"/analysis/cycles/{answered.id}/questions/crim_forms").text
    assert 'id="answers-map"' not in several  # several choices per State make no single colour
