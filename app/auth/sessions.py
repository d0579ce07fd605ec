"""Sessions that the server can end.

Flask keeps the session in a signed cookie, so the server cannot delete it; instead each user
has a random ``session_token`` that the cookie must carry (Flask-Login's alternative id,
``User.get_id``). Replacing the token (logout, password change, an admin disabling the account
or resetting its two-factor authentication) makes every copy of every cookie of that user
worthless at its next request. The cookie also records when the user logged in and was last
seen, which bounds a session by the idle and absolute timeouts; both are signed, so a client
cannot extend them.
"""
import hmac
import secrets
import time
from urllib.parse import urlsplit

from flask import current_app, flash, g, redirect, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy.orm import joinedload
from werkzeug.exceptions import SecurityError

from app.auth.models import User
from app.database import WRITE_METHODS, utcnow
from app.extensions import db
from app.logs import log_security_event

LOGIN_AT = "login_at"
SEEN_AT = "seen_at"
#: Set when the organisation's identity provider signed the user in (app/signin/oidc_routes.py);
#: it vouches for their second factor, and logging out also ends its session.
SIGNED_IN_WITH = "signed_in_with"
#: Session keys that survive logging in and out: the language chosen before logging in, and the
#: token of input posted after the session ended, for its user to find after logging in again
#: (app/stash/pages.py PENDING_KEY).
KEPT_KEYS = ("lang", "unsaved_input")
#: How often the "last seen" time is rewritten (each rewrite sends a new cookie).
SEEN_RESOLUTION = 60
#: What an account that must enrol in two-factor authentication may reach before it has.
ENROLMENT_ENDPOINTS = frozenset({"account.two_factor", "signin.logout", "main.set_language", "static"})


class GuardedCookieSessions(SecureCookieSessionInterface):
    """Signed cookie sessions that a forged request cannot replace.

    A browser sends no SameSite=Lax cookie with another site's POST, so such a POST arrives
    without a session; its error page used to write a fresh one, replacing (and so logging out)
    the victim's. A write request that came without a session cookie, or that the browser marks
    as sent from another site, gets no session cookie back: without the session its CSRF token
    cannot be valid, so it does nothing that needs one. The one exception is a post that our own
    page made (its Origin is this site) after the browser lost its cookie: its input is kept for
    after login (app/stash), and a browser without a cookie has no session to lose."""

    def save_session(self, app, session, response) -> None:
        if _may_write_session(app):
            super().save_session(app, session, response)


def _may_write_session(app) -> bool:
    if request.method not in WRITE_METHODS:
        return True
    if request.headers.get("Sec-Fetch-Site", "").lower() == "cross-site":
        return False
    if app.config["SESSION_COOKIE_NAME"] in request.cookies:
        return True
    # Where CSRF tokens are not checked (tests), a post without a session is no sign of forgery.
    return not app.config.get("WTF_CSRF_ENABLED", True) or _from_our_pages()


def _from_our_pages() -> bool:
    if request.headers.get("Sec-Fetch-Site", "").lower() == "same-origin":
        return True
    source = request.headers.get("Origin") or request.headers.get("Referer") or ""
    try:
        return bool(source) and urlsplit(source).netloc == request.host
    except SecurityError:  # a Host outside TRUSTED_HOSTS
        return False


def end_all_sessions(user: User) -> None:
    """Every existing session of ``user`` stops working at its next request."""
    user.session_token = secrets.token_urlsafe(32)


def load_user(session_id: str) -> User | None:
    """Flask-Login's user loader: the active user whose current session token the cookie holds."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id), options=[joinedload(User.state)])
    if user is None or not user.is_active or not user.session_token:
        return None
    return user if hmac.compare_digest(token, user.session_token) else None


def _fresh_session() -> None:
    """Clear the session, CSRF secret included (a new one is made for the new session)."""
    kept = {key: session[key] for key in KEPT_KEYS if key in session}
    session.clear()
    session.update(kept)
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def start_session(user: User) -> None:
    """Log ``user`` in, in a session that carries nothing from before."""
    if not user.session_token:
        end_all_sessions(user)
    _fresh_session()
    login_user(user)
    session[LOGIN_AT] = session[SEEN_AT] = int(time.time())
    user.last_login_at = utcnow()


def end_session() -> None:
    logout_user()
    _fresh_session()


def _expired(now: float) -> bool:
    config = current_app.config
    idle = now - session.get(SEEN_AT, 0) > config["SESSION_IDLE_TIMEOUT"].total_seconds()
    return idle or now - session.get(LOGIN_AT, 0) > config["SESSION_ABSOLUTE_TIMEOUT"].total_seconds()


def enforce_timeouts():
    """Before each request: end a session that was idle or has lasted too long."""
    if "_user_id" not in session or request.endpoint == "static":
        return None
    now = time.time()
    if _expired(now):
        log_security_event("session_expired", user_id=session.get("_user_id", "").partition(":")[0])
        end_session()
        flash(_("Your session has expired. Please log in again."), "info")
    elif now - session.get(SEEN_AT, 0) >= SEEN_RESOLUTION:
        session[SEEN_AT] = int(now)
    return None


def require_enrolment():
    """Before each request: accounts that must use two-factor authentication (every role, see
    ``User.two_factor_required``) enrol before they reach anything else, unless the
    organisation's identity provider signed them in (its own policy holds their second factor)."""
    if request.endpoint in ENROLMENT_ENDPOINTS or not current_user.is_authenticated:
        return None
    if session.get(SIGNED_IN_WITH):
        return None
    if current_user.two_factor_required and not current_user.two_factor_enabled:
        return redirect(url_for("account.two_factor"))
    return None
