from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.auth.models import User
from app.database import UTCDateTime, utcnow
from app.extensions import db
from app.responses.models import Response


class ReviewComment(db.Model):
    """A reviewer's comment on a response, on one question or (question_id NULL) on the whole."""

    __tablename__ = "review_comments"
    __table_args__ = (sa.CheckConstraint("length(body) > 0", name="body_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(sa.ForeignKey(Response.id, ondelete="CASCADE"), index=True)
    #: The revision the comment was written against (the return decision's revision).
    revision_number: Mapped[int]
    #: The question commented on; NULL for a comment on the response as a whole.
    question_id: Mapped[str | None] = mapped_column(sa.String(64))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey(User.id))
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship(lazy="joined")
