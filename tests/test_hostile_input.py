"""Hostile text written wherever a user writes (answers, laws, comments, replies, names,
ministries, file names) is shown as text wherever it is read back: never a live tag, attribute
or link, never evaluated as a template. Exports, API, PDF and e-mail: test_hostile_exports.py;
malformed posts: test_hostile_posts.py."""
import io
import re
from html import unescape
from urllib.parse import unquote

import pytest
from werkzeug.http import parse_options_header

from app.attachments.models import Attachment
from app.extensions import db
from app.responses.models import Response
from app.responses.operations import answers_at
from tests import factories
from tests.helpers import field_errors, input_value, overview_url, section_url, sign_in
from tests.hostile import HTML_PAYLOADS, PDF_BYTES, assert_inert, clip, hostile_world, page_text, payload_params
from tests.workflow_helpers import review_url


def _unsafe(html: str, markers, shown) -> str | None:
    """Why the page is not safe, or None."""
    try:
        for fragment in shown:
            assert_inert(html, fragment, markers)
    except AssertionError as error:
        return str(error)
    return None


def _check(client, places: dict, markers) -> None:
    problems = {}
    for name, (url, shown) in places.items():
        response = client.get(url)
        problem = f"status {response.status_code}" if response.status_code != 200 else \
            _unsafe(response.text, markers, shown)
        if problem:
            problems[name] = problem
    assert problems == {}


@pytest.mark.parametrize("payload,markers", payload_params())
def test_the_states_pages_show_hostile_text_as_text(client, login, outbox, payload, markers):
    world = hostile_world(client, login, outbox, payload)
    cycle, name, short = world.cycle, clip(payload, 200), clip(payload, 500)
    _check(client, {
        "section (short text, law, threads, author)": (section_url(cycle, "criminalization"), [short, name, payload]),
        "section (long text)": (section_url(cycle, "protection"), [payload]),
        "overview (general comment)": (overview_url(cycle), [payload]),
        "history (author)": (overview_url(cycle) + "history", [name]),
        "revision": (overview_url(cycle) + "revisions/5", [payload, short]),
        "comparison of revisions": (overview_url(cycle) + "compare?a=2&b=4", [payload]),
    }, markers)
    login(world.focal)
    _check(client, {"sections and contributors": (overview_url(cycle) + "assignments/", [name])}, markers)


@pytest.mark.parametrize("payload,markers", payload_params())
def test_the_secretariats_pages_show_hostile_text_as_text(client, login, outbox, payload, markers):
    world = hostile_world(client, login, outbox, payload)
    login(world.secretariat)
    name, short = clip(payload, 200), clip(payload, 500)
    _check(client, {
        "review": (review_url(world.cycle), [payload, short, name]),
        "notifications": ("/notifications/", [name]),
    }, markers)
    login(factories.user("admin"))
    _check(client, {"users": ("/admin/users", [name])}, markers)


def _stored(question_id):
    return answers_at(db.session.scalar(db.select(Response.id))).get(question_id)


@pytest.fixture
def focal(client, login, cycle):
    return login(factories.user("focal_point", "FRA"))


def _law(url="", **extra):
    return {"q_crim_offence": "yes", "q_crim_law": "Penal Code", "q_crim_laws-0-title": "Code pénal",
            "q_crim_laws-0-url": url, **extra}


def _links(html: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'<a\b[^>]*\bhref="([^"]*)"', html)]


def _no_script_link(html: str) -> None:
    assert not [href for href in _links(html) if not href.startswith(("/", "#", "https://", "http://"))]


@pytest.mark.parametrize("url", [
    "javascript:alert(1)", "JavaScript:alert(document.cookie)", "  javascript:alert(1)", "java\tscript:alert(1)",
    "javascript://example.org/%0aalert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
    "//attacker.example/law", "https:alert(1)", "file:///etc/passwd", "https://example.org/law text",
])
def test_a_law_link_that_is_no_web_address_is_refused_beside_it(client, focal, cycle, url):
    response = client.post(section_url(cycle, "criminalization"), data=_law(url))
    assert response.status_code == 422
    assert field_errors(response.text) == ["Law 1: enter a web address that starts with http:// or https://."]
    assert _stored("crim_law") == "Penal Code" and _stored("crim_laws") is None
    _no_script_link(response.text)


@pytest.mark.parametrize("url,marker", [
    ('https://example.org/"onmouseover="alert(1)', '"onmouseover="'),
    ("https://example.org/<script>alert(1)</script>", "<script>alert"),
    ("https://example.org/'><svg/onload=alert(1)>", "<svg/onload"),
])
def test_a_web_address_carrying_markup_is_an_escaped_link(client, focal, login, cycle, url, marker):
    assert client.post(section_url(cycle, "criminalization"), data=_law(url)).status_code == 302
    login(factories.user("secretariat"))
    for page in (section_url(cycle, "criminalization"), overview_url(cycle) + "revisions/1"):
        html = client.get(page).text
        assert marker not in html and url in _links(html) and url in page_text(html)


def test_a_stored_link_that_is_no_web_address_is_shown_but_never_linked(client, login, cycle):
    """Answers also arrive without the form (prefilled from an earlier cycle, restored from a
    backup): the page links only web addresses, whatever is stored."""
    laws = [{"title": "Code pénal", "article": None, "adopted": None, "status": None,
             "url": "javascript:alert(1)", "attachment": None}]
    factories.response("FRA", cycle, {"crim_offence": "yes", "crim_laws": laws}, status="submitted")
    login(factories.user("secretariat"))
    for page in (review_url(cycle) + "?section=criminalization", overview_url(cycle) + "revisions/2",
                 section_url(cycle, "criminalization")):
        html = client.get(page).text
        _no_script_link(html)
        assert "javascript:alert(1)" in page_text(html)


def _upload(client, cycle, name: str, content: bytes = PDF_BYTES):
    """As a browser sends it: a file name's quotes and line breaks percent-encoded (HTML's
    multipart/form-data encoding), all else as is."""
    name = name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
    return client.post(section_url(cycle, "criminalization"), content_type="multipart/form-data",
                       data=_law("", **{"q_crim_laws-0-file": (io.BytesIO(content), name)}))


@pytest.mark.parametrize("name", [
    "<script>alert(1)</script>.pdf", '"><img src=x onerror=alert(1)>.pdf', "x' onmouseover='alert(1).pdf",
    'law"; filename="evil.exe', "law\r\nContent-Type: text/html\r\n\r\n<b>x</b>.pdf", "law\x00.exe.pdf",
    "..\\..\\static\\js\\app.js", "loi\u202efdp.exe", "{{7*7}}.pdf", "&lt;b&gt;.pdf", "a" * 1000 + ".pdf",
])
def test_an_uploaded_file_name_is_cleaned_escaped_and_sent_back_as_a_download(client, focal, cycle, name):
    assert _upload(client, cycle, name).status_code == 302
    attachment = db.session.scalar(db.select(Attachment))
    stored = attachment.filename
    assert not re.search(r'[\x00-\x1f\x7f<>"\\/\u202a-\u202e\u2066-\u2069]', stored) and len(stored) <= 160
    html = client.get(section_url(cycle, "criminalization")).text
    assert stored in page_text(html) and "<img" not in html and "<script>alert" not in html
    header = client.get(f"/attachments/{attachment.id}").headers["Content-Disposition"]
    disposition, names = parse_options_header(header)
    assert disposition == "attachment" and set(names) <= {"filename", "filename*"}
    assert unquote(names.get("filename*", "''" + names["filename"]).partition("''")[2]) == stored


@pytest.mark.parametrize("content,name", [
    (b"<html><body><script>alert(document.cookie)</script></body></html>", "law.pdf"),
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "law.svg"),
    (b"<?xml version='1.0'?><x:script xmlns:x='http://www.w3.org/1999/xhtml'>alert(1)</x:script>", "law.xhtml"),
])
def test_markup_uploaded_as_a_law_is_kept_only_as_plain_text_sent_as_a_download(client, focal, cycle, content, name):
    assert _upload(client, cycle, name, content).status_code == 302
    attachment = db.session.scalar(db.select(Attachment))
    assert attachment.media_type == "text/plain" and attachment.filename.endswith(".txt")
    download = client.get(f"/attachments/{attachment.id}")
    assert download.mimetype == "text/plain" and download.headers["Content-Disposition"].startswith("attachment;")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download.headers["Content-Security-Policy"]


@pytest.mark.parametrize("old,new", [
    ("<b>bold</b> text", "<img src=x onerror=alert(1)> text"), ("<scr", "<script>alert(1)</script>"),
    ("ipt>alert(1)", "<script>alert(1)</script>"), ('Act "12"', 'Act "12" onmouseover="alert(1)'),
    ("&lt;b&gt;", "&amp;lt;b&amp;gt;"), ("</textarea>", "</textarea><b>x</b>"),
])
def test_marking_the_changed_words_cannot_assemble_markup(client, focal, cycle, old, new):
    for text in (old, new):
        client.post(section_url(cycle, "protection"), data={"q_prot_description": text})
        client.post(section_url(cycle, "criminalization"), data={
            "q_crim_offence": "yes", "q_crim_law": text, "q_crim_laws-0-title": text})
    html = client.get(overview_url(cycle) + "compare?a=2&b=4").text
    marks = re.findall(r"<(ins|del)\b[^>]*>(.*?)</\1>", html, re.S)
    assert marks and not [inner for _, inner in marks if "<" in inner]  # marks hold text only
    assert not re.search(r"<(img|script|b)\b|onmouseover=\"", html.split('<main id="content"')[1])
    sides = [unescape(re.sub(r"</?(ins|del)>", "", side))
             for side in re.findall(r'<(?:div|span) class="diff__text" dir="auto">(.*?)</(?:div|span)>', html, re.S)]
    assert sides == [old, new] * 2  # the short and the long text, each side read as it was written


@pytest.mark.parametrize("payload,markers", payload_params(HTML_PAYLOADS))
def test_a_conflict_shows_both_answers_and_their_author_as_text(app, client, focal, cycle, payload, markers):
    url, other = section_url(cycle, "protection"), app.test_client()
    author = factories.user("contributor", "FRA", name=clip(payload, 200))
    sign_in(other, author)
    client.post(url, data={"q_prot_description": "Shelters."})
    other.post(url, data={"q_prot_description": "Theirs " + payload, "v_prot_description": "1"})
    mine = {"q_prot_description": "Mine " + payload, "v_prot_description": "1"}
    page = client.post(url, data=mine)
    fragment = client.post(url, data=mine, headers={"Accept": "application/json"}).json["conflicts"]
    for html in (page.text, fragment["prot_description"]):  # the fragment goes into the page as HTML
        for shown in ("Theirs " + payload, "Mine " + payload, clip(payload, 200)):
            assert_inert(html, shown, markers)


@pytest.mark.parametrize("payload,markers", payload_params(HTML_PAYLOADS))
def test_input_kept_across_a_new_login_is_shown_as_text(client, focal, login, cycle, payload, markers):
    ticket = input_value(client.get(section_url(cycle, "protection")).text, "editor")  # the page's form has it
    client.post("/logout")
    assert client.post(section_url(cycle, "protection"), data={"q_prot_description": payload,
                                                               "editor": ticket}).status_code == 302
    login(focal)
    html = client.get(section_url(cycle, "protection")).text
    assert "unsaved-notice" in html
    assert_inert(html, payload, markers)
