"""Accounts, login and roles."""
from app.extensions import db, login_manager


def register(app) -> None:
    from app.auth.cli import users_cli
    from app.auth.models import User
    from app.auth.routes import bp

    @login_manager.user_loader
    def load_user(user_id: str):
        user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
        return user if user is not None and user.is_active else None

    app.register_blueprint(bp)
    app.cli.add_command(users_cli)
