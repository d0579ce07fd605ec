from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.responses.models import Response


class ReviewComment(db.Model):
    """A comment on a response, on one question or (question_id NULL) on the whole.

    A comment without a parent starts a thread (the secretariat starts them); replies point at
    it. Only a thread's first comment is resolved or reopened: the database refuses a
    resolved reply and a resolution without its author."""

    __tablename__ = "review_comments"
    __table_args__ = (
        sa.CheckConstraint("length(body) > 0", name="body_not_empty"),
        sa.CheckConstraint("parent_id IS NULL OR resolved_at IS NULL", name="only_threads_resolved"),
        sa.CheckConstraint("(resolved_at IS NULL) = (resolved_by_id IS NULL)", name="resolution_complete"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey(Response.id, ondelete="CASCADE"), index=True)
    #: The latest revision of the response when the comment was written.
    revision_number: Mapped[int]
    #: The question commented on; NULL for a comment on the response as a whole.
    question_id: Mapped[str | None] = mapped_column(sa.String(64))
    #: The thread's first comment; NULL for that first comment itself.
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("review_comments.id", ondelete="CASCADE"),
                                                  index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey(User.id))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: When the thread was marked resolved (NULL: open); reopening clears it.
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey(User.id))

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    resolved_by: Mapped[User | None] = relationship(foreign_keys=[resolved_by_id])

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None
