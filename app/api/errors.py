"""API errors are JSON with a message that says what to do, never an HTML page."""
import logging

from flask import jsonify, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from app.extensions import db

log = logging.getLogger(__name__)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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


def register_handlers(bp) -> None:
    @bp.errorhandler(ApiError)
    def api_error(error: ApiError):
        headers = {"WWW-Authenticate": 'Bearer error="invalid_token"'} if error.status == 401 else {}
        if error.status == 405:
            headers["Allow"] = "GET, HEAD, OPTIONS"
        return error_response(error.status, error.code, error.message, headers)

    @bp.errorhandler(CSRFError)
    def refused_write(error):
        """A write without a CSRF token: the API has none to offer, since it only reads."""
        code, message = _http_message(error)
        return error_response(405, code, message, {"Allow": "GET, HEAD, OPTIONS"})

    @bp.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        code, message = _http_message(error)
        status = 405 if code == "method_not_allowed" else (error.code or 400)
        return error_response(status, code, message)

    @bp.errorhandler(Exception)
    def unexpected_error(error):
        log.exception("Unhandled API error")
        db.session.rollback()
        return error_response(500, "server_error", _("An unexpected error occurred; please try again later."))
