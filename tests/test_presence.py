"""Who else is editing which section: heartbeats kept in the database with an expiry, shown on
the section and overview pages; the heartbeat is a JSON POST that needs the CSRF header."""
import re
from datetime import timedelta

from app.database import utcnow
from app.extensions import db
from app.presence.models import EditingPresence
from tests import factories
from tests.helpers import overview_url, section_url, sign_in


def _url(cycle, state="FRA"):
    return overview_url(cycle, state) + "presence/"


def _beat(client, cycle, section="protection", **extra):
    return client.post(_url(cycle), json={"section": section, **extra})


def test_two_people_see_each_other_and_not_themselves(client, login, cycle):
    amina = factories.user("focal_point", "FRA", name="Amina", organisation="Ministry of Justice")
    jean = factories.user("contributor", "FRA", name="Jean", organisation="Ministry of Social Affairs")
    login(amina)
    assert _beat(client, cycle).json == {"editing": []}
    login(jean)
    seen = _beat(client, cycle, "data").json["editing"]
    assert seen == [{"section": "protection", "text": "Amina (Ministry of Justice) is editing this section"}]
    assert "Amina (Ministry of Justice) is editing this section" in client.get(section_url(cycle, "protection")).text
    overview = client.get(overview_url(cycle)).text
    assert re.search(r'data-presence-for="protection">\s*<p class="presence__item">Amina \(Ministry of Justice\) '
                     r'is editing this section', overview)
    login(amina)
    assert client.get(_url(cycle)).json["editing"] == [
        {"section": "data", "text": "Jean (Ministry of Social Affairs) is editing this section"}]
    # Leaving the page ends it at once; otherwise it expires.
    _beat(client, cycle, leaving=True)
    login(jean)
    assert client.get(_url(cycle)).json["editing"] == []


def test_a_silent_browser_expires(client, login, cycle, app):
    login(factories.user("focal_point", "FRA", name="Amina"))
    _beat(client, cycle)
    db.session.execute(db.update(EditingPresence).values(
        seen_at=utcnow() - timedelta(seconds=app.config["PRESENCE_TTL_SECONDS"] + 1)))
    db.session.commit()
    login(factories.user("contributor", "FRA"))
    assert client.get(_url(cycle)).json["editing"] == []
    _beat(client, cycle, "data")  # a heartbeat also clears the expired rows
    assert db.session.scalar(db.select(db.func.count()).select_from(EditingPresence)) == 1


def test_who_may_beat_and_see(client, login, cycle):
    login(factories.user("focal_point", "FRA", name="Amina"))
    _beat(client, cycle)
    assert _beat(client, cycle, "no_such_section").status_code == 400
    assert client.post(_url(cycle), data="not json").status_code == 400
    login(factories.user("focal_point", "DEU"))
    assert client.get(_url(cycle)).status_code == 404
    assert _beat(client, cycle).status_code == 404
    login(factories.user("secretariat"))
    assert client.get(_url(cycle)).json["editing"][0]["section"] == "protection"
    assert _beat(client, cycle).status_code == 403  # the secretariat reads, it does not edit


def test_the_heartbeat_needs_the_csrf_header(csrf_client, cycle):
    focal = factories.user("focal_point", "FRA")
    page = csrf_client.get("/login").text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    sign_in(csrf_client, focal, fields={"csrf_token": token})
    section = csrf_client.get(section_url(cycle, "protection")).text
    assert 'data-presence-section="protection"' in section and "js/presence.js" in section
    header = re.search(r'<meta name="csrf-token" content="([^"]+)"', section).group(1)
    assert csrf_client.post(_url(cycle), json={"section": "protection"}).status_code == 400
    assert csrf_client.post(_url(cycle), json={"section": "protection"},
                            headers={"X-CSRFToken": header}).status_code == 200
