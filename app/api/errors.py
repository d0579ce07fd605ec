"""API errors are JSON with a message that says what to do, never an HTML page: every HTTP error
under /api/v1/ (``answer_errors``, given to app/errors.py when the API registers), and the
API's own errors (``ApiError``)."""
import logging

from flask import jsonify, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db

log = logging.getLogger(__name__)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ALLOW = "GET, HEAD, OPTIONS"


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def error_response(status: int, code: str, message: str, headers: dict | None = None):
    response = jsonify({"error": {"status": status, "code": code, "message": message}})
    response.status_code = status
    response.headers.update(headers or {})
    return response


def not_found() -> ApiError:
    return ApiError(404, "not_found",
                    _("Nothing exists at this address. The description of the API is at /api/v1/openapi.json."))


def read_only() -> ApiError:
    return ApiError(405, "method_not_allowed", _("The API is read-only: use GET."))


def _http_message(error: HTTPException) -> tuple[str, str]:
    if error.code == 405 or request.method not in READ_METHODS:
        return read_only().code, read_only().message
    if error.code == 404:
        return not_found().code, not_found().message
    return "bad_request", _("The request could not be understood; check its parameters against /api/v1/openapi.json.")


def http_error(error: HTTPException):
    """Any HTTP error under the API's prefix, whether or not a route matched (an address
    beyond the database's integers matches none): JSON, never the HTML error page. A write
    refused for its CSRF token is a 405 too: the API only reads."""
    code, message = _http_message(error)
    if code == "method_not_allowed":
        return error_response(405, code, message, {"Allow": ALLOW})
    if error.code == 429:  # Flask-Limiter adds Retry-After
        return error_response(429, "too_many_requests", _("Too many requests from this address or token: wait a "
                                                          "minute before the next one."))
    return error_response(error.code or 400, code, message)


def register_handlers(bp) -> None:

    @bp.errorhandler(ApiError)
    def api_error(error: ApiError):
        headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if error.status == 401 else {}
        if error.status == 405:
            headers["Allow"] = ALLOW
        return error_response(error.status, error.code, error.message, headers)

    bp.register_error_handler(CSRFError, http_error)
    bp.register_error_handler(HTTPException, http_error)

    @bp.errorhandler(Exception)
    def unexpected_error(error):
        log.exception("Unhandled API error")
        db.session.rollback()
        return error_response(500, "server_error", _("An unexpected error occurred; please try again later."))


def answer_errors(app, prefix: str) -> None:
    """Every HTTP error of a request under ``prefix`` is answered by ``http_error`` (app/errors.py
    asks ``app.extensions["error_areas"]``), even one raised before a route matched."""
    app.extensions.setdefault("error_areas", {})[prefix] = http_error
