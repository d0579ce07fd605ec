"""HTML to PDF with WeasyPrint, allowed to read the app's own static files and nothing else."""
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

#: The base URL of the PDF's HTML; only URLs under it are served (from ``static/``).
STATIC_BASE_URL = "https://app.invalid/static/"


class StaticOnlyFetcher(URLFetcher):
    """Serves ``STATIC_BASE_URL`` from the static folder; refuses file://, the network, data: URLs
    and any path that would leave the folder."""

    def __init__(self, static_dir: str | Path):
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self.static_dir = Path(static_dir).resolve()

    def fetch(self, url, headers=None):
        if not url.startswith(STATIC_BASE_URL):
            raise ValueError(f"refused to fetch {url[:100]!r}: only the app's static files may be read")
        relative = unquote(urlsplit(url).path).removeprefix(urlsplit(STATIC_BASE_URL).path)
        path = (self.static_dir / relative).resolve()
        if not path.is_relative_to(self.static_dir) or not path.is_file():
            raise ValueError(f"refused to fetch {url[:100]!r}: not a static file")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def render_profile_html(profile: dict) -> str:
    with force_locale(profile["locale"]):
        return render_template("reports/profile.html", profile=profile)


def html_to_pdf(html: str) -> bytes:
    fetcher = StaticOnlyFetcher(current_app.static_folder)
    return HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=fetcher).write_pdf()


def render_profile_pdf(profile: dict) -> bytes:
    return html_to_pdf(render_profile_html(profile))
