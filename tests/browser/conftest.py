"""Browser tests: Debian's Chromium driven by Playwright against the app served on a free
local port, on the suite's database (a scratch SQLite file, or TEST_DATABASE_URL).

Playwright never downloads a browser here: ``make test`` installs Debian's chromium
(scripts/system-packages.sh) and the tests fail, rather than skip, when it is missing.
Screenshots go to test-artifacts/ (ignored by git)."""
import threading
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app import create_app
from tests import factories

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


@pytest.fixture(scope="session")
def live_url(app, database_url):
    """The base URL of the app, served in a thread with CSRF protection on, as in production.
    Depends on ``app`` so that the schema and reference data exist."""
    live_app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True,
                                      "QUESTIONNAIRE_DIR": app.config["QUESTIONNAIRE_DIR"]})
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def browser():
    assert CHROMIUM.exists(), "Chromium is missing: run `make test` (it installs Debian's chromium)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_url):
    """``new_page(**context_options)``: a page in a fresh browser context (own cookies), with
    relative URLs resolved against the live server; closed after the test."""
    contexts = []

    def open_page(**options):
        options = {"viewport": {"width": 1280, "height": 900}, "locale": "en-US", **options}
        context = browser.new_context(base_url=live_url, **options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def log_in(page, user, password=factories.PASSWORD):
    page.goto("/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", password)
    page.click("#content form button[type=submit]")
    page.wait_for_url(lambda url: not url.endswith("/login"))
    if page.url.endswith("/login/two-factor"):  # the secretariat and admins give a code too
        page.fill("input[name=code]", factories.totp_code(user))
        page.click("#content form button[type=submit]")
        page.wait_for_url(lambda url: not url.endswith("/login/two-factor"))


def screenshot(page, name, full_page=True):
    """The page as test-artifacts/<name>.png. For the whole page the viewport is stretched to
    its height first: a full-page capture would paint sticky bars over the middle of it."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    viewport = page.viewport_size
    if full_page:
        page.set_viewport_size({"width": viewport["width"],
                                "height": page.evaluate("document.documentElement.scrollHeight")})
    page.screenshot(path=str(path))
    page.set_viewport_size(viewport)
    return path
