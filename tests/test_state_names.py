"""State names are the UN official short names (app/states/un_official_names.yaml): every Member
State named in each of the six UN languages, the official name served where CLDR's colloquial
one differs, and pages that show the names in the reader's language and collation order."""
import unicodedata
from html.parser import HTMLParser

import pytest

from app.i18n import collation_key
from app.states.names import cldr_codes, cldr_name, member_state_codes, official_names, state_name
from tests import factories

LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")

#: (State, language, CLDR's colloquial name, the UN official short name) where the two differ.
CLDR_DIFFERENCES = [
    ("RUS", "en", "Russia", "Russian Federation"),
    ("RUS", "fr", "Russie", "Fédération de Russie"),
    ("RUS", "es", "Rusia", "Federación de Rusia"),
    ("RUS", "ru", "Россия", "Российская Федерация"),
    ("RUS", "ar", "روسيا", "الاتحاد الروسي"),
    ("RUS", "zh", "俄罗斯", "俄罗斯联邦"),
    ("COD", "en", "Congo - Kinshasa", "Democratic Republic of the Congo"),
    ("COD", "fr", "Congo-Kinshasa", "République démocratique du Congo"),
    ("COG", "en", "Congo - Brazzaville", "Congo"),
    ("PRK", "en", "North Korea", "Democratic People's Republic of Korea"),
    ("PRK", "ru", "КНДР", "Корейская Народно-Демократическая Республика"),
    ("PRK", "zh", "朝鲜", "朝鲜民主主义人民共和国"),
    ("KOR", "en", "South Korea", "Republic of Korea"),
    ("KOR", "zh", "韩国", "大韩民国"),
    ("IRN", "en", "Iran", "Iran (Islamic Republic of)"),
    ("IRN", "zh", "伊朗", "伊朗伊斯兰共和国"),
    ("VNM", "en", "Vietnam", "Viet Nam"),
    ("VNM", "ar", "فيتنام", "فييت نام"),
    ("MMR", "en", "Myanmar (Burma)", "Myanmar"),
    ("KNA", "en", "St. Kitts & Nevis", "Saint Kitts and Nevis"),
    ("BOL", "en", "Bolivia", "Bolivia (Plurinational State of)"),
    ("VEN", "es", "Venezuela", "Venezuela (República Bolivariana de)"),
    ("SYR", "en", "Syria", "Syrian Arab Republic"),
    ("LAO", "en", "Laos", "Lao People's Democratic Republic"),
    ("MDA", "en", "Moldova", "Republic of Moldova"),
    ("TZA", "en", "Tanzania", "United Republic of Tanzania"),
    ("FSM", "en", "Micronesia", "Micronesia (Federated States of)"),
    ("NLD", "en", "Netherlands", "Netherlands (Kingdom of the)"),
    ("CPV", "en", "Cape Verde", "Cabo Verde"),
    ("TUR", "fr", "Turquie", "Türkiye"),
    ("GBR", "en", "United Kingdom", "United Kingdom of Great Britain and Northern Ireland"),
    ("GBR", "fr", "Royaume-Uni", "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord"),
    ("GBR", "ru", "Великобритания", "Соединенное Королевство Великобритании и Северной Ирландии"),
    ("GBR", "zh", "英国", "大不列颠及北爱尔兰联合王国"),
    ("USA", "en", "United States", "United States of America"),
    ("USA", "es", "Estados Unidos", "Estados Unidos de América"),
    ("USA", "ar", "الولايات المتحدة", "الولايات المتحدة الأمريكية"),
    ("USA", "zh", "美国", "美利坚合众国"),
    ("CIV", "ar", "ساحل العاج", "كوت ديفوار"),
    ("CZE", "ar", "التشيك", "تشيكيا"),
]

#: The Unicode script each language's names are written in (letters only: spaces, hyphens,
#: apostrophes and brackets are common to all).
SCRIPTS = {"ar": ("ARABIC",), "en": ("LATIN",), "es": ("LATIN",), "fr": ("LATIN",), "ru": ("CYRILLIC",),
           "zh": ("CJK UNIFIED IDEOGRAPH",)}


def alpha2(code: str) -> str:
    return cldr_codes(code)[0]


def names_in(language: str) -> dict[str, str]:
    return {code: names.get(language) for code, names in official_names().items()}


def test_the_file_names_exactly_the_193_member_states_in_the_six_languages():
    assert len(member_state_codes()) == 193
    assert list(official_names()) == list(member_state_codes())
    assert {code for code, names in official_names().items() if sorted(names) != list(LANGUAGES)} == set()


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_member_state_has_a_name_in_each_language(language):
    served = {code: state_name(alpha2(code), language) for code in member_state_codes()}
    assert {code for code, name in served.items() if not isinstance(name, str) or not name.strip()} == set()
    assert served == names_in(language)
    assert len(set(served.values())) == 193  # no two States share a name


@pytest.mark.parametrize("code,language,colloquial,official", CLDR_DIFFERENCES)
def test_the_official_name_is_served_where_cldr_differs(code, language, colloquial, official):
    assert cldr_name(alpha2(code), language) == colloquial, "CLDR changed: update CLDR_DIFFERENCES"
    assert state_name(alpha2(code), language) == official != colloquial


@pytest.mark.parametrize("language", LANGUAGES)
def test_names_are_typed_cleanly_in_the_script_of_their_language(language):
    names = names_in(language).values()
    assert [name for name in names if name != name.strip() or "  " in name] == []
    letters = {char for name in names for char in name if char.isalpha()}
    assert {char for char in letters if not unicodedata.name(char).startswith(SCRIPTS[language])} == set()


def test_russian_names_are_written_with_e_not_yo():
    assert [name for name in names_in("ru").values() if "ё" in name.lower()] == []


def test_chinese_names_have_no_ascii_spaces_or_brackets():
    assert [name for name in names_in("zh").values() if set(name) & set(" ()")] == []


def test_other_territories_and_languages_fall_back_to_cldr():
    assert state_name("HK", "en") == cldr_name("HK", "en") == "Hong Kong SAR China"
    assert state_name("RU", "de") == "Russland"
    assert state_name("RU", "zh_Hans") == "俄罗斯联邦"
    assert state_name("QQ", "en") == "QQ"


class _Texts(HTMLParser):
    """The text of each ``tag`` element inside an element whose ``attribute`` holds ``value``."""

    def __init__(self, tag: str, attribute: str, value: str):
        super().__init__(convert_charrefs=True)
        self.tag, self.attribute, self.value = tag, attribute, value
        self.open, self.texts = [], []  # open: (tag, inside the wanted element, is a wanted tag)

    def handle_starttag(self, tag, attrs):
        marked = self.value in (dict(attrs).get(self.attribute) or "").split()
        within = marked or any(inside for _, inside, _ in self.open)
        wanted = tag == self.tag and within and not any(found for _, _, found in self.open)
        self.open.append((tag, within, wanted))
        if wanted:
            self.texts.append("")

    def handle_endtag(self, tag):
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if any(found for _, _, found in self.open):
            self.texts[-1] += data


def texts(html: str, tag: str, attribute: str, value: str) -> list[str]:
    reader = _Texts(tag, attribute, value)
    reader.feed(html)
    return [" ".join(text.split()) for text in reader.texts]


@pytest.mark.parametrize("language,russia,colloquial", [("en", "Russian Federation", "Russia"),
                                                        ("fr", "Fédération de Russie", "Russie")])
def test_the_invitation_form_offers_official_names_in_collation_order(client, login, language, russia, colloquial):
    login(factories.user("secretariat", locale=language))
    states = texts(client.get("/invitations/").text, "option", "name", "state")[1:]  # after "None"
    assert russia in states and colloquial not in states
    assert sorted(states) == sorted(names_in(language).values())
    assert states == sorted(states, key=collation_key(language))


@pytest.mark.parametrize("language,expected", [
    ("en", ["Russian Federation RUS", "United States of America USA"]),
    ("fr", ["États-Unis d'Amérique USA", "Fédération de Russie RUS"]),  # É sorts with E, not after Z
])
def test_the_public_profiles_list_official_names_in_collation_order(client, cycle, language, expected):
    for code in ("RUS", "USA"):
        factories.response(code, cycle, {"data_body": "Statistics office"}, status="published")
    page = client.get("/profiles/", headers={"Accept-Language": language}).text
    assert texts(page, "td", "class", "profile-list")[::4] == expected  # each row: name, region, cycle, downloads
