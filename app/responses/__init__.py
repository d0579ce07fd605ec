"""A State's response to a questionnaire: filling in, saving revisions, submitting."""


def register(app) -> None:
    from app.responses.routes import bp

    app.register_blueprint(bp)
