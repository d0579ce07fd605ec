"""The public side: published country profiles, readable without logging in."""


def register(app) -> None:
    from app.public.routes import bp

    app.register_blueprint(bp)
