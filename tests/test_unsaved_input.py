"""Switching language on a questionnaire page keeps the user's unsaved input (app/stash)."""
import html
import re
from datetime import timedelta

from markupsafe import escape
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.responses.models import Revision
from app.stash import operations as stash
from app.stash.models import StashedForm
from tests import factories
from tests.helpers import checked_values, input_value, section_url, sign_in

NOT_SAVED_EN = "Your changes on this page are not saved yet."
NOT_SAVED_AR = "لم تُحفظ تغييراتك في هذه الصفحة بعد."


def switch_language(client, url, language, fields):
    """What a language button does on a section page: post the section form, with the ticket the
    page carries, to /language."""
    ticket = input_value(client.get(url).text, "editor")
    return client.post(f"/language?next={url}", data={**fields, "lang": language, "editor": ticket or ""})


def test_language_buttons_post_the_section_form(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    url = section_url(cycle, "criminalization")
    page = client.get(url).text
    assert 'id="section-form"' in page
    buttons = re.findall(r'<button[^>]*name="lang"[^>]*>', page)
    assert len(buttons) == 6
    assert all('form="section-form"' in b and f'formaction="/language?next={url}"' in b for b in buttons)


def test_switching_language_keeps_unsaved_answers_until_saved(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    url = section_url(cycle, "criminalization")
    client.post(url, data={"q_crim_offence": "yes", "q_crim_law": "Penal Code"})
    typed = {"q_crim_offence": "partly", "q_crim_law": "Code pénal, art. 225-4-1",
             "q_crim_forms": ["sexual", "organs"], "q_crim_max_penalty": "ten"}

    response = switch_language(client, url, "ar", typed)
    assert response.status_code == 302 and response.location == url
    page = client.get(url).text
    assert 'lang="ar" dir="rtl"' in page and NOT_SAVED_AR in page
    assert checked_values(page, "q_crim_offence") == ["partly"]
    assert input_value(page, "q_crim_law") == html.escape("Code pénal, art. 225-4-1", quote=True)
    assert checked_values(page, "q_crim_forms") == ["sexual", "organs"]
    assert input_value(page, "q_crim_max_penalty") == "ten"  # kept as typed, not validated yet
    assert db.session.scalar(select(func.count()).select_from(Revision)) == 1  # nothing was saved

    client.post(url, data={**typed, "q_crim_max_penalty": "10", "action": "save"})
    page = client.get(url).text
    assert NOT_SAVED_AR not in page
    assert input_value(page, "q_crim_law") == html.escape("Code pénal, art. 225-4-1", quote=True)
    assert db.session.scalar(select(func.count()).select_from(StashedForm)) == 0


def test_long_input_is_kept_in_the_database_not_the_cookie(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    url = section_url(cycle, "protection")
    description = "Des centres d'accueil spécialisés existent dans chaque région. " * 200  # ~12 KB
    response = switch_language(client, url, "zh", {"q_prot_description": description,
                                                   "q_prot_shelter": "yes"})
    assert len(response.headers.get("Set-Cookie", "")) < 4096
    page = client.get(url).text
    assert 'lang="zh"' in page and str(escape(description)) in page


def test_number_tables_and_repeated_fields_come_back_cell_by_cell(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    url = section_url(cycle, "data")
    switch_language(client, url, "ru", {"q_data_victims-2024-women": "12", "q_data_victims-2023-boys": "7",
                                        "q_data_body": "Министерство внутренних дел"})
    page = client.get(url).text
    assert input_value(page, "q_data_victims-2024-women") == "12"
    assert input_value(page, "q_data_victims-2023-boys") == "7"
    assert input_value(page, "q_data_victims-2024-men") == ""


def test_switching_without_changes_shows_no_notice(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    url = section_url(cycle, "criminalization")
    client.post(url, data={"q_crim_offence": "yes", "q_crim_law": "Penal Code"})
    switch_language(client, url, "fr", {"q_crim_offence": "yes", "q_crim_law": "Penal Code", "q_crim_forms": []})
    page = client.get(url).text
    assert "pas encore enregistrées" not in page and 'lang="fr"' in page
    # Reading the page writes nothing; the next save of the page drops what was kept.
    assert db.session.scalar(select(func.count()).select_from(StashedForm)) == 1
    client.post(url, data={"q_crim_offence": "yes"})
    assert db.session.scalar(select(func.count()).select_from(StashedForm)) == 0


def test_unsaved_input_can_be_discarded(client, login, cycle):
    login(factories.user("focal_point", "FRA"))
    url = section_url(cycle, "criminalization")
    client.post(url, data={"q_crim_law": "Penal Code"})
    switch_language(client, url, "en", {"q_crim_law": "Something else"})
    assert NOT_SAVED_EN in client.get(url).text
    page = client.post("/unsaved/discard", data={"next": url}, follow_redirects=True).text
    assert "Your unsaved changes were discarded." in page
    assert NOT_SAVED_EN not in page and input_value(page, "q_crim_law") == "Penal Code"


def test_only_pages_that_restore_input_get_a_stash_and_only_for_their_user(client, login, cycle):
    focal = login(factories.user("focal_point", "FRA"))
    switch_language(client, f"/cycles/{cycle.id}/states/FRA/", "es", {"anything": "x"})
    switch_language(client, "/login", "es", {"email": "someone@example.org"})
    assert db.session.scalar(select(func.count()).select_from(StashedForm)) == 0

    url = section_url(cycle, "criminalization")
    switch_language(client, url, "es", {"q_crim_law": "Ley 12"})
    login(factories.user("contributor", "FRA"))
    assert input_value(client.get(url).text, "q_crim_law") == ""
    login(focal)
    assert input_value(client.get(url).text, "q_crim_law") == "Ley 12"


def test_an_anonymous_stash_is_claimed_by_the_user_who_logs_in_again(app, cycle):
    """The API a form posted after the login expired can use: stash anonymously, claim later."""
    user = factories.user("focal_point", "FRA")
    url = section_url(cycle, "criminalization")
    stash.keep(user, url, MultiDict({"q_crim_law": "older input"}))
    anonymous = stash.keep(None, url, MultiDict({"q_crim_law": "posted after the login expired", "csrf_token": "x"}))
    assert anonymous.user_id is None and len(anonymous.token) >= 32
    assert stash.claim("not-the-token", user) is None
    claimed = stash.claim(anonymous.token, user)
    assert stash.find(user, url) is claimed
    assert claimed.formdata.to_dict() == {"q_crim_law": "posted after the login expired"}
    assert stash.claim(anonymous.token, factories.user("focal_point", "FRA")) is None  # only once


def _ticket(client, login, url):
    login(factories.user("focal_point", "FRA"))
    return input_value(client.get(url).text, "editor")


def test_anonymous_stashes_are_bounded_in_age_and_number(app, client, login, cycle, monkeypatch):
    """Posting a served form without a session stores the input; a flood of such posts cannot
    fill the database."""
    monkeypatch.setitem(app.config, "ANONYMOUS_STASH_LIMIT", 3)
    url = section_url(cycle, "criminalization")
    ticket = _ticket(client, login, url)
    stale = stash.keep(None, url, MultiDict({"q_crim_law": "from last week"}))
    stale.created_at -= timedelta(days=7)
    db.session.commit()
    for number in range(5):
        response = app.test_client().post(url, data={"q_crim_law": f"post {number}", "editor": ticket},
                                          headers={"Origin": "http://localhost"})
        assert response.status_code == 302 and "/login" in response.location
    kept = db.session.scalars(select(StashedForm).where(StashedForm.user_id.is_(None)).order_by(StashedForm.id)).all()
    assert [form.formdata["q_crim_law"] for form in kept] == ["post 2", "post 3", "post 4"]


def test_the_section_form_token_is_accepted_by_the_language_switcher(app, client, login, cycle, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    user = factories.user("focal_point", "FRA")
    login_page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    sign_in(client, user, fields={"csrf_token": token})
    url = section_url(cycle, "criminalization")
    token = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', client.get(url).text).group(1)
    assert switch_language(client, url, "ar", {"q_crim_law": "x"}).status_code == 400  # no token: refused
    assert switch_language(client, url, "ar", {"q_crim_law": "x", "csrf_token": token}).status_code == 302
    assert input_value(client.get(url).text, "q_crim_law") == "x"



def test_an_anonymous_post_stores_nothing_without_the_signature_of_a_served_form(app, client, login, cycle):
    """The attack: 7.5 MB posted anonymously to any address was stored, guarded only by Origin."""
    headers = {"Origin": "http://localhost"}
    big = {"q_crim_law": "x" * (7 * 1024 * 1024 + 512 * 1024)}
    for url in ("/cycles/9999/states/ZZZ/sections/x", section_url(cycle, "criminalization")):
        for fields in (big, {**big, "editor": "1"}, {"q_crim_law": "small", "editor": "forged.ticket"}):
            response = app.test_client().post(url, data=fields, headers=headers)
            assert response.status_code == 302 and "/login" in response.location
    # A genuine ticket is for one page: another page's, or another State's, stores nothing either.
    ticket = _ticket(client, login, section_url(cycle, "protection"))
    app.test_client().post(section_url(cycle, "criminalization"), data={"q_crim_law": "x", "editor": ticket},
                           headers=headers)
    app.test_client().post(section_url(cycle, "protection", "DEU"), data={"q_crim_law": "x", "editor": ticket},
                           headers=headers)
    assert db.session.scalar(select(func.count()).select_from(StashedForm)) == 0


def test_a_users_stashes_are_bounded_in_size_number_and_age(app, client, login, cycle, monkeypatch):
    monkeypatch.setitem(app.config, "UNSAVED_INPUT_PER_USER", 2)
    monkeypatch.setitem(app.config, "UNSAVED_INPUT_MAX_BYTES", 50_000)
    user = login(factories.user("focal_point", "FRA"))
    sections = ("criminalization", "protection", "data")
    for section in sections:
        switch_language(client, section_url(cycle, section), "fr", {"q_crim_law": section})
    kept = db.session.scalars(select(StashedForm.path).where(StashedForm.user_id == user.id)).all()
    assert sorted(kept) == sorted(section_url(cycle, section) for section in sections[1:])  # the oldest went

    switch_language(client, section_url(cycle, "criminalization"), "fr", {"q_crim_law": "x" * 60_000})
    assert stash.find(user, section_url(cycle, "criminalization")) is None  # too large to keep

    old = stash.find(user, section_url(cycle, "data"))
    old.created_at -= timedelta(days=31)
    db.session.commit()
    assert stash.find(user, section_url(cycle, "data")) is None


def test_the_language_switch_keeps_input_only_for_a_page_the_user_reached(client, login, cycle):
    """Without the page's ticket (a crafted post naming any address), nothing is stored."""
    login(factories.user("focal_point", "FRA"))
    for page in ("/cycles/9999/states/ZZZ/sections/x", section_url(cycle, "criminalization", "DEU"),
                 section_url(cycle, "criminalization")):
        client.post(f"/language?next={page}", data={"q_crim_law": "x" * 100_000, "lang": "fr", "editor": "1"})
    assert db.session.scalar(select(func.count()).select_from(StashedForm)) == 0
