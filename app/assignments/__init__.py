"""Sections of a State's questionnaire given to its contributors by the focal point: each
person sees their sections first."""


def register(app) -> None:
    from app.assignments.routes import bp

    app.register_blueprint(bp)
