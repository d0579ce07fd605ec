"""Printing a section page: the print stylesheet leaves out the header, the buttons and the
forms around the questions, and keeps every question's number and the answers as filled in."""
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import log_in
from tests.helpers import pdf_text, section_url

ANSWERS = {"crim_offence": "partly", "crim_law": "Penal Code, article 225-4-1", "crim_max_penalty": 9}


def test_a_printed_section_keeps_the_numbered_questions_and_answers_only(page, cycle):
    factories.response("FRA", cycle, ANSWERS)
    log_in(page, factories.user("focal_point", "FRA"))
    page.goto(section_url(cycle, "criminalization"))
    page.emulate_media(media="print")
    for hidden in (".site-header", ".actions--sticky", ".goto-question", ".site-footer"):
        expect(page.locator(hidden)).to_be_hidden()
    expect(page.locator("#q-crim_law .question__number")).to_have_text("2.2")
    expect(page.locator("[name=q_crim_law]")).to_be_visible()
    text = pdf_text(page.pdf(format="A4"))
    assert "2.2" in text and "Penal Code, article 225-4-1" in text and "2.6" in text
    assert "Log out" not in text and "Save and go to the next section" not in text and "Go to question" not in text


def test_a_printed_read_only_section_keeps_the_answers_in_arabic(new_page, cycle):
    factories.response("FRA", cycle, ANSWERS, status="submitted")
    user = factories.user("contributor", "FRA", locale="ar")
    page = new_page()
    log_in(page, user)
    page.goto(section_url(cycle, "criminalization"))
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    text = pdf_text(page.pdf(format="A4"))
    assert "Penal Code, article 225-4-1" in text and "2.2" in text
