"""The append-only audit log (``record_event``), structured JSON logs, and the secretariat's
page to read the audit log."""
from app.audit.operations import record_event

__all__ = ["record_event", "register"]


def register(app) -> None:
    from app.audit import logs
    from app.audit.routes import bp

    logs.init_app(app)
    app.register_blueprint(bp)
