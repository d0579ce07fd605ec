"""Hostile text for the tests of tests/test_hostile_*.py: the payloads, a response that carries
one payload in every place a user writes text, and the check that a page shows it as text only.

A payload is shown inert when the page's text (entities decoded, as a browser reads it) holds it
and the raw HTML holds none of its live markers: had the payload been written unescaped, or
only partly escaped, a marker (``<img src=x onerror``, ``" autofocus onfocus=``...) would be
there verbatim."""
import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest

from app.auth.models import User
from app.extensions import db
from tests import factories
from tests.helpers import overview_url, section_url
from tests.workflow_helpers import comment, return_for_clarification, review_url, submit

PASSPHRASE = "violet kettle harbour ninety"
PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

#: id: (payload, its live markers).
PAYLOADS = {
    "script": ("<script>alert(1)</script>", ("<script>alert",)),
    "event-handler": ('"><img src=x onerror=alert(1)>', ("<img src=x onerror",)),
    "quote-breakout": ('" autofocus onfocus="alert(1)', ('" autofocus onfocus=',)),
    "single-quote": ("'><svg onload=alert(1)>", ("<svg onload",)),
    "javascript-link": ('<a href="javascript:alert(1)">link</a>', ('<a href="javascript:',)),
    "style": ("<style>body{display:none}</style>", ("<style>body{display:none",)),
    "textarea-break": ("</textarea><b>x</b>", ("</textarea><b>", "<b>x</b>")),
    "template": ("{{7*7}} {% print 7*7 %} ${7*7}", ()),
    "entities": ("&lt;script&gt; &amp; &#60;b&#62;", ()),  # must not be decoded once more
    "right-to-left": ("Act \u202eexe.fdp\u202c \u2067rtl\u2069 end", ()),
    "nul": ("before\x00after", ()),
    "long": (" ".join(["<script>alert(1)</script>"] * 380), ("<script>alert",)),  # 9,879 characters
}
#: The payloads that are HTML: for the slower places (PDF, e-mail), one of each kind is enough.
HTML_PAYLOADS = ("script", "event-handler", "quote-breakout", "textarea-break", "entities")


def payload_params(ids=None):
    return [pytest.param(*PAYLOADS[key], id=key) for key in (ids or PAYLOADS)]


class _Reader(HTMLParser):
    """The text of a page as a browser shows it: text nodes and attribute values, decoded."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        self.parts.extend(value for _, value in attrs if value)

    def handle_data(self, data):
        self.parts.append(data)


def page_text(html: str) -> str:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return "\n".join(reader.parts)


def assert_inert(html: str, payload: str, markers) -> None:
    """``payload`` is on the page as text, and no live marker of it is in the HTML."""
    for marker in markers:
        assert marker not in html, f"live markup in the page: {marker!r}"
    # NUL characters are dropped as requests come in (app/security.py).
    assert payload.replace("\x00", "") in page_text(html), "the payload is not shown as text"


def clip(payload: str, limit: int) -> str:
    return payload[:limit].strip()


@dataclass
class World:
    """A response of France in which a contributor named with the payload wrote it everywhere."""

    cycle: object
    focal: User
    contributor: User
    secretariat: User


def _invitation_link(outbox) -> str:
    return re.search(r"http://localhost(/invitations/accept/\S+)", outbox[-1].body).group(1)


def join_as_contributor(client, login, outbox, name: str, organisation: str) -> User:
    """The focal point invites a contributor, who accepts with ``name`` and ``organisation``."""
    login(db.session.scalar(db.select(User).filter_by(role="focal_point", state_code="FRA")))
    client.post("/invitations/", data={"email": "contributor@example.org", "locale": "en"})
    client.post("/logout")
    response = client.post(_invitation_link(outbox), data={"name": name, "organisation": organisation,
                                                           "password": PASSPHRASE, "confirm": PASSPHRASE})
    assert response.status_code == 302, response.text
    contributor = db.session.scalar(db.select(User).filter_by(email="contributor@example.org"))
    return factories.enrolled(contributor)  # as the enrolment page would (tested on its own)


def write_everywhere(client, cycle, payload: str, file_name: str) -> None:
    """Every free text of the questionnaire, twice (so that the history has a comparison)."""
    for before in ("First draft. ", ""):
        text = before + payload
        assert client.post(section_url(cycle, "criminalization"), content_type="multipart/form-data", data={
            "q_crim_offence": "yes", "q_crim_law": clip(text, 500),
            "q_crim_laws-0-title": clip(text, 500), "q_crim_laws-0-article": clip(text, 300),
            "q_crim_laws-0-url": "https://example.org/law", "q_crim_laws-0-file": (io.BytesIO(PDF_BYTES), file_name),
        }).status_code == 302
        assert client.post(section_url(cycle, "protection"), data={
            "q_prot_shelter": "yes", "q_prot_description": text}).status_code == 302
    assert client.post(section_url(cycle, "data"), data={"q_data_body": clip(payload, 500)}).status_code == 302


def hostile_world(client, login, outbox, payload: str) -> World:
    """The contributor (named with the payload) writes it everywhere; the focal point submits;
    the secretariat comments with it and returns; the contributor replies with it."""
    cycle = factories.cycle()
    focal = factories.user("focal_point", "FRA", name="Focal Point")
    secretariat = factories.user("secretariat", name="Reviewer")
    contributor = join_as_contributor(client, login, outbox, clip(payload, 200), clip(payload, 200))
    write_everywhere(client, cycle, payload, clip(payload, 150) + ".pdf")
    login(focal)
    assert submit(client, cycle).status_code == 302
    login(secretariat)
    assert comment(client, cycle, payload[:10000], "crim_law").status_code == 302
    assert return_for_clarification(client, cycle, payload[:10000]).status_code == 302
    login(contributor, PASSPHRASE)
    thread = re.search(r'id="thread-(\d+)"', client.get(section_url(cycle, "criminalization")).text).group(1)
    assert client.post(overview_url(cycle) + f"comments/{thread}/replies",
                       data={"body": payload, "next": review_url(cycle)}).status_code == 302
    return World(cycle, focal, contributor, secretariat)
