"""In two real browsers: each person sees, within a heartbeat, who else is editing which
section, and the mention goes away when that person leaves the section."""
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.helpers import overview_url, section_url


def test_two_people_see_each_other_editing(new_page, cycle):
    amina = factories.user("focal_point", "FRA", name="Amina Diallo", organisation="Ministry of Justice")
    jean = factories.user("contributor", "FRA", name="Jean Martin", organisation="Ministry of Social Affairs")
    first, second = new_page(), new_page()
    log_in(first, amina)
    log_in(second, jean)

    second.goto(overview_url(cycle))
    first.goto(section_url(cycle, "protection"))
    editing = second.locator('[data-presence-for="protection"]')
    expect(editing).to_have_text("Amina Diallo (Ministry of Justice) is editing this section")
    expect(second.locator('[data-presence-for="data"]')).to_be_hidden()

    second.goto(section_url(cycle, "protection"))
    expect(first.locator('[data-presence-for="protection"]')).to_have_text(
        "Jean Martin (Ministry of Social Affairs) is editing this section")
    expect(second.locator('[data-presence-for="protection"]')).to_have_text(
        "Amina Diallo (Ministry of Justice) is editing this section")
    screenshot(first, "presence-section", full_page=False)

    first.goto(overview_url(cycle))  # leaving the section ends the mention at once
    expect(second.locator('[data-presence-for="protection"]')).to_be_hidden()
