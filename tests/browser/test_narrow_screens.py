"""On a phone (390 px wide) in the languages with the longest or right-to-left words, the pages
fit the screen: the header's navigation wraps inside the blue bar instead of running off it, and
wide tables scroll inside their box, never the page."""
import pytest

from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.helpers import overview_url

PHONE = {"width": 390, "height": 844}


def switch_language(page, language):
    page.click(f"button[name=lang][value={language}]")
    # The page is replaced meanwhile: until the new one is parsed there may be no root element.
    page.wait_for_function(f"document.documentElement?.lang === '{language}'")


def assert_fits(page, name):
    """Nothing widens the page, and the header's last item (the log-out button) lies on the blue bar."""
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    header = page.locator(".site-header").bounding_box()
    log_out = page.locator(".site-nav .link-button").bounding_box()
    assert 0 <= log_out["x"] and log_out["x"] + log_out["width"] <= width, name
    assert header["y"] <= log_out["y"] and log_out["y"] + log_out["height"] <= header["y"] + header["height"], name
    screenshot(page, name, full_page=False)


@pytest.mark.parametrize("language", ["ar", "ru"])
def test_overview_and_dashboard_fit_a_phone(new_page, cycle, language):
    focal_point = factories.user("focal_point", "FRA", email="focal.point.ministry-of-interior@example.org")
    secretariat = factories.user("secretariat", email="secretariat.trafficking-unit@example.org")
    factories.response("KEN", cycle, {}, status="submitted")

    # The secretariat first: its two-factor code is written by this test's session, which must
    # not hold a read transaction older than the server's writes (SQLite would refuse the write).
    page = new_page(viewport=PHONE)
    log_in(page, secretariat)
    page.goto("/analysis/")
    switch_language(page, language)
    # The dashboard's table is wider than a phone: it scrolls inside its own box.
    scroller = page.locator(".table-scroll")
    assert scroller.evaluate("box => box.scrollWidth > box.clientWidth")
    assert_fits(page, f"phone-dashboard-{language}")

    page = new_page(viewport=PHONE)
    log_in(page, focal_point)
    page.goto(overview_url(cycle))
    switch_language(page, language)
    assert_fits(page, f"phone-overview-{language}")
