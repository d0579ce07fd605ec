"""The secretariat's view across States: dashboard, answers by question, comparison with the
previous cycle, CSV and XLSX exports."""


def register(app) -> None:
    from app.analysis.export_jobs import export_file
    from app.analysis.routes import bp
    from app.jobs.routes import FILES

    FILES["xlsx"] = export_file
    app.register_blueprint(bp)
