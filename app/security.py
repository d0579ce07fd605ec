"""HTTP security headers on every response, the client address behind trusted proxies,
access-denied events in the structured log, and hostile input stopped at the door: request fields
hold no NUL character, and integers in URLs stay within the database's range.

The Content-Security-Policy allows scripts, styles, images and fonts from this site only: no
inline ``<script>``, no ``on...=`` attributes, no ``style=`` attributes. A feature that truly
needs more edits ``CONTENT_SECURITY_POLICY`` here, in one place.
"""
from urllib.parse import urlsplit

from flask import Request, request
from flask_login import current_user
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from app.logs import log_security_event

CONTENT_SECURITY_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}
HSTS = "max-age=31536000; includeSubDomains"


def policy_header(policy: dict[str, str] = CONTENT_SECURITY_POLICY) -> str:
    return "; ".join(f"{directive} {sources}" for directive, sources in policy.items())


def set_security_headers(response):
    """Defaults only: a route that sets one of these headers itself keeps its own value."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", policy_header())
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
    if request.endpoint != "static" and current_user and current_user.is_authenticated:
        headers.setdefault("Cache-Control", "no-store")  # private pages stay out of shared caches
    return response


def log_access_denied(response):
    """403s, and 404s of logged-in users (a guessed id of another State's object)."""
    if response.status_code == 403 or (response.status_code == 404 and current_user.is_authenticated):
        log_security_event("access_denied", status=response.status_code)
    return response


def _without_nul(text):
    return text.replace("\x00", "") if isinstance(text, str) else text


class FieldsWithoutNul(ImmutableMultiDict):
    """Query and form fields with their NUL characters dropped: no text holds one, browsers send
    none, and PostgreSQL refuses to store one, so a hostile client's NUL would fail a save deep
    in the database instead of being ignored."""

    def __init__(self, mapping=None):
        super().__init__([(_without_nul(key), _without_nul(value))
                          for key, value in iter_multi_items(mapping if mapping is not None else ())])


class CleanRequest(Request):
    parameter_storage_class = FieldsWithoutNul

    def get_json(self, force=False, silent=False, cache=True):
        """JSON nested deeper than Python's recursion limit is as unreadable as JSON that does not
        parse (a 400, or None when ``silent``), not a RecursionError (a 500)."""
        try:
            return super().get_json(force=force, silent=silent, cache=cache)
        except RecursionError:
            if silent:
                return None
            return self.on_json_loading_failed(ValueError("JSON nested too deeply"))


#: The largest number a database INTEGER column holds (PostgreSQL's; SQLite's are larger).
MAX_INTEGER = 2**31 - 1


class DatabaseIntegerConverter(IntegerConverter):
    """``<int:...>`` in routes: a number beyond ``MAX_INTEGER`` is the id of nothing (404) rather
    than a query the database refuses (500)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_INTEGER)
        super().__init__(map, *args, **kwargs)


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a local path, else None: an open redirect would let a phishing link
    borrow our pages (``?next=https://evil.example``)."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


def query_integer(text: str) -> int:
    """``type=`` for integer query parameters: beyond ``MAX_INTEGER`` it raises ValueError, so
    ``request.args.get`` falls back to its default."""
    number = int(text)
    if abs(number) > MAX_INTEGER:
        raise ValueError(f"{text[:20]} is beyond the database's integers")
    return number


def init_app(app) -> None:
    app.request_class = CleanRequest
    app.url_map.converters["int"] = DatabaseIntegerConverter
    if app.config.get("PROXY_COUNT"):
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    app.after_request(log_access_denied)
    app.after_request(set_security_headers)
    if app.config.get("HSTS"):
        app.after_request(_strict_transport_security)


def _strict_transport_security(response):
    response.headers.setdefault("Strict-Transport-Security", HSTS)
    return response
