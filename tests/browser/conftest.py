"""Browser tests: Debian's Chromium driven by Playwright against the app served on a free
local port, on the suite's database (a scratch SQLite file, or TEST_DATABASE_URL).

Playwright never downloads a browser here: ``make test`` installs Debian's chromium
(scripts/system-packages.sh) and the tests fail, rather than skip, when it is missing.
Screenshots go to test-artifacts/ (ignored by git)."""
import threading
import time
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from app import create_app
from tests import factories

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


class RequestsInFlight:
    """WSGI middleware counting the requests being served, so that a test can wait for the
    last ones its closed pages sent (an autosave, a presence heartbeat) before the database is
    emptied for the next test: on SQLite a write committed by such a straggler would make the
    next test's first write fail."""

    #: A page closing sends its last request (presence's "leaving", a keepalive fetch on pagehide)
    #: as it goes: the server counts as idle once nothing has come or gone for this long.
    QUIET = 0.5

    def __init__(self, wsgi_app):
        self.wsgi_app, self.count, self.lock = wsgi_app, 0, threading.Lock()
        self.last_seen = time.monotonic()

    def __call__(self, environ, start_response):
        with self.lock:
            self.count += 1
            self.last_seen = time.monotonic()
        try:
            return list(self.wsgi_app(environ, start_response))
        finally:
            with self.lock:
                self.count -= 1
                self.last_seen = time.monotonic()

    def wait_idle(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and (self.count or time.monotonic() - self.last_seen < self.QUIET):
            time.sleep(0.02)


@pytest.fixture(scope="session")
def live_server(app, database_url):
    """The app served in a thread with CSRF protection on, as in production. Depends on
    ``app`` so that the schema and reference data exist."""
    live_app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True,
                                      "QUESTIONNAIRE_DIR": app.config["QUESTIONNAIRE_DIR"]})
    live_app.wsgi_app = in_flight = RequestsInFlight(live_app.wsgi_app)
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", in_flight
    server.shutdown()
    thread.join()


@pytest.fixture(scope="session")
def live_url(live_server):
    return live_server[0]


@pytest.fixture(scope="session")
def browser():
    assert CHROMIUM.exists(), "Chromium is missing: run `make test` (it installs Debian's chromium)"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """``new_page(**context_options)``: a page in a fresh browser context (own cookies), with
    relative URLs resolved against the live server; closed after the test."""
    live_url, in_flight = live_server
    contexts = []

    def open_page(**options):
        options = {"viewport": {"width": 1280, "height": 900}, "locale": "en-US", **options}
        context = browser.new_context(base_url=live_url, **options)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
    in_flight.wait_idle()


@pytest.fixture
def page(new_page):
    return new_page()


def log_in(page, user, password=factories.PASSWORD):
    page.goto("/login")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", password)
    page.click("#content form button[type=submit]")
    page.wait_for_url(lambda url: not url.endswith("/login"))
    if page.url.endswith("/login/two-factor"):  # every account gives a code
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
