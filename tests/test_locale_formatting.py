"""Numbers, dates and State names as readers of each language expect them (CLDR via Babel,
collation via ICU)."""
import pytest

from app.i18n import collation_key
from tests import factories

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
    ("zh", "阿富汗", "中国"), ("fr", "Égypte", "Espagne"), ("ru", "Казахстан", "КНДР"),
    ("ar", "إثيوبيا", "أذربيجان"), ("en", "Afghanistan", "Zimbabwe"),
])
def test_review_dashboard_lists_states_in_the_collation_order_of_the_language(
        client, login, cycle, language, first, second):
    login(factories.user("secretariat", locale=language))
    page = client.get("/review/").text
    assert 0 < page.index(f"{first} <span") < page.index(f"{second} <span")
