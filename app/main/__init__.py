"""Landing pages and the language switcher."""


def register(app) -> None:
    from app.main.routes import bp

    app.register_blueprint(bp)
