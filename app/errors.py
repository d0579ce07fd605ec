"""Error pages in the user's language, inside the normal layout, never a stack trace.

A database error that outlasted the retries (``app.database.retrying``) or struck outside them
stored nothing; its page is drawn without the database and gives back whatever was posted, in
a form that sends it again (autosave gets JSON and tries again by itself)."""
import logging

from flask import current_app, g, jsonify, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, IntegrityError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge, SecurityError

from app.database import WRITE_METHODS, is_transient
from app.extensions import db
from app.i18n import current_locale
from app.stash.operations import ALWAYS_IGNORED
from app.stash.pages import keep_input_refused_by_csrf, wants_json

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Access denied"), _l("You do not have access to this page.")),
    404: (_l("Page not found"), _l("This page does not exist, or you do not have access to it.")),
    405: (_l("Not allowed"), _l("This action is not allowed here.")),
    409: (_l("Conflict"), _l("The data changed at the same time. Reload the page and try again.")),
    413: (_l("File too large"), _l("What you sent is larger than the platform accepts.")),
    500: (_l("Something went wrong"),
          _l("An unexpected error occurred. Nothing you saved before has been lost; please try again.")),
    503: (_l("Database unavailable"),
          _l("The platform cannot reach its database just now. Please try again in a minute.")),
}
#: What a post that a database error stopped was not, by status: 503 the database failed in a
#: way that passes, 409 it refused the data (a constraint), 500 anything else.
NOT_SAVED = {
    503: _l("The platform could not reach its database, so what you sent was not saved. It is kept on this page: "
            "press “Save again” in a moment, and keep this page open until it is saved."),
    409: _l("What you sent was not saved: it clashed with data stored at the same moment. It is kept on this "
            "page: press “Save again”. If this happens again, please tell the secretariat."),
    500: _l("A database error stopped the save, so what you sent was not saved. It is kept on this page: press "
            "“Save again”. If this happens again, please tell the secretariat."),
}
#: Seconds a client is asked to wait before sending again after a 503.
RETRY_AFTER = 10
#: ``app.extensions[ERROR_AREAS]``: URL prefix -> the function that answers every HTTP error of a
#: request under it (the API's JSON), including errors raised before any of its routes matched
#: (no such address, a method not allowed). A feature adds its own when it registers.
ERROR_AREAS = "error_areas"


def _area_handler():
    areas = current_app.extensions.get(ERROR_AREAS, {})
    return next((handler for prefix, handler in areas.items() if request.path.startswith(prefix)), None)


def _render(code: int, title=None, message=None):
    default_title, default_message = MESSAGES.get(code) or MESSAGES[500 if code >= 500 else 400]
    return render_template("errors/error.html", code=code, title=title or default_title,
                           message=message or default_message), code


def _without_database() -> None:
    """Make the page drawable while the database may be unreachable: end the failed transaction,
    settle the page's language (the account's, when the request has read it already), and stop
    using the account, which the rollback left to be read again (the page shows no account menu;
    Flask-Login keeps the request's user in ``g._login_user``)."""
    db.session.rollback()
    try:
        current_locale()  # settled now, while the account is at hand; the page reuses it
    except DBAPIError:
        db.session.rollback()  # the session's or the browser's language, then
    g._login_user = current_app.login_manager.anonymous_user()


def _posted_fields() -> list[tuple[str, str]]:
    """The fields posted, in order, for the form that sends them again (with a fresh CSRF token)."""
    return [(name, value) for name, value in request.form.items(multi=True) if name not in ALWAYS_IGNORED]


def _database_error_page(code: int):
    """The page of a request a database error stopped: a post comes back to be sent again."""
    if request.method not in WRITE_METHODS:
        title, message = MESSAGES[code if code == 503 else 500]
        return render_template("errors/database.html", code=code, title=title, message=message, fields=None)
    if g.get("writes_done"):  # stored; only the page that follows failed
        return render_template("errors/database.html", code=code, title=_("Saved"), fields=None, message=_(
            "What you sent was saved, but the next page could not be shown. Please try again in a minute."))
    files = any(upload.filename for upload in request.files.values())
    return render_template("errors/database.html", code=code, title=_("Not saved yet"), message=NOT_SAVED[code],
                           fields=_posted_fields(), files_dropped=files,
                           action=request.full_path if request.query_string else request.path)


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
        if (area := _area_handler()) is not None:
            return area(error)
        kept = keep_input_refused_by_csrf()  # a page's form that keeps unsaved input loses none
        if kept is not None:
            return kept
        return _render(400, _l("Your session expired"),
                       _l("The form had expired. Go back, reload the page and send it again."))

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(error):
        from app.attachments.operations import file_size

        return _render(413, message=_(
            "What you sent is larger than the platform accepts: %(total)s in one save, %(file)s for one file. "
            "Nothing on that page was saved. Go back, choose smaller files or upload them one at a time, "
            "and save again.", total=file_size(current_app.config["MAX_CONTENT_LENGTH"]),
            file=file_size(current_app.config["ATTACHMENT_MAX_BYTES"])))

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        """A Host header outside TRUSTED_HOSTS: no URL can be built for it, so no page either."""
        log.warning("untrusted_host", extra={"fields": {"event": "untrusted_host"}})
        return current_app.response_class("400 Bad Request: this host is not served here.\n", 400,
                                          mimetype="text/plain")

    @app.errorhandler(HTTPException)
    def http_error(error):
        if (area := _area_handler()) is not None:
            return area(error)
        return _render(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        log.exception("Unhandled error")
        db.session.rollback()
        return _render(500)

    @app.errorhandler(DBAPIError)
    def database_error(error):
        code = 409 if isinstance(error, IntegrityError) else 503 if is_transient(error) else 500
        log.log(logging.WARNING if code == 503 else logging.ERROR, "Database error", exc_info=error)
        _without_database()
        if wants_json():
            body = jsonify(status="retry", message=_("Not saved yet: the database did not take your changes. They "
                                                     "are kept on this page and will be sent again shortly."))
        else:
            body = _database_error_page(code)
        headers = {"Cache-Control": "no-store"}  # the page holds what was posted
        if code == 503:
            headers["Retry-After"] = str(RETRY_AFTER)
        return body, code, headers
