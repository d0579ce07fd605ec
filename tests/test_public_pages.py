"""The public country pages: /profiles/<ISO3> shows a published State's profile in the reader's
language, key facts first, the same key facts as the API's response of that State; /profiles/
is searched by name and filtered by region with a GET form."""
import re
from html.parser import HTMLParser

import pytest
from flask_babel import force_locale, gettext

from app.questionnaires.answers import format_number

from tests import factories
from tests.conftest import count_queries

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")
VICTIMS = {"2021": {"women": 10, "men": 5, "girls": 3, "boys": 2, "total": 20},
           "2022": {"women": 12, "men": 6, "girls": 4, "boys": 3, "total": 25},
           "2023": {"women": 4, "boys": 1},  # no total given: the sum of the parts
           "2024": {"women": 30, "total": 30}}
ANSWERS = {"ratification_status": "ratified", "ratification_year": 2005, "crim_offence": "yes",
           "crim_forms": ["sexual", "forced_labour"], "crim_law": "Penal Code art. 225-4-1",
           "data_victims": VICTIMS, "data_body": "Office central pour la répression de la traite"}


class KeyFacts(HTMLParser):
    """The key facts of a page as a reader sees them: fact -> question -> the words shown (the
    chart, drawn from the same figures as the table beside it, and hidden captions left out)."""

    SKIPPED = ("svg", "caption")

    def __init__(self):
        super().__init__()
        self.facts, self.fact, self.question, self.skipping = {}, None, None, 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-fact" in attrs:
            self.fact = self.facts.setdefault(attrs["data-fact"], {})
        elif "data-question" in attrs and self.fact is not None:
            self.question = self.fact.setdefault(attrs["data-question"], [])
        elif tag in self.SKIPPED:
            self.skipping += 1

    def handle_endtag(self, tag):
        if tag == "dd":
            self.question = None
        elif tag in self.SKIPPED:
            self.skipping -= 1

    def handle_data(self, data):
        if self.question is not None and not self.skipping and data.strip():
            self.question.append(data.strip())


def page_facts(html: str) -> dict:
    reader = KeyFacts()
    reader.feed(html)
    return reader.facts


def api_words(answer: dict, lang: str) -> list[str]:
    """What the page prints of an API key fact's answer, in order: its question's number and
    text, then the answer (figures by year as a table of years and totals)."""
    words = [answer["number"], answer["text"]]
    if answer["kind"] == "years":
        with force_locale(lang):
            year, total = gettext("Year"), gettext("Total")
        totals = ["–" if y["total"] is None else format_number(y["total"], lang) for y in answer["years"]]
        return words + [year] + [y["year"] for y in answer["years"]] + [total] + totals
    return words + (answer["items"] if answer["kind"] == "list" else [answer["answer"]])


@pytest.fixture
def published(cycle):
    return factories.response("FRA", cycle, ANSWERS, "published")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_country_page_opens_with_key_facts_equal_to_the_api(client, cycle, published, lang):
    page = client.get(f"/profiles/FRA", headers={"Accept-Language": lang})
    assert page.status_code == 200
    api = client.get(f"/api/v1/cycles/{cycle.id}/responses/FRA?lang={lang}").get_json()
    facts = page_facts(page.text)
    for fact in api["key_facts"]:
        for answer in fact["answers"]:
            assert facts[fact["id"]][answer["question"]] == api_words(answer, lang)
    answered = {a["question"] for fact in api["key_facts"] for a in fact["answers"]}
    assert answered == {"ratification_status", "ratification_year", "crim_offence", "crim_forms", "data_victims"}
    assert f'lang="{lang}"' in page.text and page.text.index('id="key-facts"') < page.text.index('id="answers"')


def test_the_key_facts_count_each_year_and_the_chart_has_a_text_alternative(client, cycle, published):
    api = client.get(f"/api/v1/cycles/{cycle.id}/responses/FRA?lang=en").get_json()
    victims = next(fact for fact in api["key_facts"] if fact["id"] == "victims")["answers"][0]
    assert victims["years"] == [{"year": "2021", "total": 20}, {"year": "2022", "total": 25},
                                {"year": "2023", "total": 5}, {"year": "2024", "total": 30},
                                {"year": "2025", "total": None}]
    page = client.get("/profiles/FRA", headers={"Accept-Language": "en"}).text
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="year-chart"' in page and 'role="img"' in page
    assert "<desc id=\"chart-data_victims-desc\">2021: 20; 2022: 25; 2023: 5; 2024: 30; 2025: –</desc>" in page


def test_the_page_shows_each_section_with_numbers_and_the_downloads(client, cycle, published):
    page = client.get("/profiles/FRA", headers={"Accept-Language": "fr"}).text
    assert "Penal Code art. 225-4-1" in page and "Office central pour la répression de la traite" in page
    assert '<span class="qnum">2.2</span>' in page  # crim_law, the second question of section 2
    assert page.count(f"/profiles/{cycle.id}/FRA/") == 6
    assert f"/api/v1/cycles/{cycle.id}/answers.csv?state=FRA&amp;lang=fr" in page
    csv = client.get(f"/api/v1/cycles/{cycle.id}/answers.csv?state=FRA&lang=fr")
    assert csv.status_code == 200 and "Penal Code art. 225-4-1" in csv.text


def test_a_confidential_answer_is_not_on_the_page_nor_in_its_key_facts(client, cycle):
    factories.response("FRA", cycle, ANSWERS, "published", confidential=frozenset({"crim_forms", "crim_law"}))
    page = client.get("/profiles/FRA", headers={"Accept-Language": "en"}).text
    assert "Penal Code" not in page and "crim_forms" not in page_facts(page)["criminalization"]
    assert "2 answers are not published at the State's request." in page


@pytest.mark.parametrize("status", ["draft", "submitted", "accepted"])
def test_unpublished_states_are_not_found(client, cycle, status):
    factories.response("FRA", cycle, {"crim_law": "UNPUBLISHED-LAW"}, status)
    response = client.get("/profiles/FRA")
    assert response.status_code == 404 and "UNPUBLISHED-LAW" not in response.text


@pytest.mark.parametrize("code", ["XYZ", "FR", "FRANCE", "12A", "%3Cb%3E"])
def test_invalid_codes_get_a_translated_not_found(client, cycle, published, code):
    response = client.get(f"/profiles/{code}", headers={"Accept-Language": "fr"})
    assert response.status_code == 404 and "Page introuvable" in response.text


def test_a_lower_case_code_goes_to_the_page(client, cycle, published):
    response = client.get("/profiles/fra")
    assert response.status_code == 301 and response.location.endswith("/profiles/FRA")


def test_the_page_queries_do_not_grow_with_the_answers(client, cycle):
    factories.response("FRA", cycle, {"crim_offence": "yes"}, "published")
    with count_queries() as few:
        client.get("/profiles/FRA")
    factories.response("KEN", cycle, ANSWERS, "published")
    with count_queries() as many:
        assert client.get("/profiles/KEN").status_code == 200
    assert len(few) == len(many)


def test_the_list_is_searched_by_name_and_filtered_by_region(client, cycle):
    for state in ("FRA", "KEN", "ARG", "DEU"):
        factories.response(state, cycle, {}, "published")
    factories.response("EGY", cycle, {}, "accepted")
    assert all(name in client.get("/profiles/").text for name in ("France", "Kenya", "Argentina", "Germany"))
    found = client.get("/profiles/?q=ken").text
    assert "Kenya" in found and "France" not in found and "1 State of 4 shown." in found
    europe = client.get("/profiles/?region=150").text  # Europe
    assert "France" in europe and "Germany" in europe and "Kenya" not in europe and "Egypt" not in europe
    assert "Alemania" in client.get("/profiles/?q=alem", headers={"Accept-Language": "es"}).text
    nothing = client.get("/profiles/?q=zzz", headers={"Accept-Language": "fr"}).text
    assert "Aucun profil publié ne correspond à cette recherche." in nothing
    unknown = client.get("/profiles/?region=nowhere", headers={"Accept-Language": "fr"}).text
    assert "Cette région n'existe pas" in unknown and "Kenya" in unknown
    assert client.get("/profiles/?q=" + "x" * 5000).status_code == 200


def test_each_item_of_an_inline_list_is_isolated(client, cycle, published):
    page = client.get("/profiles/", headers={"Accept-Language": "ar"}).text
    assert page.count("<bdi><a href=") == 6 + 6  # the profile's PDFs, the blank questionnaire's
    assert '<bdi><a href="/profiles/%d/FRA/ar.pdf" lang="ar"' % cycle.id in page


def test_the_list_queries_do_not_grow_with_the_profiles(client, cycle):
    factories.response("FRA", cycle, {}, "published")
    with count_queries() as one:
        client.get("/profiles/")
    for state in ("DEU", "KEN", "ARG"):
        factories.response(state, cycle, {}, "published")
    with count_queries() as four:
        client.get("/profiles/?region=150")
    assert len(one) == len(four)


def test_the_list_opens_with_a_map_of_the_published_states(client, cycle):
    for state in ("FRA", "KEN"):
        factories.response(state, cycle, {}, "published")
    factories.response("EGY", cycle, {}, "accepted")
    page = client.get("/profiles/").text
    published = re.findall(r'<a href="(/profiles/[A-Z]{3})" class="tilemap__link">\s*<g [^>]*data-state="([A-Z]{3})"', page)
    assert sorted(published) == [("/profiles/FRA", "FRA"), ("/profiles/KEN", "KEN")]
    assert page.count('data-category="published"') == 2 + 1  # two tiles and the legend
    assert re.search(r'<li data-category="">.*No published profile <span class="count">\(191\)', page)
    arabic = client.get("/profiles/", headers={"Accept-Language": "ar"}).text
    assert "الدول الأعضاء التي نُشر موجزها القطري" in arabic
    assert 'id="published-map"' not in client.get("/profiles/?q=fra").text  # a search shows the list alone
