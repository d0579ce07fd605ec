"""Administration of user accounts (admin role only): list, disable and enable accounts,
reset a user's two-factor authentication; and on the command line, ``flask users create`` and
``flask users reset-2fa``."""


def register(app) -> None:
    from app.admin.cli import users_cli
    from app.admin.routes import bp

    app.register_blueprint(bp)
    app.cli.add_command(users_cli)
