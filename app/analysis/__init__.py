"""The secretariat's view across States: dashboard, answers by question, comparison with the
previous cycle, CSV and XLSX exports."""


def register(app) -> None:
    from app.analysis.routes import bp

    app.register_blueprint(bp)
