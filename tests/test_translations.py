"""Every interface string exists in all six languages, and pages say which language they are in."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

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
                    "-k", "_l", "-k", "lazy_gettext", "--no-location", "-o", str(pot), str(ROOT)],
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
