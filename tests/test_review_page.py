"""What the reviewer sees: who last changed each answer, what changed since the previous
submission (each linking to the comparison of the two), in a number of statements that does
not grow with the questions; an index of the sections, filters and the decision within reach;
and the audit log of every step."""
import re
from datetime import timedelta

from app.audit.models import AuditEvent
from app.extensions import db
from tests import factories
from tests.conftest import count_queries
from tests.helpers import section_url
from tests.workflow_helpers import accept, comment, fill_required, return_for_clarification, review_url, submit


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
    page = client.get(review_url(cycle) + "?section=protection").text
    assert "Changed since the previous submission" not in page  # a first submission
    places = re.search(r'id="q-prot_shelter_places"(.*?)</div>\s*<div class="question', page, re.S).group(1)
    assert "Last changed by <bdi>Jean (Ministry of Social Affairs)</bdi>" in places
    page = client.get(review_url(cycle) + "?section=criminalization").text
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
        page = client.get(review_url(cycle) + "?section=criminalization").text
    assert len(statements) <= 14, statements
    changes = re.search(r'<section class="panel" id="changes">(.*?)</section>', page, re.S).group(1)
    assert "2 questions changed between revision 4 and revision 8." in changes
    compare = f"/cycles/{cycle.id}/states/FRA/compare?a=4&amp;b=8"
    assert f'href="{compare}"' in changes
    assert f'href="{compare}#q-crim_law"' in changes and f'href="{compare}#q-data_body"' in changes
    assert "#q-prot_shelter" not in changes
    assert 'class="question question--readonly review-question question--changed" id="q-crim_law"' in page


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


def _resubmitted(client, login, cycle, focal, secretariat, edits):
    """Submitted, returned, edited (``edits``: (section, data) posted in turn), submitted again."""
    login(focal)
    fill_required(client, cycle)
    submit(client, cycle)
    login(secretariat)
    return_for_clarification(client, cycle)
    login(focal)
    for section, data in edits:
        assert client.post(section_url(cycle, section), data=data).status_code == 302
    submit(client, cycle)
    login(secretariat)


def test_an_answer_changed_and_changed_back_is_not_listed_a_confidentiality_mark_is(client, login, cycle):
    focal, secretariat = factories.user("focal_point", "FRA"), factories.user("secretariat")
    _resubmitted(client, login, cycle, focal, secretariat, [
        ("criminalization", {"q_crim_offence": "yes", "q_crim_law": "Act 13"}),
        ("criminalization", {"q_crim_offence": "yes", "q_crim_law": "Act 12"}),  # as submitted before
        ("protection", {"q_prot_shelter": "yes", "q_prot_shelter_places": "40", "c_prot_shelter_places": "y"}),
        ("data", {"q_data_body": "Statistics office"}),
    ])
    page = client.get(review_url(cycle) + "?section=criminalization").text
    changes = re.search(r'<section class="panel" id="changes">(.*?)</section>', page, re.S).group(1)
    assert "2 questions changed between revision 3 and revision 9." in changes
    assert "#q-crim_law" not in changes and "#q-data_body" in changes
    assert "(now marked confidential)" in changes and 'href="#q-prot_shelter_places"' in changes
    assert 'class="question question--readonly review-question" id="q-crim_law"' in page
    # Filtered, the page opens on the first section with a question the filter keeps.
    protection = client.get(review_url(cycle) + "?show=changed").text
    assert "Confidentiality mark changed since the previous submission" in protection
    assert _cards(protection) == ["prot_shelter_places"]
    assert _cards(client.get(review_url(cycle) + "?section=data&show=changed").text) == ["data_body"]


def _cards(html):
    return re.findall(r'class="question question--readonly[^"]*" id="q-([a-z_]+)"', html)


def test_the_index_the_filters_and_the_decision_within_reach(client, login, cycle):
    """Per section: questions changed, commented, unanswered; filters that work without
    JavaScript; the decision linked from the top and from a bar that stays on screen."""
    focal, secretariat = factories.user("focal_point", "FRA"), factories.user("secretariat")
    _resubmitted(client, login, cycle, focal, secretariat,
                 [("criminalization", {"q_crim_offence": "yes", "q_crim_law": "Act 12, art. 4"})])
    comment(client, cycle, "Which article?", "crim_law")
    page = client.get(review_url(cycle) + "?section=criminalization").text
    index = re.search(r'<nav class="panel review-index"(.*?)</nav>', page, re.S).group(1)
    base = f"/review/cycles/{cycle.id}/states/FRA"
    row = re.search(r'\?section=criminalization#questions" aria-current="page">.*?</tr>', index, re.S).group(0)
    assert re.findall(r'<td class="review-index__count"[^>]*>(?:<a href="([^"]+)"[^>]*>)?(\d+)', row) == [
        (f"{base}?section=criminalization&amp;show=changed#questions", "1"),
        (f"{base}?section=criminalization&amp;show=commented#questions", "1"),
        (f"{base}?section=criminalization&amp;show=unanswered#questions", "4")]
    assert '<td class="review-index__count" data-label="Changed"><span class="review-index__none">0</span>' in index
    everything = _cards(page)
    assert len(everything) > 5 and 'data-complete' in page and "crim_law" in everything
    assert "Section 2 of 4" in page and f'rel="prev" href="{base}?section=ratification#questions"' in page
    assert f'rel="next" href="{base}?section=protection#questions"' in page
    commented = client.get(review_url(cycle) + "?show=commented").text
    assert _cards(commented) == ["crim_law"] and 'id="section-criminalization">' in commented
    assert 'id="section-protection"' not in commented  # one section at a time
    unanswered = client.get(review_url(cycle) + "?show=unanswered").text
    assert "crim_law" not in _cards(unanswered) and "ratification_status" in _cards(unanswered)
    assert 'data-complete' not in unanswered and 'aria-current="true">Unanswered' in unanswered
    assert _cards(client.get(review_url(cycle) + "?section=criminalization&show=anything").text) == everything
    assert _cards(client.get(review_url(cycle) + "?section=nonsense").text) == _cards(client.get(review_url(cycle)).text)
    top = page.index('href="#decision"')
    assert top < page.index('id="review-index"') < page.index('class="review-bar"') < page.index('id="decision"')
    assert 'action="' + base + '/return?section=criminalization"' in page and "Accept</button>" in page
    decision = page[page.index('<div class="decision__buttons">'):]
    assert re.search(r'form="return-form">Return for clarification</button>\s*<button[^>]*form="accept-form">Accept', decision)
    assert '<script src="/static/js/review.js" defer></script>' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # the CSP forbids inline scripts


def test_comments_come_back_to_the_filtered_page(client, login, cycle):
    focal, secretariat = factories.user("focal_point", "FRA"), factories.user("secretariat")
    login(focal)
    fill_required(client, cycle)
    submit(client, cycle)
    login(secretariat)
    page = client.get(review_url(cycle) + "?show=unanswered").text
    assert (f'name="next" value="/review/cycles/{cycle.id}/states/FRA?section=ratification&amp;show=unanswered'
            '#q-ratification_status"') in page


def _card(html, question_id):
    return re.search(rf'id="q-{question_id}"(.*?)(?=<div class="question |</section>)', html, re.S).group(1)


def test_each_answer_sits_beside_the_one_accepted_in_the_earlier_cycle(client, login, cycle):
    """One section at a time; the answer accepted last cycle beside this cycle's, marked when it
    changed; check boxes as a list; the statements do not grow with the questions."""
    earlier = factories.cycle("2024")
    earlier.opens_on = cycle.opens_on - timedelta(days=730)
    db.session.commit()
    factories.response("FRA", earlier, {"crim_offence": "yes", "crim_law": "Act 9", "crim_forms": ["sexual"]},
                       "accepted")
    factories.response("FRA", cycle, {"crim_offence": "yes", "crim_law": "Act 12",
                                      "crim_forms": ["sexual", "forced_labour"]}, "submitted")
    login(factories.user("secretariat"))
    with count_queries() as statements:
        page = client.get(review_url(cycle) + "?section=criminalization").text
    assert len(statements) <= 14, statements
    assert "Beside each answer: the answer accepted in the reporting cycle 2024." in page
    law = _card(page, "crim_law")
    assert re.search(r'review-answers__current">.*Act 12.*review-answers__earlier">.*Accepted in 2024\s*'
                     r'<span class="review-tag review-tag--earlier">Changed</span>.*Act 9', law, re.S)
    offence = _card(page, "crim_offence")
    assert 'review-answers__same">Same<' in offence and "review-tag--earlier" not in offence
    forms = _card(page, "crim_forms")
    assert re.search(r'<ul class="answer answer--list"><li>Sexual exploitation</li><li>Forced labour or services</li></ul>'
                     r'.*Accepted in 2024.*<ul class="answer answer--list"><li>Sexual exploitation</li></ul>', forms, re.S)
    assert 'id="q-ratification_status"' not in page  # another section
    # A State without an earlier accepted response: no second column.
    factories.response("DEU", cycle, {"crim_offence": "no"}, "submitted")
    german = client.get(f"/review/cycles/{cycle.id}/states/DEU?section=criminalization").text
    assert "Accepted in" not in german and "review-answers--beside" not in german


def test_the_review_reads_the_same_in_arabic(client, login, cycle):
    factories.response("EGY", cycle, {"crim_offence": "yes", "crim_forms": ["sexual"]}, "submitted")
    login(factories.user("secretariat"))
    client.post("/language", data={"lang": "ar"})
    page = client.get(f"/review/cycles/{cycle.id}/states/EGY?section=criminalization").text
    assert 'dir="rtl"' in page and "الفرع 2 من 4" in page and "<li>الاستغلال الجنسي</li>" in page
