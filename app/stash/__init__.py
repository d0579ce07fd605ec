"""Unsaved input kept server-side, so that leaving a page without saving loses nothing.

A page whose view is marked with ``keeps_unsaved_input`` accepts its own form posted elsewhere
(the language switcher posts the section form to /language); the input is stashed for that
user and page, and the page shows it again, marked "not saved yet", until the user saves or
discards it. The database holds it: the cookie session is limited to 4 KB.

A stash may also be anonymous (``keep(None, ...)`` returns it with an unguessable token):
a form posted after the login or CSRF token expired is stashed that way and given to the
user who logs in again with ``claim(token, user)`` (see ``pages``)."""
from flask_login import user_logged_in

from app.stash.pages import claim_pending, keeps_unsaved_input, page_keeps_unsaved_input, unsaved_input_ticket

__all__ = ["keeps_unsaved_input", "page_keeps_unsaved_input", "register"]


def register(app) -> None:
    from app.stash.routes import bp

    app.register_blueprint(bp)
    app.add_template_global(unsaved_input_ticket)
    user_logged_in.connect(claim_pending, app)
