"""The read-only JSON API under /api/v1/, and the secretariat's page of API tokens."""


def register(app) -> None:
    from app.api.routes import bp as api
    from app.api.token_routes import bp as tokens

    app.register_blueprint(api)
    app.register_blueprint(tokens)
