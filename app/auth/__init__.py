"""Accounts and what guards them: users and roles, password hashing and policy, sessions and their
timeouts, login throttling, two-factor authentication, e-mailed tokens, and the role checks of
routes. The pages that use them: app/signin (logging in, password reset), app/account (a
user's own settings), app/admin, app/invitations."""
from app.extensions import login_manager


def register(app) -> None:
    from app.auth import sessions

    app.session_interface = sessions.GuardedCookieSessions()
    login_manager.user_loader(sessions.load_user)
    app.before_request(sessions.enforce_timeouts)
    app.before_request(sessions.require_enrolment)
