"""The review in a browser: a section at a time, the answer accepted last cycle beside this
cycle's, and the keyboard (J/K between questions, C to comment, N to the next section). The
README's screenshot is rewritten with SAVE_SCREENSHOTS=1 (else it goes to test-artifacts/)."""
import os
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import expect

from app.extensions import db
from tests import factories
from tests.browser.conftest import log_in, screenshot


def test_a_reviewer_reads_a_section_beside_last_cycle_and_moves_by_keyboard(page, cycle):
    earlier = factories.cycle("2024")
    earlier.opens_on = cycle.opens_on - timedelta(days=730)
    db.session.commit()
    factories.response("FRA", earlier, {"crim_offence": "yes", "crim_law": "Act 9"}, "accepted")
    factories.response("FRA", cycle, {"crim_offence": "yes", "crim_law": "Act 12", "crim_forms": ["sexual"]},
                       "submitted")
    log_in(page, factories.user("secretariat"))
    page.goto(f"/review/cycles/{cycle.id}/states/FRA?section=criminalization")

    expect(page.locator(".review-position__where").first).to_have_text("Section 2 of 4")
    expect(page.locator("#q-ratification_status")).to_have_count(0)
    law = page.locator("#q-crim_law")
    expect(law.locator(".review-answers__earlier")).to_contain_text("Act 9")
    expect(law.locator(".review-tag--earlier")).to_have_text("Changed")
    # Side by side on a wide screen: last cycle's answer to the end side of this cycle's.
    current, before = law.locator(".review-answers__current").bounding_box(), law.locator(".review-answers__earlier").bounding_box()
    assert before["x"] > current["x"] + current["width"] / 2 and abs(before["y"] - current["y"]) < 40
    law.scroll_into_view_if_needed()
    if os.environ.get("SAVE_SCREENSHOTS"):
        from PIL import Image
        path = Path(__file__).parents[2] / "docs" / "screenshots" / "review-section-en.png"
        page.evaluate("document.querySelector('.review-bar').style.display = 'none'")
        page.locator("#section-criminalization").screenshot(path=str(path))
        page.evaluate("document.querySelector('.review-bar').style.display = ''")
        Image.open(path).quantize(64).save(path, optimize=True)  # a small file for the repository
    else:
        screenshot(page, "review-section-en", full_page=False)

    expect(page.locator("[data-review-keys]")).to_be_visible()
    page.locator("h1").click()
    page.keyboard.press("j")
    first = page.locator(".review-question").first
    expect(first).to_be_focused()
    page.keyboard.press("j")
    expect(page.locator(".review-question").nth(1)).to_be_focused()
    page.keyboard.press("k")
    expect(first).to_be_focused()
    page.keyboard.press("c")
    comment_box = first.locator(".question__comment-form textarea")
    expect(comment_box).to_be_focused()
    page.keyboard.type("j stays text here")  # typing in the box is not a shortcut
    expect(comment_box).to_have_value("j stays text here")
    expect(comment_box).to_be_focused()

    page.locator("h1").click()
    page.keyboard.press("n")
    page.wait_for_url("**section=protection**")
    expect(page.locator(".review-position__where").first).to_have_text("Section 3 of 4")
    # Decision buttons side by side.
    buttons = page.locator(".decision__buttons button")
    expect(buttons).to_have_count(2)
    first_button, second_button = buttons.nth(0).bounding_box(), buttons.nth(1).bounding_box()
    assert abs(first_button["y"] - second_button["y"]) < 5
