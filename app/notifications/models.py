from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.cycles.models import ReportingCycle
from app.database import JSONType, UTCDateTime, utcnow
from app.extensions import db
from app.states.models import State

#: What a notification can be about.
KINDS = ("submitted", "returned", "commented", "accepted", "deadline")


class Notification(db.Model):
    """A message to one user in the app (and by e-mail), about one State's response in a cycle.
    The text is composed when shown, in the reader's language, from these facts."""

    __tablename__ = "notifications"
    __table_args__ = (
        sa.CheckConstraint("kind IN (%s)" % ", ".join(f"'{kind}'" for kind in KINDS), name="kind_known"),
        sa.Index("ix_notifications_unread", "user_id", "read_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The recipient.
    user_id: Mapped[int] = mapped_column(sa.ForeignKey(User.id, ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(20))
    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey(ReportingCycle.id, ondelete="CASCADE"))
    state_code: Mapped[str] = mapped_column(sa.ForeignKey(State.code))
    #: Who caused it; None for reminders sent by the platform.
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey(User.id, ondelete="SET NULL"))
    #: The comment it is about (kind ``commented``).
    comment_id: Mapped[int | None] = mapped_column(sa.ForeignKey("review_comments.id", ondelete="CASCADE"))
    #: Facts for the text: e.g. the days left before a deadline.
    details: Mapped[dict | None] = mapped_column(JSONType)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    cycle: Mapped[ReportingCycle] = relationship()
    state: Mapped[State] = relationship()
    #: The review's comment (app/review/models.py, a layer above: named, not imported).
    comment = relationship("ReviewComment")


class DeadlineReminder(db.Model):
    """A deadline reminder already sent: one per cycle, State and threshold (days before the
    deadline), so that running the reminder command again sends nothing twice."""

    __tablename__ = "deadline_reminders"

    cycle_id: Mapped[int] = mapped_column(sa.ForeignKey(ReportingCycle.id, ondelete="CASCADE"), primary_key=True)
    state_code: Mapped[str] = mapped_column(sa.ForeignKey(State.code), primary_key=True)
    days_before: Mapped[int] = mapped_column(primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
