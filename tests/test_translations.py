"""Every interface string exists in all six languages, and pages say which language they are in."""
import re
import shutil
import subprocess
import sys
from gettext import c2py
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

from tests import factories

ROOT = Path(__file__).parent.parent
LANGUAGES = ("ar", "es", "fr", "ru", "zh")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def catalog(language):
    with open(ROOT / "translations" / language / "LC_MESSAGES" / "messages.po", encoding="utf-8") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def source_messages(tmp_path_factory):
    """The msgids found in the code and templates right now."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
                    "-k", "_l", "-k", "lazy_gettext", "--no-location", "-o", str(pot), "."],
                   check=True, capture_output=True, cwd=ROOT)
    with open(pot, encoding="utf-8") as handle:
        return {message.id for message in read_po(handle) if message.id}


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_covers_every_string_in_the_code(language, source_messages):
    translated = {message.id for message in catalog(language) if message.id}
    missing = source_messages - translated
    assert not missing, f"run `make translations-update` and translate: {sorted(map(str, missing))[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_complete_not_fuzzy_and_keeps_placeholders(language):
    problems = []
    for message in catalog(language):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]}")
        for string in strings:
            if not string.strip():
                problems.append(f"untranslated: {ids[0]}")
            elif set(PLACEHOLDER.findall(string)) - set(PLACEHOLDER.findall(ids[-1])):
                problems.append(f"unknown placeholder: {ids[0]} -> {string}")
            elif len(strings) == 1 and set(PLACEHOLDER.findall(ids[0])) != set(PLACEHOLDER.findall(string)):
                problems.append(f"placeholder mismatch: {ids[0]} -> {string}")
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("language,direction,title", [
    ("ar", "rtl", "تسجيل الدخول"), ("zh", "ltr", "登录"), ("en", "ltr", "Log in"),
    ("fr", "ltr", "Se connecter"), ("ru", "ltr", "Войти"), ("es", "ltr", "Iniciar sesión"),
])
def test_pages_declare_language_and_direction(client, language, direction, title):
    page = client.get("/login", headers={"Accept-Language": language}).text
    assert f'<html lang="{language}" dir="{direction}">' in page
    assert title in page


def test_language_switcher_keeps_the_page_and_remembers_the_choice(client, login, cycle):
    user = login(factories.user("focal_point", "FRA"))
    url = f"/cycles/{cycle.id}/states/FRA/sections/data"
    response = client.post("/language", data={"lang": "ar", "next": url})
    assert response.location == url
    page = client.get(url).text
    assert 'lang="ar" dir="rtl"' in page
    assert "جمع البيانات" in page  # the section title from the definition, in Arabic
    assert user.locale == "ar"


def test_the_login_prompt_is_translated(client):
    response = client.get("/review/", headers={"Accept-Language": "fr"}, follow_redirects=True)
    assert "Veuillez vous connecter pour ouvrir cette page." in response.text


#: CLDR's plural categories in the order gettext catalogs number their forms.
CLDR_CATEGORIES = ("zero", "one", "two", "few", "many", "other")
REPLY_COUNT = ("%(num)d reply", "%(num)d replies")


def cldr_forms(language):
    """The categories whole numbers fall into in ``language``, in gettext's order."""
    rule = Locale(language).plural_form
    used = {rule(n) for n in range(1000)}
    return [category for category in CLDR_CATEGORIES if category in used]


def plural_index(po_catalog, n):
    """The form number the catalog's Plural-Forms header picks for ``n``."""
    return int(c2py(po_catalog.plural_expr)(n))


@pytest.mark.parametrize("language", LANGUAGES)
def test_plural_forms_header_agrees_with_cldr(language):
    """Babel's own Arabic rule swaps "many" (11-99) and "other" (100-102...); the header in
    the catalog must follow CLDR for every whole number, whatever wrote it."""
    po_catalog, forms = catalog(language), cldr_forms(language)
    assert po_catalog.num_plurals == len(forms)
    locale = Locale(language)
    wrong = [n for n in range(1000) if plural_index(po_catalog, n) != forms.index(locale.plural_form(n))]
    assert not wrong, f"{language}: Plural-Forms picks the wrong form for n = {wrong[:10]}"


@pytest.mark.parametrize("language", ("ar", "ru"))
@pytest.mark.parametrize("n", (0, 1, 2, 3, 11, 100))
def test_ngettext_uses_the_cldr_form(app, language, n):
    forms = cldr_forms(language)
    message = catalog(language)[REPLY_COUNT[0]]
    assert len(set(message.string)) == len(forms)  # distinct forms, or a swap would go unseen
    expected = message.string[forms.index(Locale(language).plural_form(n))] % {"num": n}
    with app.test_request_context(), force_locale(language):
        assert ngettext(*REPLY_COUNT, n) == expected


def test_make_translations_update_keeps_the_plural_forms_headers(tmp_path):
    copy = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", copy, ignore=shutil.ignore_patterns("*.mo"))
    subprocess.run(["make", "-s", "-o", ".venv/.installed", "translations-update", f"TRANSLATIONS={copy}",
                    f"BIN={Path(sys.executable).parent}"], cwd=ROOT, check=True, capture_output=True)
    for language in LANGUAGES:
        with open(copy / language / "LC_MESSAGES" / "messages.po", encoding="utf-8") as handle:
            updated = read_po(handle)
        assert updated.plural_forms == catalog(language).plural_forms
        assert not [message.id for message in updated if message.id and not message.string]


def test_every_file_with_interface_strings_is_extracted(tmp_path):
    """A template that Babel's configuration does not reach (an e-mail under a package's own
    templates folder did not) would keep its strings in English in every language."""
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
                    "-k", "_l", "-k", "lazy_gettext", "-o", str(pot), "."],
                   check=True, capture_output=True, cwd=ROOT)
    with open(pot, encoding="utf-8") as handle:
        extracted = {location for message in read_po(handle) for location, _line in message.locations}
    marked = {str(path.relative_to(ROOT)) for path in (ROOT / "app").rglob("*")
              if path.suffix in {".py", ".html", ".txt"} and path.is_file()
              and re.search(r"\b(_|_l|gettext|ngettext|lazy_gettext)\(\s*['\"]", path.read_text(encoding="utf-8"))}
    assert marked - extracted == set(), "babel.cfg does not extract these files"
