from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.database import JSONType, UTCDateTime, utcnow
from app.extensions import db


class AuditEvent(db.Model):
    """Who did what, when, from where, to which object. Append-only: the migration installs
    triggers that refuse UPDATE and DELETE on this table (SQLite and PostgreSQL).

    ``state_code`` and ``response_id`` are plain values, not foreign keys: the log keeps
    saying what happened even if the object is later removed."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: What happened, e.g. ``login_failed``, ``password_changed``, ``response_submitted``.
    event_type: Mapped[str] = mapped_column(sa.String(64), index=True)
    #: Who did it; None for the anonymous (a failed login) and the command line.
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey(User.id), index=True)
    #: The client address (IPv4 or IPv6) of the request.
    ip_address: Mapped[str | None] = mapped_column(sa.String(45))
    state_code: Mapped[str | None] = mapped_column(sa.String(3))
    response_id: Mapped[int | None]
    #: Anything else worth keeping, e.g. the e-mail address a failed login tried.
    details: Mapped[dict | None] = mapped_column(JSONType)

    user: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.event_type}>"
