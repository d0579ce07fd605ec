"""The PDF renderer reads the app's static files and nothing else; answers are escaped."""
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from weasyprint import HTML

from app.reports.render import STATIC_BASE_URL, StaticOnlyFetcher, html_to_pdf
from tests import factories
from tests.helpers import overview_url, pdf_attachments, pdf_text, section_url


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


def _attempts(secret, base) -> str:
    """Every way HTML could make WeasyPrint read a file or the network."""
    return (f'<link rel="stylesheet" href="file://{secret}"><link rel="attachment" href="file://{secret}">'
            f'<link rel="attachment" href="{base}/attachment"><link rel="stylesheet" href="{base}/style.css">'
            f'<style>@import url("file://{secret}"); @import url("{base}/import.css");</style>'
            f'<img src="file://{secret}" alt=""><img src="{base}/image.png" alt="">'
            f'<img src="{STATIC_BASE_URL}../config.py" alt=""><a href="{base}/redirect">link</a>')


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


def test_weasyprint_with_the_fetcher_never_reads_a_local_file_or_the_network(app, tmp_path, listener):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    base, requests = listener
    with app.test_request_context():
        pdf = html_to_pdf(_attempts(secret, base) + "<p>body</p>")
    assert b"TOP-SECRET-CONTENT" not in pdf and requests == []
    assert "0 embedded files" in pdf_attachments(pdf)


def test_html_in_answers_is_printed_as_text(client, login, cycle, tmp_path, listener):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    base, requests = listener
    login(factories.user("focal_point", "FRA"))
    client.post(section_url(cycle, "data"), data={"q_data_body": "<b>bold</b>"})
    client.post(section_url(cycle, "protection"), data={"q_prot_description": _attempts(secret, base)})
    pdf = client.get(overview_url(cycle) + "profile.pdf").data
    assert b"TOP-SECRET-CONTENT" not in pdf and requests == []
    assert "0 embedded files" in pdf_attachments(pdf)
    text = " ".join(pdf_text(pdf).split())
    assert "<b>bold</b>" in text and '<link rel="attachment" href="file://' in text and "@import url(" in text
    page = client.get(overview_url(cycle) + "revisions/1").text
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page
