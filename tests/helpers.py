"""Small helpers for driving the app through HTTP in tests."""
import html
import re
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

from werkzeug.datastructures import MultiDict


def sign_in(client, user, password=None, fields=None, **kwargs):
    """Log ``user`` in through the login form with any client, entering a current two-factor
    code when the form asks for one (as conftest's ``login`` does for ``client``). ``fields``
    (a CSRF token, say) and keyword arguments (headers, base_url) go with both posts; the
    last response is returned."""
    from tests import factories

    data = {"email": user.email, "password": password or factories.PASSWORD, **(fields or {})}
    response = client.post("/login", data=data, **kwargs)
    if response.status_code == 302 and response.location.startswith("/login/two-factor"):
        response = client.post("/login/two-factor", data={"code": factories.totp_code(user), **(fields or {})},
                               **kwargs)
    return response


def request_reset(client, email, **kwargs):
    """Ask for a password reset link, as the form does (a job makes and sends it: in tests, at once)."""
    response = client.post("/password/forgot", data={"email": email}, **kwargs)
    response.close()
    return response


def overview_url(cycle, state="FRA"):
    return f"/cycles/{cycle.id}/states/{state}/"


def section_url(cycle, section, state="FRA"):
    return f"/cycles/{cycle.id}/states/{state}/sections/{section}"


def field_errors(html: str) -> list[str]:
    return re.findall(r'class="field__error"[^>]*>([^<]+)<', html)


def input_value(html: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*value="([^"]*)"', html) or \
        re.search(rf'<input[^>]*value="([^"]*)"[^>]*name="{re.escape(name)}"', html)
    return match.group(1) if match else None


def checked_values(html: str, name: str) -> list[str]:
    inputs = re.findall(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    return [re.search(r'value="([^"]*)"', tag).group(1) for tag in inputs if " checked" in tag]


def _poppler(pdf: bytes, *command: str) -> str:
    """The output of a poppler-utils command run on ``pdf``."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "profile.pdf"
        path.write_bytes(pdf)
        return subprocess.run([*command, str(path)] + (["-"] if command[0] == "pdftotext" else []),
                              check=True, capture_output=True, text=True).stdout


def pdf_text(pdf: bytes) -> str:
    return _poppler(pdf, "pdftotext", "-layout")


def pdf_fonts(pdf: bytes) -> str:
    return _poppler(pdf, "pdffonts")


def pdf_info(pdf: bytes, meta: bool = False) -> str:
    """pdfinfo's fields (Title, Subject, Tagged, Pages...), or the XMP metadata with ``meta``."""
    return _poppler(pdf, "pdfinfo", *(["-meta"] if meta else []))


def pdf_attachments(pdf: bytes) -> str:
    return _poppler(pdf, "pdfdetach", "-list")


def pdf_words(pdf: bytes, page: int) -> list[tuple[str, float, float]]:
    """(word, left edge, top edge) of each word on ``page``, as pdftotext places them; the
    letters of a right-to-left word come in visual order (reversed)."""
    out = _poppler(pdf, "pdftotext", "-bbox", "-f", str(page), "-l", str(page))
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>'
    return [(html.unescape(word), float(x), float(y)) for x, y, word in re.findall(pattern, out)]



def plain_spaces(text: str) -> str:
    """Babel puts (narrow) no-break spaces in numbers and units: "10\u202fMo"."""
    return re.sub(r"[\xa0\u202f]", " ", text)


class _FormReader(HTMLParser):
    """The fields a browser would post for the form with id ``form_id`` (submit buttons aside)."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside, self.fields = form_id, False, []
        self.textarea = self.select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        elif not self.inside or "name" not in attrs and tag != "option":
            return
        elif tag == "input" and attrs.get("type") not in ("submit", "button", "file"):
            if attrs.get("type") not in ("radio", "checkbox") or "checked" in attrs:
                self.fields.append((attrs["name"], attrs.get("value", "" if attrs.get("type") != "checkbox" else "on")))
        elif tag == "textarea":
            self.textarea = [attrs["name"], ""]
        elif tag == "select":
            self.select = attrs["name"]
        elif tag == "option" and self.select and "selected" in attrs:
            self.fields.append((self.select, attrs.get("value", "")))

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "textarea" and self.textarea is not None:
            self.fields.append((self.textarea[0], self.textarea[1].removeprefix("\n")))
            self.textarea = None
        elif tag == "select":
            self.select = None


def page_form(html: str, form_id: str = "section-form", **changes) -> MultiDict:
    """What the browser posts for the page's form, with ``changes`` (name=value) applied."""
    reader = _FormReader(form_id)
    reader.feed(html)
    fields = MultiDict(reader.fields)
    for name, value in changes.items():
        fields.setlist(name, value if isinstance(value, list) else [value])
    return fields


def made_by_job(client, url: str):
    """A document that a job makes (a profile): asked for with a POST (the test configuration
    runs the job at once), then read with a GET."""
    client.post(url)
    return client.get(url)


def job_file(client, url: str):
    """The file of a job started from ``url`` (an archive, a workbook): asked for with a POST,
    then downloaded from the link its page shows once done."""
    page = client.post(url, follow_redirects=True).text
    found = re.search(r'href="(/jobs/\d+/file)"', page)
    assert found, page
    return client.get(found.group(1))
