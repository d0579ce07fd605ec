"""axe-core (shipped inside axe-playwright-python, nothing downloaded at test time) finds no
violation of WCAG 2.1 A or AA, contrast included, on the pages States and the secretariat work
on most, in English, Arabic (right to left) and Chinese."""
import pytest
from axe_playwright_python.sync_playwright import Axe

from app.extensions import db
from tests import factories
from tests.browser.conftest import log_in
from tests.helpers import overview_url, section_url

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}
LANGUAGES = ("en", "ar", "zh")
ANSWERS = {"crim_offence": "partly", "crim_law": "Act 7", "crim_max_penalty": 9, "prot_shelter": "yes",
           "prot_shelter_places": 40, "data_victims": {"2023": {"women": 10, "girls": 2}, "2024": {"women": 14}}}


def _violations(page) -> list[str]:
    results = Axe().run(page, options=WCAG_21_AA)
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] if isinstance(n["target"][0], str)
                                                                  else str(n["target"]) for n in v["nodes"][:5])
            for v in results.response["violations"]]


def _user(role, state, language):
    user = factories.user(role, state)
    user.locale = language
    db.session.commit()
    return user


def _check(page, url, language):
    assert page.goto(url).status == 200, url
    assert page.locator("html").get_attribute("lang") == language
    assert _violations(page) == [], url


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_state_pages_pass_axe(page, cycle, language):
    factories.response("FRA", cycle, ANSWERS)
    log_in(page, _user("focal_point", "FRA", language))
    for url in (overview_url(cycle), section_url(cycle, "data"), section_url(cycle, "criminalization")):
        _check(page, url, language)
    # A refused save: the error summary, the messages and the fields marked invalid.
    page.goto(section_url(cycle, "data"))
    page.fill("[name=q_data_victims-2021-men]", "x")
    page.locator("#section-form button[value=save]").click()
    page.wait_for_selector("[data-error-summary]")
    assert _violations(page) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_secretariat_pages_pass_axe(page, cycle, language):
    factories.response("FRA", cycle, ANSWERS, status="published")
    factories.response("DEU", cycle, {"crim_offence": "yes"}, status="submitted")
    log_in(page, _user("secretariat", None, language))
    for url in ("/analysis/", f"/review/cycles/{cycle.id}/states/DEU", f"/review/cycles/{cycle.id}/states/FRA",
                f"/analysis/cycles/{cycle.id}/questions/data_victims",
                f"/analysis/cycles/{cycle.id}/states/FRA/comparison"):
        _check(page, url, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_public_page_passes_axe(new_page, cycle, language):
    factories.response("FRA", cycle, ANSWERS, status="published")
    page = new_page(locale=language, extra_http_headers={"Accept-Language": language})
    _check(page, "/profiles/", language)
