"""The secretariat's review of submissions."""


def register(app) -> None:
    from app.review.routes import bp

    app.register_blueprint(bp)
