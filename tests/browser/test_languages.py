"""In a real browser: switching language keeps what was typed, Arabic pages are mirrored,
and the Arabic and Chinese questionnaire pages are kept as screenshots in test-artifacts/."""
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.helpers import overview_url, section_url

LAW_FR = "Code pénal, art. 225-4-1"
LAW_AR = "قانون العقوبات، المادة 225-4-1"


def switch_language(page, language, path):
    page.click(f"button[name=lang][value={language}]")
    page.wait_for_url(f"**{path}")
    expect(page.locator("html")).to_have_attribute("lang", language)


def direction(locator):
    return locator.evaluate("element => getComputedStyle(element).direction")


def assert_mirrored(page):
    """Arabic: the page runs right to left, the title sits on the right, nothing overflows."""
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    title, width = page.locator(".site-title").bounding_box(), page.viewport_size["width"]
    assert title["x"] > width / 2
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_focal_point_switches_to_arabic_fills_saves_and_finds_the_answer(page, cycle):
    log_in(page, factories.user("focal_point", "FRA"))
    path = section_url(cycle, "criminalization")
    page.goto(path)
    page.check("input[name=q_crim_offence][value=partly]")
    page.fill("[name=q_crim_law]", LAW_FR)

    switch_language(page, "ar", path)
    assert_mirrored(page)
    expect(page.locator(".unsaved-notice")).to_be_visible()
    expect(page.locator("[name=q_crim_law]")).to_have_value(LAW_FR)
    expect(page.locator("input[name=q_crim_offence][value=partly]")).to_be_checked()
    screenshot(page, "section-ar-unsaved", full_page=False)

    page.fill("[name=q_crim_law]", LAW_AR)
    page.fill("[name=q_crim_max_penalty]", "15")
    page.check("input[name=q_crim_forms][value=sexual]")
    page.click("button[name=action][value=save]")
    expect(page.locator(".flash--success")).to_be_visible()
    page.reload()
    expect(page.locator("[name=q_crim_law]")).to_have_value(LAW_AR)
    expect(page.locator("[name=q_crim_max_penalty]")).to_have_value("15")
    expect(page.locator("input[name=q_crim_offence][value=partly]")).to_be_checked()
    expect(page.locator(".unsaved-notice")).to_have_count(0)
    screenshot(page, "section-ar")

    switch_language(page, "zh", path)
    expect(page.locator("[name=q_crim_law]")).to_have_value(LAW_AR)
    screenshot(page, "section-zh")

    revision = overview_url(cycle) + "revisions/1"
    page.goto(revision)
    switch_language(page, "en", revision)
    assert direction(page.locator("p.answer", has_text=LAW_AR)) == "rtl"  # Arabic answer, English page


def test_switching_language_without_javascript_keeps_the_input(new_page, cycle):
    page = new_page(java_script_enabled=False)
    log_in(page, factories.user("focal_point", "FRA"))
    path = section_url(cycle, "protection")
    page.goto(path)
    page.fill("[name=q_prot_description]", "Приюты есть в каждом регионе.")
    switch_language(page, "ru", path)
    expect(page.locator("[name=q_prot_description]")).to_have_value("Приюты есть в каждом регионе.")
    expect(page.locator(".unsaved-notice")).to_be_visible()


def test_arabic_tables_progress_bars_and_review_read_right_to_left(new_page, cycle):
    page = new_page()
    log_in(page, factories.user("focal_point", "FRA", locale="ar"))
    data = section_url(cycle, "data")
    page.goto(data)
    page.fill("[name=q_data_victims-2024-women]", "1250")
    page.fill("[name=q_data_body]", "Ministère de l'Intérieur")
    page.click("button[name=action][value=save]")
    assert_mirrored(page)
    row_header, first_cell = (page.locator(".number-table tbody tr").first.locator(selector).first.bounding_box()
                              for selector in ("th", "td"))
    assert row_header["x"] > first_cell["x"]  # row labels on the right, numbers to their left
    screenshot(page, "data-ar")
    page.goto(section_url(cycle, "protection"))
    page.check("input[name=q_prot_shelter][value=yes]")
    page.fill("[name=q_prot_shelter_places]", "40")
    page.click("button[name=action][value=save]")

    page.goto(overview_url(cycle))
    assert_mirrored(page)
    assert direction(page.locator("progress").nth(2)) == "rtl"  # protection: partly answered
    # The breadcrumb's arrow points the way Arabic reads, from the list to this State.
    assert page.locator(".arrow").first.evaluate("e => getComputedStyle(e).transform") == "matrix(-1, 0, 0, 1, 0, 0)"
    screenshot(page, "overview-ar")
    page.goto(overview_url(cycle) + "history")
    assert_mirrored(page)
    screenshot(page, "history-ar")
    page.goto(overview_url(cycle) + "revisions/2")
    assert direction(page.locator("p.answer", has_text="Ministère")) == "ltr"  # Latin answer, Arabic page
    assert direction(page.locator("p.answer", has_text="40")) == "rtl"  # a number keeps the page's side


def test_secretariat_pages_read_right_to_left(new_page, client, login, cycle):
    login(factories.user("focal_point", "EGY"))  # Egypt submits, through the test client
    client.post(section_url(cycle, "criminalization", "EGY"), data={
        "q_crim_offence": "yes", "q_crim_law": "القانون رقم 64 لسنة 2010"})
    client.post(section_url(cycle, "protection", "EGY"), data={"q_prot_shelter": "yes", "q_prot_shelter_places": "40"})
    assert client.post(overview_url(cycle, "EGY") + "submit").status_code == 302

    page = new_page()
    log_in(page, factories.user("secretariat", locale="ar"))
    assert_mirrored(page)
    screenshot(page, "dashboard-ar", full_page=False)
    page.goto(f"/review/cycles/{cycle.id}/states/EGY")
    assert_mirrored(page)
    page.locator("details summary").first.click()
    page.locator("details textarea").first.fill("يرجى ذكر المادة.")
    screenshot(page, "submission-ar")


def test_arabic_login_and_error_pages_keep_the_mirrored_layout(new_page):
    page = new_page(locale="ar")  # the browser asks for Arabic: Accept-Language
    page.goto("/login")
    assert_mirrored(page)
    screenshot(page, "login-ar", full_page=False)
    page.goto("/no-such-page")
    assert_mirrored(page)
    expect(page.locator("h1")).to_have_text("الصفحة غير موجودة")
    screenshot(page, "error-404-ar", full_page=False)
