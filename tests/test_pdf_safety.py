"""The PDF renderer reads the app's static files and nothing else; answers are escaped."""
import pytest
from weasyprint import HTML

from app.reports.render import STATIC_BASE_URL, StaticOnlyFetcher
from tests import factories
from tests.helpers import overview_url, pdf_text, section_url


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


def test_weasyprint_with_the_fetcher_never_reads_a_local_file(app, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    html = (f'<link rel="stylesheet" href="file://{secret}"><link rel="attachment" href="file://{secret}">'
            f'<style>@import url("file://{secret}");</style><img src="file://{secret}"><p>body</p>')
    pdf = HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=StaticOnlyFetcher(app.static_folder)).write_pdf()
    assert b"TOP-SECRET-CONTENT" not in pdf


def test_html_in_answers_is_printed_as_text(client, login, cycle, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    login(factories.user("focal_point", "FRA"))
    payload = f'<img src="file://{secret}"><link rel="attachment" href="file://{secret}"><b>bold</b>'
    client.post(section_url(cycle, "data"), data={"q_data_body": payload[:400]})
    pdf = client.get(overview_url(cycle) + "profile.pdf").data
    assert b"TOP-SECRET-CONTENT" not in pdf
    assert "<b>bold</b>" in pdf_text(pdf).replace("\n", "")
    page = client.get(overview_url(cycle) + "revisions/1").text
    assert "&lt;b&gt;bold&lt;/b&gt;" in page and "<b>bold</b>" not in page
