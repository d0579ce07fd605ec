"""Country profiles: PDFs rendered by WeasyPrint from the stored answers, cached, built in bulk."""


def register(app) -> None:
    from app.reports.cli import reports_cli
    from app.reports.render import page_of_pages
    from app.reports.routes import bp

    app.register_blueprint(bp)
    app.cli.add_command(reports_cli)
    app.add_template_global(page_of_pages)
