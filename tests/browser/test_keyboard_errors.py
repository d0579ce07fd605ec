"""In a real browser, with the keyboard only: a section with a table is filled in, a refused save
puts the focus on the error summary at the top, its link takes the focus to the wrong cell
(not hidden under the sticky save bar), and the corrected section is saved."""
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import log_in
from tests.helpers import section_url


def _active(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.className")


def _tab_to(page, element_id, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if _active(page) == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def _uncovered(page, element_id) -> bool:
    """The element is in the window and above the sticky save bar."""
    return page.evaluate("""id => {
        const box = document.getElementById(id).getBoundingClientRect();
        const bar = document.querySelector('.actions--sticky').getBoundingClientRect();
        return box.top >= 0 && box.bottom <= bar.top;
    }""", element_id)


def test_a_section_with_a_table_is_completed_with_the_keyboard_only(page, cycle):
    log_in(page, factories.user("focal_point", "FRA"))
    page.set_viewport_size({"width": 1000, "height": 600})
    page.goto(section_url(cycle, "data"))
    _tab_to(page, "q_data_victims-2021-women")
    for value in ("30", "12", "x", "2"):  # women, men, girls (a mistake), boys
        page.keyboard.type(value)
        page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")  # the form's first button: Save
    page.wait_for_load_state()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.locator("a")).to_have_text(["4.1 Number of victims of trafficking identified, by year, sex and "
                                               "age group: 2021, Girls: enter a whole number of 0 or more, not “x”."])
    page.keyboard.press("Tab")
    expect(summary.locator("a")).to_be_focused()
    page.keyboard.press("Enter")
    # The link leads to the question's first cell; the wrong one is described by the message.
    expect(page.locator("#q_data_victims-2021-women")).to_be_focused()
    assert _uncovered(page, "q_data_victims-2021-women")
    wrong = page.locator("#q_data_victims-2021-girls")
    expect(wrong).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#" + wrong.get_attribute("aria-describedby"))).to_contain_text("2021, Girls")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(wrong).to_be_focused()
    assert _uncovered(page, "q_data_victims-2021-girls")
    page.keyboard.press("Control+A")
    page.keyboard.type("5")
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".flash--success").first).to_have_text("Your answers were saved.")
    expect(page.locator("[data-error-summary]")).to_have_count(0)
    expect(page.locator("#q_data_victims-2021-girls")).to_have_value("5")
    expect(page.locator("#q_data_victims-2021-women")).to_have_value("30")


def test_tabbing_to_the_bottom_of_a_long_section_keeps_the_focus_above_the_save_bar(page, cycle):
    log_in(page, factories.user("focal_point", "FRA"))
    page.set_viewport_size({"width": 1000, "height": 600})
    page.goto(section_url(cycle, "data"))
    _tab_to(page, "q_data_victims-2025-women")
    assert _uncovered(page, "q_data_victims-2025-women")
