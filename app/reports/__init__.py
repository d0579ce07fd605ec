"""Country profiles: PDFs rendered by WeasyPrint from the stored answers."""


def register(app) -> None:
    from app.reports.cli import reports_cli
    from app.reports.routes import bp

    app.register_blueprint(bp)
    app.cli.add_command(reports_cli)
