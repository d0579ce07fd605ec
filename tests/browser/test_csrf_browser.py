"""The CSRF helper for scripts (static/js/csrf.js) in a real browser, under the real
Content-Security-Policy: a JSON POST sent with ``TIP.fetch`` carries the token, a plain
``fetch`` does not and is refused."""
import threading

import pytest
from flask import Response, render_template_string
from werkzeug.serving import make_server

from app import create_app

FETCH_PAGE = """<!doctype html><html><head><meta name="csrf-token" content="{{ csrf_token() }}">
<script src="/static/js/csrf.js"></script><script src="/test/{{ name }}.js"></script></head><body></body></html>"""
FETCH_SCRIPTS = {  # the status of a JSON POST lands in the page, for the test to read
    "tip": "TIP.fetch('/test/echo', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'})",
    "plain": "fetch('/test/echo', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'})",
}


@pytest.fixture
def browser_app(database_url):
    """A CSRF-checking app served on a local port, with a page that posts JSON from a script."""
    app = create_app("testing", {"SQLALCHEMY_DATABASE_URI": database_url, "WTF_CSRF_ENABLED": True})
    app.add_url_rule("/test/<name>", "page", lambda name: render_template_string(FETCH_PAGE, name=name))
    app.add_url_rule("/test/<name>.js", "script", lambda name: Response(
        FETCH_SCRIPTS[name] + ".then(function (r) { document.body.setAttribute('data-status', r.status); });",
        mimetype="text/javascript"))
    app.add_url_rule("/test/echo", "echo", lambda: {"ok": True}, methods=["POST"])
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.port}"
    server.shutdown()


@pytest.mark.parametrize("script,status", [("tip", "200"), ("plain", "400")])
def test_tip_fetch_sends_the_token_in_a_real_browser_under_the_csp(browser, browser_app, script, status):
    page = browser.new_page()
    try:
        page.goto(f"{browser_app}/test/{script}")
        page.wait_for_selector("body[data-status]", state="attached", timeout=30_000)
        assert page.get_attribute("body", "data-status") == status
    finally:
        page.close()
