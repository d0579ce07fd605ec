"""The append-only audit log (``record_event``) and the secretariat's page to read it."""
from app.audit.operations import record_event

__all__ = ["record_event", "register"]


def register(app) -> None:
    from app.audit.routes import bp

    app.register_blueprint(bp)
