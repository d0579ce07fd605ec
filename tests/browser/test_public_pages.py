"""In a real browser: a published State's country page in the six languages (key facts first,
a chart with its figures, Arabic mirrored), and the inline list of languages in Arabic, whose
items keep their order and single separators (each item isolated in <bdi>). Screenshots go to
test-artifacts/."""
import pytest
from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import screenshot
from tests.test_public_pages import ANSWERS

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


@pytest.fixture
def published(cycle):
    return factories.response("FRA", cycle, ANSWERS, "published")


def _centres(locator) -> list[float]:
    return [box["x"] + box["width"] / 2 for box in (item.bounding_box() for item in locator.all())]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_country_page_in_each_language(new_page, published, lang):
    page = new_page(locale=lang)
    page.goto("/profiles/FRA")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    facts = page.locator("#key-facts")
    expect(facts.locator("[data-fact]")).to_have_count(6)
    expect(facts.locator("[data-question=ratification_status] .answer")).to_be_visible()
    assert facts.bounding_box()["y"] < page.locator("#answers").bounding_box()["y"]
    chart = facts.locator("svg.year-chart")
    expect(chart).to_be_visible()
    assert chart.get_attribute("role") == "img" and chart.locator("desc").text_content().startswith("2021: 20")
    years = _centres(chart.locator("text.chart-year"))
    assert len(years) == 5
    assert years == (sorted(years, reverse=True) if lang == "ar" else sorted(years))  # Arabic: right to left
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    expect(page.locator("#downloads a[type='application/pdf']")).to_have_count(6)
    screenshot(page, f"country-page-{lang}", full_page=lang in ("en", "ar"))


def test_the_arabic_list_of_languages_keeps_its_order_and_single_separators(new_page, published):
    page = new_page(locale="ar")
    page.goto("/profiles/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    downloads = page.locator(".profile-list .downloads").first
    items, separators = downloads.locator("bdi"), downloads.locator(".downloads__separator")
    expect(items).to_have_count(6)
    expect(separators).to_have_count(5)
    centres, between = _centres(items), _centres(separators)
    assert centres == sorted(centres, reverse=True)  # read right to left, in the order of the markup
    assert all(centres[i] > between[i] > centres[i + 1] for i in range(5))  # one separator between two
    assert "· ·" not in downloads.inner_text() and "··" not in downloads.inner_text().replace(" ", "")
    sizes = [float(size[:-2]) for size in downloads.locator("a").evaluate_all(
        "links => links.map(link => getComputedStyle(link).fontSize)")]
    arabic, others = sizes[0], sizes[1:]
    assert all(arabic >= 1.15 * other for other in others)  # Naskh set larger to read as large
    screenshot(page, "profiles-ar", full_page=False)
