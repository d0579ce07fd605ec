"""HTML to PDF with WeasyPrint, allowed to read the app's own static files and nothing else."""
import mimetypes
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

#: The base URL of the PDF's HTML; only URLs under it are served (from ``static/``).
STATIC_BASE_URL = "https://app.invalid/static/"
#: Images made for one document (charts), served from memory by that document's fetcher.
GENERATED_BASE_URL = "https://app.invalid/generated/"
#: Tagged PDF/UA-1: structure tree, alternative texts, language, title shown by viewers.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}


class StaticOnlyFetcher(URLFetcher):
    """Serves ``STATIC_BASE_URL`` from the static folder and the document's own ``generated``
    images; refuses file://, the network, data: URLs and any path that would leave the folder.
    ``fetch`` never calls urllib, so no redirect can be followed either."""

    def __init__(self, static_dir: str | Path, generated: dict[str, bytes] | None = None):
        super().__init__(allowed_protocols=("https",), allow_redirects=False)
        self.static_dir = Path(static_dir).resolve()
        self.generated = generated or {}

    def fetch(self, url, headers=None):
        if url in self.generated:
            return URLFetcherResponse(url, self.generated[url], {"Content-Type": "image/svg+xml"})
        if not url.startswith(STATIC_BASE_URL):
            raise ValueError(f"refused to fetch {url[:100]!r}: only the app's static files may be read")
        relative = unquote(urlsplit(url).path).removeprefix(urlsplit(STATIC_BASE_URL).path)
        path = (self.static_dir / relative).resolve()
        if not path.is_relative_to(self.static_dir) or not path.is_file():
            raise ValueError(f"refused to fetch {url[:100]!r}: not a static file")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    return f'"{escaped}"'


def page_of_pages() -> Markup:
    """The footer's "page X of Y" in the current language, as a CSS ``content`` value (the
    translation decides the order of the two numbers)."""
    text = _("Page %(page)s of %(pages)s", page="\x00", pages="\x01")
    counters = {"\x00": "counter(page)", "\x01": "counter(pages)"}
    parts = [counters.get(part) or css_string(part) for part in re.split("([\x00\x01])", text) if part]
    return Markup(" ".join(parts))


def render_html(template: str, locale: str, **context) -> str:
    """A PDF template rendered with its fixed texts in ``locale``."""
    with force_locale(locale):
        return render_template(template, **context)


def html_to_pdf(html: str, generated: dict[str, bytes] | None = None) -> bytes:
    fetcher = StaticOnlyFetcher(current_app.static_folder, generated)
    return HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=fetcher).write_pdf(**PDF_OPTIONS)


#: A run of Latin words (letters first and last; digits, spaces and punctuation between them).
LATIN_RUN = re.compile(r"[A-Za-z\u00c0-\u024f](?:[A-Za-z\u00c0-\u024f0-9 .,:;/()\-'\u2019]*[A-Za-z\u00c0-\u024f0-9)])?")
#: A text node of the body, and a character reference inside one.
TEXT_NODE, REFERENCE = re.compile(r">([^<]+)<"), re.compile(r"(&#?\w+;)")


def _wrap_latin(text: str) -> str:
    parts = REFERENCE.split(text)
    return "".join(part if REFERENCE.fullmatch(part) else LATIN_RUN.sub(r'<span class="latin">\g<0></span>', part)
                   for part in parts)


def scale_latin_runs(html: str) -> str:
    """``html`` with each Latin run of its body's text in ``<span class="latin">``, which the
    stylesheet sets to the optical size of the Arabic script around it."""
    head, separator, body = html.partition("<body>")
    return head + separator + TEXT_NODE.sub(lambda m: ">" + _wrap_latin(m.group(1)) + "<", body)


def render_profile_html(profile: dict) -> str:
    html = render_html("reports/profile.html", profile["locale"], profile=profile)
    return scale_latin_runs(html) if profile["locale"] == "ar" else html


def profile_images(profile: dict) -> dict[str, bytes]:
    """The profile's charts by URL. Drawn as images rather than inline SVG, their elements stay
    out of the page's style cascade, which WeasyPrint computes for every element."""
    images = {question["chart"]["url"]: question["chart"]["svg"].encode()
              for section in profile["sections"] for question in section["questions"] if question.get("chart")}
    images.update((item["url"], item["svg"].encode()) for chart in profile.get("glance", {}).get("charts", ())
                  for item in chart["bars"])
    return images


def render_profile_pdf(profile: dict) -> bytes:
    return html_to_pdf(render_profile_html(profile), profile_images(profile))
