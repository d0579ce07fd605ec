"""Every main page, and every error page, reads entirely in each of the six languages."""
import re
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po

from app.extensions import db
from tests import factories
from tests.helpers import overview_url, section_url

ROOT = Path(__file__).parent.parent
QUESTIONNAIRE = ROOT / "tests" / "fixtures" / "questionnaires" / "test-questionnaire.yaml"
LANGUAGES = ("ar", "en", "es", "fr", "ru", "zh")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
#: Attributes a user reads or hears (screen readers), besides the text itself.
READ_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")


class PageText(HTMLParser):
    """The strings of a page a user reads: text nodes and read attributes, whitespace folded."""

    def __init__(self, html):
        super().__init__()
        self.strings, self._skip = [], 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")
        self.strings += [" ".join(value.split()) for name, value in attrs if name in READ_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip and data.split():
            self.strings.append(" ".join(data.split()))


def _read_catalog(path):
    with open(path, encoding="utf-8") as handle:
        return read_po(handle)


def english_sources(language):
    """Patterns of the English texts (catalog msgids and the questionnaire's texts) that
    ``language`` says differently, and of the questionnaire's citations as written ("Protocol
    art. 5(1)", "000 §6"), which every language cites in its own words; a text that is the same
    in both, such as a name, is never reported."""
    texts = _catalog_sources(language) | _questionnaire_sources(language) | _citations_as_written()
    return {text: _pattern(text) for text in texts}


def _catalog_sources(language):
    translations = _read_catalog(ROOT / "translations" / language / "LC_MESSAGES" / "messages.po")
    sources = set()
    for message in translations:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        sources |= {msgid for msgid in ids if msgid and msgid not in strings and _has_words(msgid)}
    return sources


def _has_words(msgid):
    """Placeholders and punctuation alone ("%(name)s (%(organisation)s)") are no English text,
    and their pattern would match any text in brackets."""
    return re.search(r"[^\W\d_]", PLACEHOLDER.sub("", msgid)) is not None


def _questionnaire_sources(language):
    """Every text of the test questionnaire in English: the value of ``en`` in each mapping
    that also holds ``language``."""
    sources, pending = set(), [yaml.safe_load(QUESTIONNAIRE.read_text(encoding="utf-8"))]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            if isinstance(node.get("en"), str) and node.get(language) not in (None, node["en"]):
                sources.add(" ".join(node["en"].split()))
            pending.extend(node.values())
        elif isinstance(node, list):
            pending.extend(node)
    return sources


def _citations_as_written():
    definition = yaml.safe_load(QUESTIONNAIRE.read_text(encoding="utf-8"))
    questions = [q for section in definition["sections"] for q in section["questions"]]
    return {text for q in questions for text in [*q.get("sources", []), q.get("provision")] if text}


def _pattern(msgid):
    """A regex for the msgid as rendered; one-word msgids only match a whole string."""
    parts = [re.escape(part) for part in PLACEHOLDER.split(msgid)]
    body = r".+?".join(parts)
    words = sum(len(part.split()) for part in PLACEHOLDER.split(msgid))
    return re.compile(rf"(?<![\w-]){body}(?![\w-])" if words > 1 else rf"^{body}$")


def untranslated(html, language):
    strings = PageText(html).strings
    return sorted({msgid for msgid, pattern in english_sources(language).items()
                   if any(pattern.search(text) for text in strings)})


def check_page(response, language, status=200):
    assert response.status_code == status, response.text[:500]
    direction = "rtl" if language == "ar" else "ltr"
    assert f'<html lang="{language}" dir="{direction}">' in response.text
    if language != "en":
        assert untranslated(response.text, language) == []


def test_the_check_finds_english_left_on_a_page():
    page = ('<html><title>Historique</title><p>Revision 3</p><p>12 of 14 answered</p>'
            '<button aria-label="Log out">x</button><p>Statut : brouillon</p><th>Girls</th></html>')
    assert untranslated(page, "fr") == ["%(answered)d of %(total)d answered", "%(answered)s of %(applicable)s",
                                        "Girls", "Log out", "Revision %(number)d"]


def test_the_check_finds_citations_left_as_written():
    page = '<p class="sources">来源： <bdi>Protocol art. 5(1)</bdi>；<bdi>000 §6</bdi></p>'
    assert untranslated(page, "zh") == ["000 §6", "Protocol art. 5(1)"]
    assert untranslated('<p>来源： 《议定书》第5条第1款；工作组2009年报告第6段</p>', "zh") == []


@pytest.fixture
def returned_response(client, login, cycle):
    """France's response, filled in, submitted and returned with comments; a fixed deadline."""
    cycle.closes_on = date(2099, 3, 31)
    db.session.commit()
    focal = login(factories.user("focal_point", "FRA"))
    client.post(section_url(cycle, "criminalization"), data={"q_crim_offence": "yes", "q_crim_law": "Act 12"})
    client.post(section_url(cycle, "protection"), data={"q_prot_shelter": "yes", "q_prot_shelter_places": "40"})
    client.post(section_url(cycle, "data"), data={"q_data_victims-2024-women": "12345"})
    assert client.post(overview_url(cycle) + "submit").status_code == 302
    secretariat = login(factories.user("secretariat", name="Grace Mensah"))  # a name, not the English word
    for question_id, body in (("crim_law", "Which article?"), ("prot_shelter", "How many shelters?")):
        client.post(overview_url(cycle) + "comments/", data={"question_id": question_id, "body": body})
    client.post(f"/review/cycles/{cycle.id}/states/FRA/return", data={"comment": "Please cite the articles."})
    return focal, secretariat


def _as(client, login, user, language):
    """Log ``user`` in with ``language`` as their preference. The messages flashed before (in
    the language of that time, as a real user would have seen them) are dropped."""
    user.locale = language
    db.session.commit()
    login(user)
    with client.session_transaction() as session:
        session.pop("_flashes", None)


@pytest.mark.parametrize("language", LANGUAGES)
def test_state_pages_in_every_language(client, login, cycle, returned_response, language):
    focal, _ = returned_response
    _as(client, login, focal, language)
    for url in ("/", overview_url(cycle), section_url(cycle, "criminalization"), section_url(cycle, "data"),
                overview_url(cycle) + "history", overview_url(cycle) + "revisions/2",
                overview_url(cycle) + "assignments/", "/notifications/"):
        check_page(client.get(url), language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_secretariat_pages_in_every_language(client, login, cycle, returned_response, language):
    _, secretariat = returned_response
    _as(client, login, secretariat, language)
    for url in ("/analysis/", f"/analysis/?cycle={cycle.id}&status=returned", f"/review/cycles/{cycle.id}/states/FRA",
                "/cycles/", "/notifications/", overview_url(cycle) + "assignments/"):
        check_page(client.get(url), language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_login_pages_in_every_language(client, cycle, language):
    headers = {"Accept-Language": language}
    check_page(client.get("/login", headers=headers), language)
    # Sent to the login page from a page that needs it, with a message saying so.
    check_page(client.get(overview_url(cycle), headers=headers, follow_redirects=True), language)
    wrong = client.post("/login", data={"email": "nobody@example.org", "password": "x"}, headers=headers)
    check_page(wrong, language)


@pytest.mark.parametrize("language", LANGUAGES)
def test_error_pages_in_every_language_keep_the_layout(app, client, login, cycle, monkeypatch, language):
    _as(client, login, factories.user("focal_point", "FRA"), language)
    pages = [(client.get("/no-such-page"), 404), (client.get("/review/"), 403),
             (client.get(f"/cycles/{cycle.id}/states/DEU/"), 404)]
    monkeypatch.setitem(app.view_functions, "main.home", lambda: 1 / 0)
    pages.append((client.get("/"), 500))
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    pages.append((client.post(section_url(cycle, "data"), data={"q_data_body": "x"}), 400))
    for response, status in pages:
        check_page(response, language, status)
        assert 'class="site-header"' in response.text and 'class="language-switcher"' in response.text


@pytest.mark.parametrize("language", LANGUAGES)
def test_logging_out_keeps_the_language_the_user_worked_in(client, login, language):
    _as(client, login, factories.user("focal_point", "FRA"), language)
    page = client.post("/logout", follow_redirects=True)
    check_page(page, language)
