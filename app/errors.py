"""Error pages in the user's language, inside the normal layout, never a stack trace."""
import logging

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from app.extensions import db
from app.stash.pages import keep_input_refused_by_csrf

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
}


def _render(code: int, title=None, message=None):
    default_title, default_message = MESSAGES.get(code) or MESSAGES[500 if code >= 500 else 400]
    return render_template("errors/error.html", code=code, title=title or default_title,
                           message=message or default_message), code


def init_app(app) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error):
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

    @app.errorhandler(HTTPException)
    def http_error(error):
        return _render(error.code or 500)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        log.exception("Unhandled error")
        db.session.rollback()
        return _render(500)
