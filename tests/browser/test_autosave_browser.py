"""In a real browser: autosave keeps what is typed without pressing Save; two officials editing
at once keep both their answers, or, for the same answer, see both and choose."""
import re

from playwright.sync_api import expect

from app.extensions import db
from app.responses import operations as ops
from app.states.models import State
from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.helpers import overview_url, section_url

SAVED_WITHIN = 15_000  # ms: autosave waits three seconds after the last key


def _officials(cycle):
    """France's focal point and a contributor; the response says the offence is criminalized."""
    focal = factories.user("focal_point", "FRA", name="Amina Focal")
    contributor = factories.user("contributor", "FRA", name="Bao Contributor")
    ops.create_response(db.session.get(State, "FRA"), cycle, focal, {"crim_offence": "yes", "crim_law": "Act 1"})
    db.session.commit()
    return focal, contributor


def _status(page):
    return page.locator(".save-status")


def test_typing_is_saved_without_pressing_save(page, cycle):
    focal, _ = _officials(cycle)
    log_in(page, focal)
    page.goto(section_url(cycle, "criminalization"))
    expect(_status(page)).to_be_hidden()
    with page.expect_request(lambda request: request.method == "POST" and "/sections/" in request.url,
                             timeout=SAVED_WITHIN) as autosave:
        page.fill("[name=q_crim_law]", "Code pénal, art. 225-4-1")
        expect(_status(page)).to_have_text("Not saved")
    expect(_status(page)).to_have_text("Saved", timeout=SAVED_WITHIN)
    expect(page.locator("[data-progress=section]").first).to_have_text("2 of 6 answered")
    # Only the question changed goes (with the form's own fields), not the whole section.
    sent = set(re.findall(r'name="([^"]+)"', autosave.value.post_data))  # a multipart body
    assert {"q_crim_law", "v_crim_law", "csrf_token"} <= sent and not {"q_crim_offence", "v_crim_offence"} & sent
    page.reload()
    expect(page.locator("[name=q_crim_law]")).to_have_value("Code pénal, art. 225-4-1")


def test_leaving_with_unsaved_changes_asks_first(page, cycle):
    focal, _ = _officials(cycle)
    log_in(page, focal)
    page.goto(section_url(cycle, "criminalization"))
    page.fill("[name=q_crim_law]", "Not saved yet")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]


def test_two_officials_editing_different_questions_at_once_both_keep_their_answers(new_page, cycle):
    focal, contributor = _officials(cycle)
    amina, bao = new_page(), new_page()
    log_in(amina, focal)
    log_in(bao, contributor)
    url = section_url(cycle, "criminalization")
    amina.goto(url)
    bao.goto(url)
    amina.fill("[name=q_crim_law]", "Penal Code, art. 4")
    bao.fill("[name=q_crim_max_penalty]", "12")
    expect(_status(amina)).to_have_text("Saved", timeout=SAVED_WITHIN)
    expect(_status(bao)).to_have_text("Saved", timeout=SAVED_WITHIN)
    for page in (amina, bao):
        page.reload()
        expect(page.locator("[name=q_crim_law]")).to_have_value("Penal Code, art. 4")
        expect(page.locator("[name=q_crim_max_penalty]")).to_have_value("12")


def test_the_same_question_edited_at_once_shows_both_answers_and_keeps_the_chosen_one(new_page, cycle):
    focal, contributor = _officials(cycle)
    amina, bao = new_page(), new_page()
    log_in(amina, focal)
    log_in(bao, contributor)
    url = section_url(cycle, "criminalization")
    amina.goto(url)
    bao.goto(url)
    amina.fill("[name=q_crim_law]", "Amina's act")
    expect(_status(amina)).to_have_text("Saved", timeout=SAVED_WITHIN)
    bao.fill("[name=q_crim_law]", "Bao's act")
    conflict = bao.locator("#q-crim_law .conflict")
    expect(conflict).to_be_visible(timeout=SAVED_WITHIN)
    expect(conflict.locator(".conflict__side--theirs")).to_contain_text("Amina's act")
    expect(conflict.locator(".conflict__side--theirs")).to_contain_text("Amina Focal")
    expect(conflict.locator(".conflict__side--mine")).to_contain_text("Bao's act")
    expect(_status(bao)).to_contain_text("Not saved")
    conflict.scroll_into_view_if_needed()
    screenshot(bao, "conflict", full_page=False)
    conflict.locator("button[value=mine]").click()
    bao.wait_for_load_state()
    expect(bao.locator("[name=q_crim_law]")).to_have_value("Bao's act")
    amina.reload()
    expect(amina.locator("[name=q_crim_law]")).to_have_value("Bao's act")


def test_the_history_shows_the_saves_and_compares_them(page, cycle):
    focal, _ = _officials(cycle)
    log_in(page, focal)
    page.goto(section_url(cycle, "criminalization"))
    page.fill("[name=q_crim_law]", "Act 1, as amended in 2024")
    expect(_status(page)).to_have_text("Saved", timeout=SAVED_WITHIN)
    page.goto(overview_url(cycle) + "history")
    expect(page.locator(".timeline__item")).to_have_count(2)
    screenshot(page, "history")
    page.click("text=Compare the chosen revisions")
    expect(page.locator(".diff ins")).to_have_text(", as amended in 2024")
    screenshot(page, "compare")
    page.click("button[name=lang][value=ar]")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("h1")).to_have_text("مقارنة النسخ")
    screenshot(page, "compare-ar")
