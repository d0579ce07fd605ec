"""The help page: the offline workbook, question numbers, refused saves and printing, in every
language, reachable from every page's header and without signing in."""
import pytest
from flask_babel import force_locale, gettext

from tests import factories

LANGUAGES = ("ar", "zh", "en", "fr", "ru", "es")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_help_page_explains_the_offline_workflow_in_each_language(client, language):
    page = client.get("/help", headers={"Accept-Language": language})
    assert page.status_code == 200
    with force_locale(language):
        for text in ("Working offline with a workbook", "Finding a question by its number",
                     "When a save or a submission is refused", "Printing and your own copy",
                     "Read the preview: each answer that would change, the current one beside the new one, "
                     "and any problem found. Nothing is saved until you confirm."):
            translated = gettext(text)
            assert translated in page.text.replace("&#39;", "'")
            assert language == "en" or translated != text
    assert 'src="/static/img/workbook-import-preview.png"' in page.text
    assert client.get("/static/img/workbook-import-preview.png").status_code == 200


def test_every_signed_in_page_links_to_help(client, login):
    login(factories.user("focal_point", "FRA"))
    assert '<a href="/help">Help</a>' in client.get("/").text
