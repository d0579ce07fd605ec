"""Pages that keep unsaved input. Besides the language switch (see the package docstring), a form
posted after its session ended, or with a CSRF token that expired, is stashed rather than lost:
the user logs in again (or reloads the page) and finds their input on the page.

Without a session the stash is anonymous; its token waits in the new session
(``PENDING_KEY``, which logging in keeps) and is claimed when its user logs in.

Input is stored only when the form carries the page's *ticket* (``EDITOR_FIELD``): the user
the page was shown to and its path, signed by the platform when it served the page. So input
is kept only for a page its user could reach, and an anonymous post reaches the database only
with the signature of a form the platform served (a stranger's post to any address, however
large, stores nothing); someone else logging in on the same browser does not take it over."""
from functools import wraps
from urllib.parse import urlsplit

from flask import current_app, flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadData, URLSafeTimedSerializer
from werkzeug.exceptions import HTTPException

from app.extensions import db
from app.stash import operations

#: The session key holding the token of the anonymous stash, until its user logs in again.
PENDING_KEY = "unsaved_input"
#: A hidden input of a stashing page's form: its ticket (the user it was shown to, its path).
EDITOR_FIELD = "editor"


def _tickets() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="unsaved-input")


def unsaved_input_ticket() -> str:
    """The ticket of the page being rendered, for its form's ``EDITOR_FIELD``."""
    return _tickets().dumps([current_user.id, request.path])


def ticket_holder(path: str) -> int | None:
    """The id of the user the posted form's page at ``path`` was shown to, if its ticket is
    genuine, recent and for that very page; else None."""
    max_age = int(current_app.config["UNSAVED_INPUT_TICKET_DAYS"] * 86400)
    try:
        user_id, ticket_path = _tickets().loads(request.form.get(EDITOR_FIELD, ""), max_age=max_age)
    except (BadData, ValueError, TypeError):
        return None
    return user_id if ticket_path == path and isinstance(user_id, int) else None


def keeps_unsaved_input(view):
    """Marks a view whose page shows stashed input again (see ``operations.find``). Its form
    posted after the session ended is stashed too, for its user to find after logging in."""
    @wraps(view)
    def wrapper(*args, **kwargs):
        if request.method == "POST" and not current_user.is_authenticated:
            return ask_to_log_in()
        return view(*args, **kwargs)

    wrapper.keeps_unsaved_input = True
    return wrapper


def page_keeps_unsaved_input(path: str) -> bool:
    """Whether the page at ``path`` (a local URL path) restores stashed input."""
    try:
        endpoint, _args = current_app.create_url_adapter(request).match(path, method="GET")
    except HTTPException:
        return False
    return getattr(current_app.view_functions.get(endpoint), "keeps_unsaved_input", False)


def keep_for_page(target: str | None, ignore=()) -> bool:
    """Stash the posted form for the page at ``target`` (its path; a query is ignored) when that
    page keeps unsaved input and its ticket shows it was served to this user: a page's form
    posted elsewhere (a comment reply on a section page) keeps its answers for the page to offer
    back. Returns whether it was stashed."""
    page = urlsplit(target).path if target else None
    if not page or not current_user.is_authenticated or not page_keeps_unsaved_input(page) \
            or ticket_holder(page) != current_user.id:
        return False
    return operations.keep(current_user, page, request.form, ignore=(*ignore, EDITOR_FIELD)) is not None


def wants_json() -> bool:
    """Whether the request came from a script that reads JSON (autosave) rather than a form."""
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def _same_origin() -> bool:
    """Whether a request the CSRF check refused at least came from one of our own pages."""
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    return urlsplit(source).netloc == request.host


def _stash_anonymously() -> bool:
    """Keep the posted form for whoever its page was shown to; False when it has no genuine
    ticket for this page (and so nothing is stored)."""
    editor = ticket_holder(request.path)
    if editor is None:
        return False
    pending = session.pop(PENDING_KEY, None)
    if pending:
        operations.discard_anonymous(pending["token"])
    stash = operations.keep(None, request.path, request.form, ignore=(EDITOR_FIELD,))
    if stash is not None:
        session[PENDING_KEY] = {"token": stash.token, "editor": editor}
    db.session.commit()
    return stash is not None


def ask_to_log_in():
    """Stash the posted form anonymously, if a page of ours made it, and send its author to log in."""
    if _stash_anonymously():
        message = _("Your session has ended. Log in again: what you entered is kept and will be shown on the page.")
    else:
        message = _("Your session has expired. Please log in again.")
    login_url = url_for("signin.login", next=request.path)
    if wants_json():
        return jsonify(status="login", message=message, login_url=login_url), 401
    flash(message, "info")
    return redirect(login_url)


def keep_input_refused_by_csrf():
    """For the CSRF error handler: a form of a stashing page refused for its CSRF token (the
    session changed or ended meanwhile) is stashed, and the user reloads the page, or logs in
    first. None (nothing done) for other requests."""
    if request.method != "POST" or not _same_origin() or not page_keeps_unsaved_input(request.path):
        return None
    if not current_user.is_authenticated:
        return ask_to_log_in()
    if ticket_holder(request.path) != current_user.id:
        return None
    return keep_posted_input(_("This page had expired, so your changes were not saved. They are kept: reload the "
                               "page to see them, then save again."), "reload", 400, "warning")


def keep_posted_input(message: str, status: str, code: int, category: str):
    """Stash the posted form for this page and tell the user why it was not saved: as JSON
    (``status``, ``code``) to autosave, as a flash message and a reload to a browser. Only for
    a page the user reached (its view checked access, or the form's ticket says so)."""
    operations.keep(current_user, request.path, request.form, ignore=(EDITOR_FIELD,))
    db.session.commit()
    if wants_json():
        return jsonify(status=status, message=message), code
    flash(message, category)
    return redirect(request.path)


def claim_pending(sender, user) -> None:
    """On login (Flask-Login's ``user_logged_in``): take over the anonymous stash of this browser,
    unless the page it came from was shown to someone else (it then waits for them)."""
    pending = session.get(PENDING_KEY)
    if pending and pending.get("editor") in (None, user.id):
        operations.claim(session.pop(PENDING_KEY)["token"], user)
