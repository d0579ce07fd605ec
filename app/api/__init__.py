"""The read-only JSON API under /api/v1/, and the secretariat's page of API tokens."""


def register(app) -> None:
    from app.api.errors import answer_errors
    from app.api.routes import bp as api
    from app.api.token_routes import bp as tokens

    app.register_blueprint(api)
    answer_errors(app, api.url_prefix + "/")
    app.register_blueprint(tokens)
