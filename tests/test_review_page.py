"""What the reviewer sees: who last changed each answer, what changed since the previous
submission (each linking to the comparison of the two), in a number of statements that does
not grow with the questions; and the audit log of every step."""
import re

from app.audit.models import AuditEvent
from app.extensions import db
from tests import factories
from tests.conftest import count_queries
from tests.helpers import section_url
from tests.workflow_helpers import accept, fill_required, return_for_clarification, review_url, submit


def test_who_wrote_what_and_what_changed_since_the_last_submission(client, login, cycle):
    focal = factories.user("focal_point", "FRA", name="Amina", organisation="Ministry of Justice")
    contributor = factories.user("contributor", "FRA", name="Jean", organisation="Ministry of Social Affairs")
    secretariat = factories.user("secretariat")
    login(focal)
    fill_required(client, cycle)
    login(contributor)
    client.post(section_url(cycle, "protection"), data={"q_prot_shelter": "yes", "q_prot_shelter_places": "45"})
    login(focal)
    submit(client, cycle)  # revision 4
    login(secretariat)
    page = client.get(review_url(cycle)).text
    assert "Changed since the previous submission" not in page  # a first submission
    places = re.search(r'id="q-prot_shelter_places"(.*?)</div>\s*<div class="question', page, re.S).group(1)
    assert "Last changed by <bdi>Jean (Ministry of Social Affairs)</bdi>" in places
    law = re.search(r'id="q-crim_law"(.*?)</details>', page, re.S).group(1)
    assert "Last changed by <bdi>Amina (Ministry of Justice)</bdi>" in law

    return_for_clarification(client, cycle)  # revision 5
    login(focal)
    client.post(section_url(cycle, "criminalization"), data={"q_crim_offence": "yes", "q_crim_law": "Act 12, art. 4"})
    client.post(section_url(cycle, "data"), data={"q_data_body": "Statistics office"})
    section = client.get(section_url(cycle, "criminalization")).text
    assert "Last changed by <bdi>Amina (Ministry of Justice)</bdi>" in section  # on the response pages too
    submit(client, cycle)  # revision 8

    login(secretariat)
    with count_queries() as statements:
        page = client.get(review_url(cycle)).text
    assert len(statements) <= 12, statements
    changes = re.search(r'<section class="panel" id="changes">(.*?)</section>', page, re.S).group(1)
    assert "2 questions changed between revision 4 and revision 8." in changes
    compare = f"/cycles/{cycle.id}/states/FRA/compare?a=4&amp;b=8"
    assert f'href="{compare}"' in changes
    assert f'href="{compare}#q-crim_law"' in changes and f'href="{compare}#q-data_body"' in changes
    assert "#q-prot_shelter" not in changes
    assert 'class="question question--readonly question--changed" id="q-crim_law"' in page


def test_the_audit_log_records_saves_state_changes_and_decisions(client, login, cycle):
    focal = factories.user("focal_point", "FRA")
    secretariat = factories.user("secretariat")
    login(focal)
    fill_required(client, cycle)
    submit(client, cycle)
    login(secretariat)
    return_for_clarification(client, cycle)
    login(focal)
    submit(client, cycle)
    login(secretariat)
    accept(client, cycle)
    events = db.session.scalars(db.select(AuditEvent).where(AuditEvent.event_type.like("response_%"))
                                .order_by(AuditEvent.id)).all()
    assert [(e.event_type, e.user_id, e.state_code, e.details["revision"]) for e in events] == [
        ("response_create", focal.id, "FRA", 1), ("response_save", focal.id, "FRA", 2),
        ("response_submit", focal.id, "FRA", 3), ("response_return", secretariat.id, "FRA", 4),
        ("response_submit", focal.id, "FRA", 5), ("response_accept", secretariat.id, "FRA", 6),
    ]
    assert all(e.ip_address == "127.0.0.1" and e.response_id for e in events)
    page = client.get("/audit/?state=FRA&event_type=response_return").text
    assert "<td>Response returned for clarification</td>" in page and "<td>Answers saved</td>" not in page
    assert "<td>Answers saved</td>" in client.get("/audit/?state=fra").text
    assert "<td>Answers saved</td>" not in client.get("/audit/?state=DEU").text
