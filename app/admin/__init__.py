"""Administration of user accounts (admin role only): list, disable and enable accounts,
reset a user's two-factor authentication."""


def register(app) -> None:
    from app.admin.routes import bp

    app.register_blueprint(bp)
