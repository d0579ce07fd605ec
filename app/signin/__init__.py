"""Signing in: the password, then the second factor; signing out; resetting a forgotten password."""


def register(app) -> None:
    from app.signin.routes import bp

    app.register_blueprint(bp)
