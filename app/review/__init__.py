"""The secretariat's review of submissions, and the comment threads between it and the State."""


def register(app) -> None:
    from app.review.routes import bp

    app.register_blueprint(bp)  # the comment threads' routes nest under app/state_pages.py
