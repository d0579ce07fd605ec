"""Reporting cycles: which questionnaire version is answered, and by when (the secretariat's page
and the command line)."""


def register(app) -> None:
    from app.cycles.cli import cycles_cli
    from app.cycles.routes import bp

    app.cli.add_command(cycles_cli)
    app.register_blueprint(bp)
