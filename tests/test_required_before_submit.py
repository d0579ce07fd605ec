"""The overview lists the required questions still without an answer before the State tries to
submit: those that apply under the display conditions, while the response can be submitted."""
import re

from app.extensions import db
from tests import factories
from tests.helpers import overview_url, section_url

PANEL = re.compile(r'<section class="panel panel--notice" id="missing".*?</section>', re.S)


def _panel(client, cycle) -> str:
    match = PANEL.search(client.get(overview_url(cycle)).text)
    return match.group(0) if match else ""


def test_the_overview_lists_what_is_still_required_until_the_state_submits(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    panel = _panel(client, cycle)
    assert "2 required questions have no answer yet." in panel
    assert '<details class="missing-list" open>' in panel
    assert f'href="/cycles/{cycle.id}/states/FRA/sections/criminalization#q-crim_offence"' in panel
    assert "<h3>Criminalization</h3>" in panel and "<h3>Protection and assistance of victims</h3>" in panel
    client.post(section_url(cycle, "criminalization"), data={"q_crim_offence": "yes"})
    assert "1 required question has no answer yet." in _panel(client, cycle)
    client.post(section_url(cycle, "protection"), data={"q_prot_shelter": "no"})
    assert _panel(client, cycle) == ""
    assert client.post(overview_url(cycle) + "submit").status_code == 302
    assert _panel(client, cycle) == ""


def test_nothing_is_listed_once_the_cycle_is_closed(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    factories.response("FRA", cycle, {})
    cycle.is_open = False
    db.session.commit()
    assert _panel(client, cycle) == ""
