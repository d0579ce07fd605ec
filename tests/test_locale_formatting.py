"""Numbers, dates and State names as readers of each language expect them (numbers and dates
from CLDR via Babel, UN official State names, collation via ICU)."""
import re
from datetime import date

import pytest

from app.i18n import collation_key
from tests import factories
from tests.helpers import overview_url, section_url

#: Pairs in the order of each language; a code point sort gets every one of them wrong.
COLLATION_ORDER = {
    "zh": ["阿富汗", "德国", "法国", "中国"],  # pinyin: A, D, F, Z
    "fr": ["Bénin", "Bhoutan", "Égypte", "Espagne", "Éthiopie"],  # accents count only on a tie
    "ru": ["Казахстан", "КНДР", "Япония"],  # case counts only on a tie
    "ar": ["إثيوبيا", "أذربيجان", "ألبانيا", "مصر"],  # hamza forms of alif are one letter
    "es": ["Bélgica", "Belice", "Benín"],
}


@pytest.mark.parametrize("language", sorted(COLLATION_ORDER))
def test_collation_key_sorts_names_in_the_order_of_the_language(language):
    expected = COLLATION_ORDER[language]
    assert sorted(expected) != expected  # the naive order differs, so this test means something
    assert sorted(reversed(expected), key=collation_key(language)) == expected


@pytest.mark.parametrize("language,first,second", [
    ("zh", "阿富汗", "中国"), ("fr", "Égypte", "Espagne"), ("ar", "إثيوبيا", "أذربيجان"),
    ("ru", "Казахстан", "Корейская Народно-Демократическая Республика"), ("en", "Afghanistan", "Zimbabwe"),
])
def test_review_dashboard_lists_states_in_the_collation_order_of_the_language(
        client, login, cycle, language, first, second):
    login(factories.user("secretariat", locale=language))
    page = client.get("/analysis/").text
    assert 0 < page.index(f">{first} <span") < page.index(f">{second} <span")


@pytest.mark.parametrize("language,state,deadline,number", [
    ("en", "France", "March 31, 2099", "12,345"),
    ("fr", "France", "31 mars 2099", "12\u202f345"),
    ("es", "Francia", "31 de marzo de 2099", "12.345"),
    ("ru", "Франция", "31 марта 2099\u202fг.", "12\xa0345"),
    ("zh", "法国", "2099年3月31日", "12,345"),
    ("ar", "فرنسا", "31 مارس 2099", "12,345"),
])
def test_state_names_dates_and_numbers_follow_the_language(client, login, cycle, language, state, deadline, number):
    cycle.closes_on = date(2099, 3, 31)
    login(factories.user("focal_point", "FRA", locale=language))
    client.post(section_url(cycle, "data"), data={"q_data_victims-2024-women": "12345"})
    overview = client.get(overview_url(cycle)).text
    assert f"<h1>{state}</h1>" in overview and deadline in overview
    assert re.search(rf"<td>\s*{number}\s*</td>", client.get(overview_url(cycle) + "revisions/1").text)
