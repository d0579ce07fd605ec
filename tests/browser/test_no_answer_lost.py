"""In a real browser: no change is lost on the way out of a section page (a comment reply, a
link to another section, logging out), and read-only pages show every follow-up that applies."""
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.responses import operations as ops
from app.responses.models import Response
from app.review import operations as review_ops
from app.states.models import State
from tests import factories
from tests.browser.conftest import log_in
from tests.helpers import section_url

FOLLOW_UPS = ("crim_law", "crim_laws", "crim_forms", "crim_in_force", "crim_max_penalty")


def _response_with_thread(cycle):
    focal = factories.user("focal_point", "FRA")
    reviewer = factories.user("secretariat", None)
    ops.create_response(db.session.get(State, "FRA"), cycle, focal, {"crim_offence": "yes", "crim_law": "Act 1"})
    response = db.session.scalar(select(Response).filter_by(state_code="FRA", cycle_id=cycle.id))
    thread = review_ops.start_thread(response, reviewer, "crim_law", "Which article?")
    db.session.commit()
    return focal, thread.id


def test_posting_a_reply_saves_the_changed_answer_first(page, cycle):
    focal, thread_id = _response_with_thread(cycle)
    log_in(page, focal)
    page.goto(section_url(cycle, "criminalization"))
    page.fill("[name=q_crim_law]", "Act 1, article 4")
    page.fill(f"#reply-body-{thread_id}", "Article 4, as amended.")
    page.click(f"#thread-{thread_id} button:has-text('Reply')")
    expect(page.locator(".flash--success")).to_have_text("Your reply was posted.")
    expect(page.locator(f"#thread-{thread_id}")).to_contain_text("Article 4, as amended.")
    expect(page.locator("[name=q_crim_law]")).to_have_value("Act 1, article 4")
    page.reload()
    expect(page.locator("[name=q_crim_law]")).to_have_value("Act 1, article 4")


def test_following_a_link_to_another_section_saves_first(page, cycle):
    focal, _ = _response_with_thread(cycle)
    log_in(page, focal)
    page.goto(section_url(cycle, "criminalization"))
    page.fill("[name=q_crim_max_penalty]", "15")
    page.click("text=Back to all sections")
    page.wait_for_url(lambda url: "/sections/" not in url)
    page.goto(section_url(cycle, "criminalization"))
    expect(page.locator("[name=q_crim_max_penalty]")).to_have_value("15")


def test_logging_out_saves_first(page, cycle):
    focal, _ = _response_with_thread(cycle)
    log_in(page, focal)
    page.goto(section_url(cycle, "criminalization"))
    page.fill("[name=q_crim_max_penalty]", "20")
    page.click("text=Log out")
    page.wait_for_url(lambda url: "/sections/" not in url)
    log_in(page, focal)
    page.goto(section_url(cycle, "criminalization"))
    expect(page.locator("[name=q_crim_max_penalty]")).to_have_value("20")


def test_a_refused_save_keeps_the_page_and_says_why(page, cycle):
    focal, thread_id = _response_with_thread(cycle)
    log_in(page, focal)
    url = section_url(cycle, "criminalization")
    page.goto(url)
    page.fill("[name=q_crim_max_penalty]", "many")
    page.fill(f"#reply-body-{thread_id}", "See above.")
    page.click(f"#thread-{thread_id} button:has-text('Reply')")
    expect(page.locator("#q-crim_max_penalty .field__error")).to_be_visible()
    assert page.url.endswith(url)
    expect(page.locator("[name=q_crim_max_penalty]")).to_have_value("many")


def _submitted(cycle):
    factories.response("FRA", cycle, {"crim_offence": "partly", "crim_law": "Act 7", "crim_max_penalty": 9,
                                      "crim_forms": ["forced_labour"]}, status="submitted")
    return factories.user("contributor", "FRA")


def test_read_only_pages_show_the_follow_ups_that_apply(page, cycle):
    log_in(page, _submitted(cycle))
    page.goto(section_url(cycle, "criminalization"))
    expect(page.locator(".panel--notice")).to_be_visible()
    for qid in ("crim_offence", "crim_law", "crim_max_penalty", "crim_forms"):
        expect(page.locator(f"#q-{qid}")).to_be_visible()
    expect(page.locator("#q-crim_law")).to_contain_text("Act 7")


def test_read_only_pages_show_the_follow_ups_without_javascript(new_page, cycle):
    page = new_page(java_script_enabled=False)
    log_in(page, _submitted(cycle))
    page.goto(section_url(cycle, "criminalization"))
    for qid in ("crim_offence", "crim_law", "crim_max_penalty", "crim_forms"):
        expect(page.locator(f"#q-{qid}")).to_be_visible()
    # Questions that do not apply are left out, with or without JavaScript.
    expect(page.locator("#q-ratification_year")).to_have_count(0)


def test_without_javascript_a_reply_keeps_the_changed_answer_and_offers_it_back(new_page, cycle):
    page = new_page(java_script_enabled=False)
    focal, thread_id = _response_with_thread(cycle)
    log_in(page, focal)
    page.goto(section_url(cycle, "criminalization"))
    page.fill("[name=q_crim_law]", "Act 1, article 4")
    page.fill(f"#reply-body-{thread_id}", "Article 4, as amended.")
    page.click(f"#thread-{thread_id} button:has-text('Reply')")
    expect(page.locator(".flash--success")).to_have_text("Your reply was posted.")
    expect(page.locator(f"#thread-{thread_id}")).to_contain_text("Article 4, as amended.")
    expect(page.locator(".unsaved-notice")).to_be_visible()
    expect(page.locator("[name=q_crim_law]")).to_have_value("Act 1, article 4")
    page.locator("#section-form button[name=action][value=save]").click()
    expect(page.locator(".flash--success").first).to_have_text("Your answers were saved.")
    expect(page.locator("[name=q_crim_law]")).to_have_value("Act 1, article 4")


def test_without_javascript_logging_out_keeps_the_changed_answer_for_the_next_login(new_page, cycle):
    page = new_page(java_script_enabled=False)
    focal, _ = _response_with_thread(cycle)
    log_in(page, focal)
    page.goto(section_url(cycle, "criminalization"))
    page.fill("[name=q_crim_max_penalty]", "25")
    page.click("text=Log out")
    expect(page.locator(".flash--info")).to_have_text("You have logged out.")
    log_in(page, focal)
    page.goto(section_url(cycle, "criminalization"))
    expect(page.locator(".unsaved-notice")).to_be_visible()
    expect(page.locator("[name=q_crim_max_penalty]")).to_have_value("25")
