"""Accounts, login, sessions, two-factor authentication, password reset and roles."""
from app.extensions import login_manager


def register(app) -> None:
    from app.auth import sessions
    from app.auth.cli import users_cli
    from app.auth.routes import bp

    login_manager.user_loader(sessions.load_user)
    app.before_request(sessions.enforce_timeouts)
    app.before_request(sessions.require_enrolment)
    app.register_blueprint(bp)
    app.cli.add_command(users_cli)
