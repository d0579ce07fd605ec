"""Country profiles: PDFs rendered by WeasyPrint from the stored answers, cached, built in bulk."""


def register(app) -> None:
    from app.reports.cli import reports_cli
    from app.reports.render import page_of_pages
    from app.jobs.routes import FILES
    from app.reports import documents  # noqa: F401  (the profile jobs' handlers)
    from app.reports.routes import archive_file, bp

    FILES["profiles"] = archive_file
    app.register_blueprint(bp)
    app.cli.add_command(reports_cli)
    app.add_template_global(page_of_pages)
