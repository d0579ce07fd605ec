"""A user's own account: password and two-factor authentication."""


def register(app) -> None:
    from app.account.routes import bp

    app.register_blueprint(bp)
