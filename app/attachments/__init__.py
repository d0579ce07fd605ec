"""Uploaded evidence: the texts of laws a State cites, stored outside static/ by content hash
and served only to those who may read the State's response."""


def register(app) -> None:
    from app.attachments.routes import bp

    app.register_blueprint(bp)
