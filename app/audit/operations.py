"""Recording audit events. Features call ``record_event`` inside their own transaction, so an
event is stored exactly when the change it describes is committed."""
from flask import has_request_context, request
from flask_login import current_user

from app.audit.models import AuditEvent
from app.auth.models import User
from app.extensions import db
from app.logs import log_security_event


def _acting_user() -> User | None:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user._get_current_object()
    return None


def record_event(event_type: str, *, user: User | None = None, state_code: str | None = None,
                 response_id: int | None = None, details: dict | None = None) -> AuditEvent:
    """Append an event to the audit log (and the structured log). ``user`` defaults to the
    logged-in user; the client address is taken from the request, if any."""
    user = user or _acting_user()
    event = AuditEvent(
        event_type=event_type, user=user, state_code=state_code, response_id=response_id,
        details=details or None, ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    db.session.flush()
    log_security_event(event_type, user_id=user.id if user else None, state_code=state_code,
                       response_id=response_id, details=details)
    return event
