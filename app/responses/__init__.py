"""A State's response to a questionnaire: filling in, saving revisions, submitting."""


def register(app) -> None:
    from app.responses import history_routes  # noqa: F401 - adds the history pages to bp
    from app.responses.routes import bp

    app.register_blueprint(bp)
