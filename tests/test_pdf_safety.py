"""The PDF renderer reads the app's static files and nothing else; answers are escaped.

The local files an attempt points at would show if they were read: a stylesheet that prints its
secret on the page (found by text extraction, not in the compressed bytes), a file that would be
attached, and the network requests a listening server records."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from weasyprint import HTML

from app.reports.render import STATIC_BASE_URL, StaticOnlyFetcher, html_to_pdf
from tests import factories
from tests.helpers import made_by_job, overview_url, pdf_attachments, pdf_text, section_url


@pytest.fixture
def listener():
    """A local web server that records every request and answers with a redirect to a file."""
    requests = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", requests
    server.shutdown()
    server.server_close()


SECRET = "TOP-SECRET-CONTENT"


@pytest.fixture
def secrets(tmp_path):
    """A stylesheet that, once read, prints SECRET after every paragraph, and a file holding it."""
    (tmp_path / "secret.css").write_text(f'p::after {{ content: " {SECRET} from a stylesheet" }}')
    (tmp_path / "secret.txt").write_text(SECRET)
    return tmp_path


def _attempts(secrets, base) -> str:
    """Every way HTML could make WeasyPrint read a file or the network."""
    css, text = secrets / "secret.css", secrets / "secret.txt"
    return (f'<link rel="stylesheet" href="file://{css}"><link rel="attachment" href="file://{text}">'
            f'<link rel="attachment" href="{base}/attachment"><link rel="stylesheet" href="{base}/style.css">'
            f'<style>@import url("file://{css}"); @import url("{base}/import.css");</style>'
            f'<img src="file://{text}" alt=""><img src="{base}/image.png" alt="">'
            f'<img src="{STATIC_BASE_URL}../config.py" alt=""><a href="{base}/redirect">link</a>')


def assert_nothing_read(pdf: bytes, requests: list) -> None:
    """No secret printed, no file attached, no request made."""
    assert SECRET not in " ".join(pdf_text(pdf).split())
    assert "0 embedded files" in pdf_attachments(pdf)
    assert requests == []


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://127.0.0.1:5432/",
    "https://example.org/style.css",
    STATIC_BASE_URL + "../config.py",
    STATIC_BASE_URL + "%2e%2e/config.py",
    STATIC_BASE_URL + "css/missing.css",
    "data:text/css,body{color:red}",
])
def test_fetcher_refuses_everything_but_static_files(app, url):
    with pytest.raises(ValueError, match="refused"):
        StaticOnlyFetcher(app.static_folder).fetch(url)


def test_fetcher_serves_static_files(app):
    response = StaticOnlyFetcher(app.static_folder).fetch(STATIC_BASE_URL + "css/profile.css")
    assert b"@page" in response.read() and response.content_type == "text/css"


def test_the_fetcher_contacts_no_server_and_follows_no_redirect(app, listener):
    base, requests = listener
    for path in ("/redirect", "/style.css"):
        with pytest.raises(ValueError, match="refused"):
            StaticOnlyFetcher(app.static_folder).fetch(base + path)
    assert requests == []


def test_weasyprint_with_the_fetcher_never_reads_a_local_file_or_the_network(app, secrets, listener):
    base, requests = listener
    with app.test_request_context():
        pdf = html_to_pdf(_attempts(secrets, base) + "<p>body</p>")
    assert "body" in pdf_text(pdf)
    assert_nothing_read(pdf, requests)


def test_without_the_fetcher_the_same_html_would_leak(secrets, listener):
    """The check above can fail: WeasyPrint's own fetcher reads the stylesheet, attaches the file
    and calls the server."""
    base, requests = listener
    pdf = HTML(string=_attempts(secrets, base) + "<p>body</p>").write_pdf()
    assert f"body {SECRET} from a stylesheet" in " ".join(pdf_text(pdf).split())
    assert "0 embedded files" not in pdf_attachments(pdf) and requests


def test_html_in_answers_is_printed_as_text(client, login, cycle, secrets, listener):
    base, requests = listener
    login(factories.user("focal_point", "FRA"))
    client.post(section_url(cycle, "data"), data={"q_data_body": "<b>bold</b>"})
    client.post(section_url(cycle, "protection"), data={"q_prot_description": _attempts(secrets, base)})
    pdf = made_by_job(client, overview_url(cycle) + "profile.pdf").data
    assert_nothing_read(pdf, requests)
    text = " ".join(pdf_text(pdf).split())
    assert "<b>bold</b>" in text and '<link rel="attachment" href="file://' in text and "@import url(" in text
    page = client.get(overview_url(cycle) + "revisions/1").text
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page
