"""Unsaved input kept server-side, so that leaving a page without saving loses nothing.

A page whose view is marked with ``keeps_unsaved_input`` accepts its own form posted elsewhere
(the language switcher posts the section form to /language); the input is stashed for that
user and page, and the page shows it again, marked "not saved yet", until the user saves or
discards it. The database holds it: the cookie session is limited to 4 KB.

A stash may also be anonymous (``keep(None, ...)`` returns it with an unguessable token):
a form posted after the login or CSRF token expired can be stashed that way and given to the
user who logs in again with ``claim(token, user)``."""
from flask import current_app, request
from werkzeug.exceptions import HTTPException


def keeps_unsaved_input(view):
    """Marks a view whose page shows stashed input again (see ``operations.find``)."""
    view.keeps_unsaved_input = True
    return view


def page_keeps_unsaved_input(path: str) -> bool:
    """Whether the page at ``path`` (a local URL path) restores stashed input."""
    try:
        endpoint, _ = current_app.create_url_adapter(request).match(path, method="GET")
    except HTTPException:
        return False
    return getattr(current_app.view_functions.get(endpoint), "keeps_unsaved_input", False)


def register(app) -> None:
    from app.stash.routes import bp

    app.register_blueprint(bp)
