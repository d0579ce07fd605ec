"""The secretariat's review of submissions, and the comment threads between it and the State."""


def register(app) -> None:
    from app.review.comment_routes import bp as comments_bp
    from app.review.routes import bp

    app.register_blueprint(bp)
    app.register_blueprint(comments_bp)
